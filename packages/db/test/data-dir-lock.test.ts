import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireDataDirLock, isDbError } from '../src/index.js';

const dir = () => mkdtempSync(join(tmpdir(), 'oh-lock-'));
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid!;

describe('the data folder lock', () => {
  it('is exclusive within one process too, and free again once released', async () => {
    const folder = dir();
    const lock = await acquireDataDirLock(folder);
    await expect(acquireDataDirLock(folder)).rejects.toThrow(`is in use by process ${process.pid}`);
    await lock.release();
    expect(existsSync(join(folder, 'openhands.lock'))).toBe(false);
    await (await acquireDataDirLock(folder)).release();
  });

  it('takes over a lock file with our own PID that this process does not hold (a restart in place)', async () => {
    const folder = dir();
    writeFileSync(
      join(folder, 'openhands.lock'),
      JSON.stringify({ pid: process.pid, hostname: hostname(), acquiredAt: 'x' }),
    );
    await (await acquireDataDirLock(folder)).release();
  });

  it('refuses a folder held by a live process on this host, naming folder, PID and host', async () => {
    const folder = dir();
    writeFileSync(
      join(folder, 'openhands.lock'),
      JSON.stringify({ pid: process.ppid, hostname: hostname(), acquiredAt: '2026-11-23T10:00:00.000Z' }),
    );
    const error = await acquireDataDirLock(folder).catch((e: unknown) => e);
    expect(isDbError(error, 'DB_ERR_DATA_DIR_LOCKED')).toBe(true);
    expect((error as Error).message).toBe(
      `Data folder ${folder} is in use by process ${process.ppid} on ${hostname()} (since 2026-11-23T10:00:00.000Z). ` +
        'Stop that process, or set OPENHANDS_DATA_DIR to another folder.',
    );
  });

  it('takes over the lock of a dead process on this host', async () => {
    const folder = dir();
    writeFileSync(
      join(folder, 'openhands.lock'),
      JSON.stringify({ pid: deadPid(), hostname: hostname(), acquiredAt: 'x' }),
    );
    const lock = await acquireDataDirLock(folder);
    expect(JSON.parse(readFileSync(join(folder, 'openhands.lock'), 'utf8')).pid).toBe(process.pid);
    await lock.release();
  });

  it('takes over a stale lock whose takeover was left half-done by a taker that died', async () => {
    const folder = dir();
    const dead = { pid: deadPid(), hostname: hostname(), acquiredAt: 'x' };
    writeFileSync(join(folder, 'openhands.lock'), JSON.stringify({ ...dead, token: 'first' }));
    writeFileSync(join(folder, 'openhands.lock.takeover-first'), JSON.stringify({ ...dead, token: 'taker' }));
    const lock = await acquireDataDirLock(folder);
    expect(JSON.parse(readFileSync(join(folder, 'openhands.lock'), 'utf8')).pid).toBe(process.pid);
    await lock.release();
    expect(readdirSync(folder)).toEqual([]);
  });

  it("judges another host's lock by its heartbeat", async () => {
    const folder = dir();
    const file = join(folder, 'openhands.lock');
    writeFileSync(file, JSON.stringify({ pid: 1, hostname: 'pod-a', acquiredAt: 'x' }));
    await expect(acquireDataDirLock(folder, { staleAfterMs: 30_000 })).rejects.toThrow(/in use by process 1 on pod-a/);
    const old = new Date(Date.now() - 60_000);
    utimesSync(file, old, old); // the heartbeat stopped a minute ago: pod-a is gone
    const lock = await acquireDataDirLock(folder, { staleAfterMs: 30_000 });
    await lock.release();
  });

  it('treats a torn lock file by its age alone', async () => {
    const folder = dir();
    const file = join(folder, 'openhands.lock');
    writeFileSync(file, '{"pid": 12');
    await expect(acquireDataDirLock(folder)).rejects.toThrow(/in use by process NaN/);
    const old = new Date(Date.now() - 120_000);
    utimesSync(file, old, old);
    await (await acquireDataDirLock(folder)).release();
  });

  it('says which folder cannot be written and how to fix it', async () => {
    const file = join(dir(), 'plain-file');
    writeFileSync(file, '');
    const error = await acquireDataDirLock(join(file, 'data')).catch((e: unknown) => e);
    expect(isDbError(error, 'DB_ERR_DATA_DIR_UNWRITABLE')).toBe(true);
    expect((error as Error).message).toMatch(
      /^OPENHANDS_DATA_DIR: cannot write to data folder .*plain-file\/data \(ENOTDIR\)\./,
    );
  });
});
