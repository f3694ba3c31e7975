import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { type WatchedProcess, watchProcess } from './watched-process.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const SCRIPT = fileURLToPath(new URL('./telemetry-replica.ts', import.meta.url));
const BUNDLE = `${ROOT}.cache/telemetry-replica-${process.pid}.mjs`;

let bundled: Promise<string> | undefined;

/**
 * The replica script and the workspace sources it uses, bundled once per test run: a process then
 * starts in a fraction of the time tsx takes to compile the sources in every process (the kill
 * test starts two dozen). npm packages stay external and load from node_modules as usual.
 */
export function replicaBundle(): Promise<string> {
  bundled ??= build({
    entryPoints: [SCRIPT],
    outfile: BUNDLE,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['source'],
    logLevel: 'silent',
    plugins: [
      {
        name: 'npm-packages-external',
        setup(b) {
          b.onResolve({ filter: /^[^./]/ }, (args) =>
            args.path.startsWith('@openhands/') ? undefined : { path: args.path, external: true },
          );
        },
      },
    ],
  }).then(() => BUNDLE);
  return bundled;
}

export type ReplicaProcess = WatchedProcess;

export async function removeReplicaBundle(): Promise<void> {
  bundled = undefined;
  await rm(BUNDLE, { force: true });
}

/** One telemetry replica (support/telemetry-replica.ts, bundled by `replicaBundle()`) as a real OS process. */
export function startReplica(bundle: string, env: Record<string, string>): ReplicaProcess {
  const child = spawn(process.execPath, [bundle], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return watchProcess(child, 60_000);
}
