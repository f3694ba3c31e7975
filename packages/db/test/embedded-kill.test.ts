import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * kill -9 of a process in the middle of its writes to the embedded database, again and again:
 * each restart takes over the dead process's lock, and finds every committed transaction (and
 * nothing of a half-done one). KILL_ROUNDS=100 runs more.
 */
const ROUNDS = Number(process.env.KILL_ROUNDS ?? 20);
const WRITER = fileURLToPath(new URL('./support/committing-writer.ts', import.meta.url));

describe('kill -9 during writes to the embedded database', () => {
  it(`loses no committed transaction over ${ROUNDS} kills`, async () => {
    const folder = mkdtempSync(join(tmpdir(), 'oh-kill-'));
    const committed = new Set<number>();
    let lastKillAfter = 0;
    for (let round = 0; round <= ROUNDS; round++) {
      const child = spawn(process.execPath, ['--import', 'tsx', WRITER, folder], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk) => {
        stderr += chunk;
      });
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      // Kill after a varying number of commits (1 to 7), while the next transaction is under way.
      const killAfter = 1 + (round % 7);
      let seen = 0;
      let inFlight = 0;
      const verdict = new Promise<void>((resolve, reject) => {
        createInterface({ input: child.stdout }).on('line', (line) => {
          if (line.startsWith('present ')) {
            const present = JSON.parse(line.slice('present '.length)) as { ids: number[]; total: number };
            try {
              // Everything committed is there; beyond it at most the one in flight when killed.
              expect(present.ids.filter((id) => !committed.has(id) && id !== inFlight)).toEqual([]);
              expect([...committed].filter((id) => !present.ids.includes(id))).toEqual([]);
              // Both writes of a transaction, or neither.
              expect(present.total).toBe(present.ids.length);
            } catch (error) {
              reject(error);
              child.kill('SIGKILL');
              return;
            }
            for (const id of present.ids) committed.add(id);
            if (round === ROUNDS) {
              child.kill('SIGKILL');
              resolve();
            }
          } else if (line.startsWith('committed ')) {
            const id = Number(line.slice('committed '.length));
            committed.add(id);
            inFlight = id + 1;
            if (++seen === killAfter) {
              child.kill('SIGKILL');
              resolve();
            }
          }
        });
        void exited.then((code) => reject(new Error(`the writer exited (${code}) by itself:\n${stderr}`)));
      });
      await verdict;
      await exited;
      lastKillAfter = killAfter;
    }
    expect(committed.size).toBeGreaterThanOrEqual(ROUNDS);
    expect(lastKillAfter).toBeGreaterThan(0);
    rmSync(folder, { recursive: true, force: true });
  }, 300_000);
});
