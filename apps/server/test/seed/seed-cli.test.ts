import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '@openhands/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

function seed(...args: string[]) {
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--conditions=source', 'apps/server/src/cli/seed.ts', ...args],
    {
      cwd: ROOT,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' },
    },
  );
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('npm run seed', () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'oh-seed-cli-'));
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('migrates and fills the embedded database, and prints how long it took', async () => {
    const dataDir = join(folder, 'data');
    const run = seed('--users', '50', '--conversations', '1,000', '--data-dir', dataDir);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Seeded 50 users, 1,000 conversations and \d+ integration rows in \d+\.\d s \(users /m);
    expect(run.stderr).toContain('conversations [');

    const db = await openDatabase({ dataDir });
    try {
      const { rows } = await db.query<{ conversations: number }>(
        'SELECT count(*)::int AS conversations FROM conversation_metadata',
      );
      expect(rows[0]?.conversations).toBe(1_000);
    } finally {
      await db.close();
    }
  }, 120_000);

  it('says what is wrong with its arguments, and how to call it', () => {
    const bad = seed('--users', 'many');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--users must be a whole number, not "many"');
    expect(bad.stderr).toContain('Usage: npm run seed --');
    const orphans = seed('--users', '0', '--conversations', '5');
    expect(orphans.code).toBe(2);
    expect(orphans.stderr).toContain('--conversations needs --users of at least 1');
  }, 60_000);
});
