import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../../scripts/lib/free-port.mjs';
import { lastLine, startServerProcess } from './support/server-process.js';

const tempDir = () => mkdtempSync(join(tmpdir(), 'oh-server-'));

describe('the server process refuses settings it cannot run with, in one line, exit 1', () => {
  const cases: Array<[string, Record<string, string>, RegExp]> = [
    ['a non-numeric PORT', { PORT: 'abc' }, /^openhands: PORT must be a whole number from 0 to 65535, not "abc"\.$/],
    ['a PORT out of range', { PORT: '70000' }, /^openhands: PORT must be a whole number from 0 to 65535, not 70000\.$/],
    ['a malformed DATABASE_URL', { DATABASE_URL: 'not a url' }, /^openhands: DATABASE_URL is not a URL/],
    [
      'a DATABASE_URL of another database',
      { DATABASE_URL: 'mysql://root@db/app' },
      /^openhands: DATABASE_URL must start with postgres:\/\//,
    ],
    ['an unknown LOG_LEVEL', { LOG_LEVEL: 'loud' }, /^openhands: LOG_LEVEL must be one of/],
    [
      'a short SESSION_SECRET',
      { SESSION_SECRET: 'short' },
      /^openhands: SESSION_SECRET must be at least 32 characters/,
    ],
  ];
  it.each(cases)('%s', async (_name, env, message) => {
    const server = startServerProcess({ OPENHANDS_DATA_DIR: tempDir(), PORT: '0', ...env });
    expect(await server.exited).toBe(1);
    expect(lastLine(server.output())).toMatch(message);
  });

  it('an unreachable DATABASE_URL, with its password hidden', async () => {
    const server = startServerProcess({ DATABASE_URL: 'postgres://app:s3cret@127.0.0.1:1/app', PORT: '0' });
    expect(await server.exited).toBe(1);
    const line = lastLine(server.output());
    expect(line).toMatch(
      /^openhands: DATABASE_URL: cannot reach PostgreSQL at postgres:\/\/app:\*\*\*@127\.0\.0\.1:1\/app/,
    );
    expect(server.output()).not.toContain('s3cret');
  });

  it('an unwritable data folder', async () => {
    const file = join(tempDir(), 'a-file');
    writeFileSync(file, '');
    const server = startServerProcess({ OPENHANDS_DATA_DIR: join(file, 'data'), PORT: '0' });
    expect(await server.exited).toBe(1);
    expect(lastLine(server.output())).toMatch(
      /^openhands: OPENHANDS_DATA_DIR: cannot write to data folder .*a-file\/data/,
    );
  });

  it('a port in use', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    try {
      const server = startServerProcess({ OPENHANDS_DATA_DIR: tempDir(), PORT: String(port), HOST: '127.0.0.1' });
      expect(await server.exited).toBe(1);
      expect(lastLine(server.output())).toBe(
        `openhands: PORT: ${port} is already in use on 127.0.0.1. Stop the process listening there, or set PORT to a free port.`,
      );
    } finally {
      blocker.close();
    }
    // A fresh data folder runs initdb before the server listens: tens of seconds on a loaded machine.
  }, 90_000);
});

describe('the embedded data folder lock', () => {
  it('turns a second process away naming the folder and the holder, and frees the folder on SIGTERM', async () => {
    const dataDir = tempDir();
    const first = startServerProcess({
      OPENHANDS_DATA_DIR: dataDir,
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
    });
    await first.waitFor(/is running at http:\/\/127\.0\.0\.1:\d+/, 60_000);

    const second = startServerProcess({ OPENHANDS_DATA_DIR: dataDir, PORT: '0' });
    expect(await second.exited).toBe(1);
    expect(lastLine(second.output())).toMatch(
      new RegExp(`^openhands: Data folder ${dataDir} is in use by process ${first.child.pid} on ${hostname()}`),
    );

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.output()).toMatch(/shut down cleanly/);
    expect(existsSync(join(dataDir, 'openhands.lock'))).toBe(false);

    // The folder, and the data in it, are usable again.
    const third = startServerProcess({
      OPENHANDS_DATA_DIR: dataDir,
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
    });
    await third.waitFor(/is running at/, 60_000);
    third.child.kill('SIGINT');
    expect(await third.exited).toBe(0);
  }, 120_000);

  it('takes over a lock left by a process that died', async () => {
    const dataDir = tempDir();
    const dead = spawnSync(process.execPath, ['-e', 'process.exit(0)']);
    writeFileSync(
      join(dataDir, 'openhands.lock'),
      JSON.stringify({ pid: dead.pid, hostname: hostname(), acquiredAt: '2026-01-01T00:00:00.000Z' }),
    );
    const server = startServerProcess({
      OPENHANDS_DATA_DIR: dataDir,
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
    });
    await server.waitFor(/is running at/, 60_000);
    expect(JSON.parse(readFileSync(join(dataDir, 'openhands.lock'), 'utf8')).pid).not.toBe(dead.pid);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  }, 90_000);
});
