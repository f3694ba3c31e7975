import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type CollectorContext,
  DEFAULT_COLLECTOR_TIMEOUT_MS,
  type MetricResult,
  MetricsCollector,
  runCollection,
} from '../../src/collection/index.js';

const ctx: Omit<CollectorContext, 'signal'> = {
  db: { query: () => Promise.reject(new Error('no database in this test')), exec: () => Promise.resolve() },
  now: new Date('2026-03-01T12:00:00Z'),
  host: { appVersion: '1.2.3', startedAt: new Date('2026-03-01T00:00:00Z'), facts: {} },
};

/** A collector made of functions, for tests that need many small variations. */
function collector(
  name: string,
  collect: (ctx: CollectorContext) => Promise<MetricResult[]> | MetricResult[],
  shouldCollect: (ctx: CollectorContext) => boolean | Promise<boolean> = () => true,
): MetricsCollector {
  return new (class extends MetricsCollector {
    readonly collectorName = name;
    collect(c: CollectorContext) {
      return collect(c);
    }
    override shouldCollect(c: CollectorContext) {
      return shouldCollect(c);
    }
  })();
}

const never = () => new Promise<MetricResult[]>(() => undefined);

describe('runCollection', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('merges every collector into one flat map, with a duration each', async () => {
    const result = await runCollection(
      [
        collector('a', () => [{ key: 'users', value: 3 }]),
        collector('b', async () => [
          { key: 'healthy', value: true },
          { key: 'version', value: '1.2.3' },
        ]),
      ],
      ctx,
    );
    expect(result.metrics).toEqual({ users: 3, healthy: true, version: '1.2.3' });
    expect(result.errors).toEqual([]);
    expect(Object.keys(result.durations)).toEqual(['a', 'b']);
    for (const ms of Object.values(result.durations)) expect(ms).toBeGreaterThanOrEqual(0);
  });

  it('hands each collector the context with its own abort signal', async () => {
    const seen: CollectorContext[] = [];
    await runCollection(
      [
        collector('a', (c) => {
          seen.push(c);
          return [];
        }),
        collector('b', (c) => {
          seen.push(c);
          return [];
        }),
      ],
      ctx,
    );
    expect(seen.map((c) => [c.now, c.host])).toEqual([
      [ctx.now, ctx.host],
      [ctx.now, ctx.host],
    ]);
    // A database handle per collector: it carries that collector's signal down to SQL (the
    // statements of all of them still share one queue, tested below).
    expect(seen[0]?.db).not.toBe(seen[1]?.db);
    expect(seen[0]?.scope).toBe(seen[1]?.scope);
    expect(seen[0]?.signal).not.toBe(seen[1]?.signal);
    expect(seen[0]?.signal.aborted).toBe(false);
  });

  it('records a collector that throws, synchronously or not, and keeps the others', async () => {
    const result = await runCollection(
      [
        collector('sync', () => {
          throw new Error('table missing');
        }),
        collector('async', () => Promise.reject(new TypeError('bad row'))),
        collector('odd', () => Promise.reject('a string, not an Error')),
        collector('fine', () => [{ key: 'ok', value: 1 }]),
      ],
      ctx,
    );
    expect(result.metrics).toEqual({ ok: 1 });
    expect(result.errors).toEqual([
      { collector: 'sync', message: 'table missing' },
      { collector: 'async', message: 'bad row' },
      { collector: 'odd', message: 'a string, not an Error' },
    ]);
    expect(Object.keys(result.durations)).toEqual(['sync', 'async', 'odd', 'fine']);
  });

  it('cuts off a collector that hangs past the default 30 s timeout and aborts its signal', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    let signal: AbortSignal | undefined;
    const running = runCollection(
      [
        collector('hangs', (c) => {
          signal = c.signal;
          return never();
        }),
        collector('fast', () => [{ key: 'fast', value: true }]),
      ],
      ctx,
    );
    await vi.advanceTimersByTimeAsync(DEFAULT_COLLECTOR_TIMEOUT_MS - 1);
    expect(signal?.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const result = await running;
    expect(signal?.aborted).toBe(true);
    expect(result.metrics).toEqual({ fast: true });
    expect(result.errors).toEqual([
      { collector: 'hangs', message: 'timed out after 30000 ms; its results, if any come later, are dropped' },
    ]);
    expect(result.durations.hangs).toBe(DEFAULT_COLLECTOR_TIMEOUT_MS);
  });

  it('honours a shorter timeout, and counts shouldCollect inside it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const running = runCollection(
      [
        collector(
          'slow_gate',
          () => [{ key: 'never', value: 1 }],
          () => new Promise<boolean>(() => undefined),
        ),
      ],
      ctx,
      { timeoutMs: 250 },
    );
    await vi.advanceTimersByTimeAsync(250);
    expect((await running).errors).toEqual([
      { collector: 'slow_gate', message: 'timed out after 250 ms; its results, if any come later, are dropped' },
    ]);
  });

  it('ignores a late answer or a late failure of a collector that timed out', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    let finish: (results: MetricResult[]) => void = () => undefined;
    let fail: (error: Error) => void = () => undefined;
    const running = runCollection(
      [
        collector('late', () => new Promise((resolve) => (finish = resolve))),
        collector('late_failure', () => new Promise((_, reject) => (fail = reject))),
      ],
      ctx,
      { timeoutMs: 10 },
    );
    await vi.advanceTimersByTimeAsync(10);
    const result = await running;
    finish([{ key: 'late', value: 1 }]);
    fail(new Error('too late'));
    await Promise.resolve();
    expect(result.metrics).toEqual({});
    expect(result.errors.map((error) => error.collector)).toEqual(['late', 'late_failure']);
  });

  it('drops values the vendor rejects and records why, keeping the valid ones', async () => {
    const result = await runCollection(
      [
        collector('bad', () => [
          { key: 'good_number', value: 1.5 },
          { key: 'null_value', value: null as never },
          { key: 'array_value', value: [1, 2] as never },
          { key: 'object_value', value: { a: 1 } as never },
          { key: 'date_value', value: new Date() as never },
          { key: 'nan_value', value: Number.NaN },
          { key: 'infinite_value', value: Number.POSITIVE_INFINITY },
          { key: 'bigint_value', value: 10n as never },
          { key: 'undefined_value', value: undefined as never },
          { key: 'long_string', value: 'x'.repeat(1001) },
          { key: 'max_string', value: 'y'.repeat(1000) },
          { key: 'bad-key', value: 1 },
          { key: '', value: 1 },
          { key: 42 as never, value: 1 },
          null as never,
          { key: 'good_number', value: 2 },
          { key: 'flag', value: false },
        ]),
      ],
      ctx,
    );
    expect(result.metrics).toEqual({ good_number: 1.5, max_string: 'y'.repeat(1000), flag: false });
    const rule = 'a value must be a finite number, a string of at most 1,000 characters or a boolean';
    expect(result.errors).toEqual(
      [
        `metric "null_value" dropped: null is not a valid value; ${rule}`,
        `metric "array_value" dropped: an array is not a valid value; ${rule}`,
        `metric "object_value" dropped: an object is not a valid value; ${rule}`,
        `metric "date_value" dropped: a Date is not a valid value; ${rule}`,
        `metric "nan_value" dropped: NaN is not a finite number; ${rule}`,
        `metric "infinite_value" dropped: Infinity is not a finite number; ${rule}`,
        `metric "bigint_value" dropped: the bigint 10n is not a valid value; ${rule}`,
        `metric "undefined_value" dropped: undefined is not a valid value; ${rule}`,
        `metric "long_string" dropped: a string of 1,001 characters is too long; ${rule}`,
        'result #12 dropped: key "bad-key" is not a non-empty name of letters, digits and underscores',
        'result #13 dropped: key "" is not a non-empty name of letters, digits and underscores',
        'result #14 dropped: key a number is not a non-empty name of letters, digits and underscores',
        'result #15 dropped: null is not a { key, value } object',
        `metric "good_number" appears more than once in this collector's results; the first value was kept`,
      ].map((message) => ({ collector: 'bad', message })),
    );
  });

  it('records a collect() that returns something other than a list', async () => {
    const result = await runCollection([collector('not_a_list', () => ({ users: 3 }) as never)], ctx);
    expect(result.errors).toEqual([
      { collector: 'not_a_list', message: 'collect() returned an object, not a list of { key, value } results' },
    ]);
  });

  it('keeps the first collector of a clashing key, whichever finishes first', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const slowFirst = collector(
      'slow_first',
      () => new Promise((resolve) => setTimeout(() => resolve([{ key: 'users', value: 1 }]), 5)),
    );
    const fastSecond = collector('fast_second', () => [{ key: 'users', value: 2 }]);
    const running = runCollection([slowFirst, fastSecond], ctx);
    await vi.advanceTimersByTimeAsync(5);
    const result = await running;
    expect(result.metrics).toEqual({ users: 1 });
    expect(result.errors).toEqual([
      { collector: 'fast_second', message: 'metric "users" is also sent by "slow_first", whose value was kept' },
    ]);
  });

  it('skips a collector whose shouldCollect is false, and records one whose shouldCollect throws', async () => {
    const collect = vi.fn(() => [{ key: 'x', value: 1 }]);
    const result = await runCollection(
      [
        collector('off', collect, () => false),
        collector('off_async', collect, async () => false),
        collector('broken_gate', collect, () => {
          throw new Error('cannot decide');
        }),
        collector(
          'on',
          () => [{ key: 'y', value: 2 }],
          async () => true,
        ),
      ],
      ctx,
    );
    expect(collect).not.toHaveBeenCalled();
    expect(result.metrics).toEqual({ y: 2 });
    expect(result.errors).toEqual([{ collector: 'broken_gate', message: 'cannot decide' }]);
    expect(Object.keys(result.durations)).toEqual(['broken_gate', 'on']);
  });

  it('returns an empty result for no collectors', async () => {
    expect(await runCollection([], ctx)).toEqual({ metrics: {}, errors: [], durations: {} });
  });
});
