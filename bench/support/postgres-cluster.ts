import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../scripts/lib/free-port.mjs';

export interface Cluster {
  url: string;
  stop(): void;
}

export interface ClusterOptions {
  /** PostgreSQL's shared_buffers, such as `2GB`: large enough to hold the seeded tables warm. */
  sharedBuffers: string;
}

/**
 * A throwaway PostgreSQL cluster in a temporary folder, on a free port, for one benchmark run.
 * Durability is off (fsync, synchronous_commit): it holds nothing worth keeping. initdb refuses
 * to run as root, so as root the cluster belongs to the postgres user.
 */
export async function startThrowawayCluster(options: ClusterOptions): Promise<Cluster> {
  const bin = findBinDir();
  const dir = mkdtempSync(join(tmpdir(), 'oh-bench-pg-'));
  const isRoot = process.getuid?.() === 0;
  const run = (command: string, args: string[]) =>
    execFileSync(isRoot ? 'runuser' : command, isRoot ? ['-u', 'postgres', '--', command, ...args] : args, {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  if (isRoot) execFileSync('chown', ['postgres:', dir]);
  const data = join(dir, 'data');
  run(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const port = await freePort();
  const settings = [
    `-p ${port}`,
    `-k ${dir}`,
    '-c listen_addresses=127.0.0.1',
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
    '-c max_wal_size=8GB',
    `-c shared_buffers=${options.sharedBuffers}`,
  ].join(' ');
  run(join(bin, 'pg_ctl'), ['-D', data, '-l', join(dir, 'log'), '-w', 'start', '-o', settings]);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop() {
      try {
        run(join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

function findBinDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((version) => existsSync(join(root, version, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (!versions[0]) {
    throw new Error('No PostgreSQL server binaries under /usr/lib/postgresql: apt-get install -y postgresql');
  }
  return join(root, versions[0], 'bin');
}
