import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * 50 real processes take over one stale lock at the same moment, round after round: exactly one
 * may hold it each round. LOCK_RACE_ROUNDS=500 runs more.
 */
const CONTENDERS = 50;
const ROUNDS = Number(process.env.LOCK_RACE_ROUNDS ?? 30);
const CONTENDER = fileURLToPath(new URL('./support/lock-contender.ts', import.meta.url));

interface Contender {
  child: ChildProcess;
  next(): Promise<string>;
}

function startContender(): Contender {
  const child = spawn(process.execPath, ['--import', 'tsx', CONTENDER], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines: string[] = [];
  const waiting: Array<(line: string) => void> = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const waiter = waiting.shift();
    if (waiter) waiter(line);
    else lines.push(line);
  });
  return {
    child,
    next: () => {
      const line = lines.shift();
      return line !== undefined ? Promise.resolve(line) : new Promise((resolve) => waiting.push(resolve));
    },
  };
}

// Each round's folder starts with a different kind of abandoned lock.
const deadPid = spawnSync(process.execPath, ['-e', '0']).pid!;
const staleLocks: Array<{ name: string; write(file: string): void }> = [
  {
    name: 'a dead process on this host',
    write: (file) =>
      writeFileSync(
        file,
        JSON.stringify({ pid: deadPid, hostname: hostname(), acquiredAt: 'x', token: `t${deadPid}` }),
      ),
  },
  {
    name: 'another host whose heartbeat stopped',
    write: (file) => {
      writeFileSync(file, JSON.stringify({ pid: 7, hostname: 'pod-gone', acquiredAt: 'x', token: 'pod-gone-7' }));
      const old = new Date(Date.now() - 120_000);
      utimesSync(file, old, old);
    },
  },
  {
    name: 'an older release (no token)',
    write: (file) => writeFileSync(file, JSON.stringify({ pid: deadPid, hostname: hostname(), acquiredAt: 'x' })),
  },
];

describe('fifty processes taking over one stale lock at once', () => {
  const root = mkdtempSync(join(tmpdir(), 'oh-lock-race-'));
  let contenders: Contender[] = [];

  beforeAll(async () => {
    contenders = Array.from({ length: CONTENDERS }, startContender);
    for (const contender of contenders) expect(await contender.next()).toBe('ready');
  }, 120_000);

  afterAll(() => {
    for (const { child } of contenders) child.kill();
    rmSync(root, { recursive: true, force: true });
  });

  it(`leaves exactly one holder in each of ${ROUNDS} rounds`, async () => {
    const winners: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const stale = staleLocks[round % staleLocks.length]!;
      const folder = join(root, `round-${round}`);
      mkdirSync(folder);
      stale.write(join(folder, 'openhands.lock'));
      for (const { child } of contenders) child.stdin!.write(`${folder}\n`);
      const answers = await Promise.all(contenders.map((contender) => contender.next()));
      const held = answers.filter((answer) => answer === `held ${folder}`).length;
      const refused = answers.filter((answer) => answer === `refused ${folder}`).length;
      expect({ round, stale: stale.name, held, refused }).toEqual({
        round,
        stale: stale.name,
        held: 1,
        refused: CONTENDERS - 1,
      });
      winners.push(answers.findIndex((answer) => answer.startsWith('held')));
    }
    // Not always the same process: the race is real.
    expect(new Set(winners).size).toBeGreaterThan(1);
  }, 300_000);
});
