import type { Queryable } from '@openhands/db';
import { describe, expect, it } from 'vitest';
import {
  type CollectorContext,
  DEFAULT_MAX_CONCURRENT_QUERIES,
  limitConcurrency,
  MetricsCollector,
  runCollection,
} from '../../src/collection/index.js';

/** A database whose statements finish when the test says so, and that counts how many run at once. */
function heldDatabase() {
  const pending: Array<{ text: string; finish: () => void; fail: (error: Error) => void }> = [];
  let running = 0;
  let mostAtOnce = 0;
  const db: Queryable = {
    query: (text) =>
      new Promise((resolve, reject) => {
        running += 1;
        mostAtOnce = Math.max(mostAtOnce, running);
        const settle = () => {
          running -= 1;
        };
        pending.push({
          text,
          finish: () => {
            settle();
            resolve({ rows: [{ text }], affectedRows: 0 } as never);
          },
          fail: (error) => {
            settle();
            reject(error);
          },
        });
      }),
    exec: () => Promise.resolve(),
  };
  return { db, pending, mostAtOnce: () => mostAtOnce };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('limitConcurrency', () => {
  it('runs at most the limit at once and the rest in the order they came', async () => {
    const held = heldDatabase();
    const limited = limitConcurrency(held.db, 2);
    // Settled values, errors included, so that a failure is never an unhandled rejection.
    const results = ['a', 'b', 'c', 'd'].map((text) => limited.query(text).catch((error: Error) => error));
    await turn();
    expect(held.pending.map((p) => p.text)).toEqual(['a', 'b']);
    held.pending[1]?.finish();
    await turn();
    expect(held.pending.map((p) => p.text)).toEqual(['a', 'b', 'c']);
    held.pending[0]?.fail(new Error('a failed'));
    await turn();
    expect(held.pending.map((p) => p.text)).toEqual(['a', 'b', 'c', 'd']);
    held.pending[2]?.finish();
    held.pending[3]?.finish();
    expect(await results[0]).toEqual(new Error('a failed'));
    expect(await results[3]).toMatchObject({ rows: [{ text: 'd' }] });
    expect(held.mostAtOnce()).toBe(2);
  });

  it('refuses a limit below one', () => {
    expect(() => limitConcurrency(heldDatabase().db, 0)).toThrow('whole number ≥ 1');
  });
});

describe('runCollection', () => {
  it(`lets the collectors run ${DEFAULT_MAX_CONCURRENT_QUERIES} statements at once by default, or as many as asked`, async () => {
    for (const [limit, expected] of [
      [undefined, DEFAULT_MAX_CONCURRENT_QUERIES],
      [3, 3],
    ] as const) {
      const held = heldDatabase();
      const collectors = ['a', 'b', 'c', 'd', 'e'].map(
        (name) =>
          new (class extends MetricsCollector {
            readonly collectorName = name;
            async collect(c: CollectorContext) {
              await c.db.query(name);
              return [{ key: name, value: 1 }];
            }
          })(),
      );
      const running = runCollection(
        collectors,
        { db: held.db, now: new Date(), host: {} as never },
        {
          maxConcurrentQueries: limit,
        },
      );
      for (let i = 0; i < 5; i++) {
        await turn();
        held.pending.find((p) => p.text === ['a', 'b', 'c', 'd', 'e'][i])?.finish();
      }
      expect(Object.keys((await running).metrics)).toEqual(['a', 'b', 'c', 'd', 'e']);
      expect(held.mostAtOnce()).toBe(expected);
    }
  });
});
