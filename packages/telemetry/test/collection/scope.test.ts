import { describe, expect, it, vi } from 'vitest';
import {
  type CollectorContext,
  createCollectionScope,
  MetricsCollector,
  runCollection,
  sharedResult,
} from '../../src/collection/index.js';

const ctx: Omit<CollectorContext, 'signal'> = {
  db: { query: () => Promise.reject(new Error('no database in this test')), exec: () => Promise.resolve() },
  now: new Date('2026-03-01T12:00:00Z'),
  host: { appVersion: '1.2.3', startedAt: new Date('2026-03-01T00:00:00Z'), facts: {} },
};

/** Two collectors that read one shared computation, as two collectors read one pass over a table. */
function readersOf(compute: () => Promise<number>): MetricsCollector[] {
  return ['first', 'second'].map(
    (name) =>
      new (class extends MetricsCollector {
        readonly collectorName = name;
        async collect(c: CollectorContext) {
          return [{ key: `${name}_value`, value: await sharedResult(c, 'shared_count', compute) }];
        }
      })(),
  );
}

describe('sharedResult', () => {
  it('computes once per collection for all the collectors that ask', async () => {
    const compute = vi.fn(async () => 42);
    const result = await runCollection(readersOf(compute), ctx);
    expect(compute).toHaveBeenCalledTimes(1);
    expect(result.metrics).toEqual({ first_value: 42, second_value: 42 });
  });

  it('computes again in the next collection', async () => {
    const compute = vi.fn(async () => 42);
    await runCollection(readersOf(compute), ctx);
    await runCollection(readersOf(compute), ctx);
    expect(compute).toHaveBeenCalledTimes(2);
  });

  it('hands one failure to every collector that shares it, without running it twice', async () => {
    const compute = vi.fn(async (): Promise<number> => {
      throw new Error('canceling statement due to statement timeout');
    });
    const result = await runCollection(readersOf(compute), ctx);
    expect(compute).toHaveBeenCalledTimes(1);
    expect(result.errors).toEqual([
      { collector: 'first', message: 'canceling statement due to statement timeout' },
      { collector: 'second', message: 'canceling statement due to statement timeout' },
    ]);
  });

  it('simply computes for a collector called on its own', async () => {
    const compute = vi.fn(async () => 7);
    const [collector] = readersOf(compute);
    const alone: CollectorContext = { ...ctx, signal: new AbortController().signal };
    await collector?.collect(alone);
    await collector?.collect(alone);
    expect(compute).toHaveBeenCalledTimes(2);
  });

  it('keeps results apart by key, and turns a synchronous throw into a rejection', async () => {
    const scope = createCollectionScope();
    expect(await scope.once('a', async () => 1)).toBe(1);
    expect(await scope.once('b', async () => 2)).toBe(2);
    expect(await scope.once('a', async () => 3)).toBe(1);
    await expect(
      scope.once('c', () => {
        throw new Error('sync');
      }),
    ).rejects.toThrow('sync');
  });
});
