import type { Db } from '@openhands/db';
import { createTestDb, TEST_BACKENDS } from '@openhands/db/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  CollectorRegistry,
  collectBatch,
  type HostInfo,
  type MetricResult,
  MetricsCollector,
} from '../../src/collection/index.js';
import { telemetryMigrations } from '../../src/migrations.js';
import { insertBatch } from '../../src/storage/batches.js';

const now = new Date('2026-03-01T12:00:00.000Z');
const host: HostInfo = { appVersion: '1.2.3', startedAt: new Date('2026-03-01T00:00:00Z'), facts: {} };

function collectorClass(name: string, collect: () => Promise<MetricResult[]> | MetricResult[]) {
  return class extends MetricsCollector {
    readonly collectorName = name;
    collect() {
      return collect();
    }
  };
}

const Users = collectorClass('users', () => [{ key: 'total_users', value: 7 }]);
const Throws = collectorClass('throws', () => {
  throw new Error('relation "missing" does not exist');
});
const Hangs = collectorClass('hangs', () => new Promise<MetricResult[]>(() => undefined));
const BadValues = collectorClass('bad_values', () => [
  { key: 'fine', value: 'yes' },
  { key: 'nothing', value: null as never },
]);

interface BatchRow {
  id: string;
  collected_at: Date;
  metrics_data: unknown;
  collector_errors: unknown;
  collector_durations: Record<string, number>;
  uploaded_at: Date | null;
}

describe.each(TEST_BACKENDS)('collectBatch on %s', (kind) => {
  let db: Db;
  beforeAll(async () => {
    db = await createTestDb(kind, [telemetryMigrations]);
  });
  afterAll(async () => {
    await db?.close();
  });
  beforeEach(async () => {
    await db.exec('DELETE FROM telemetry_metrics');
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  async function rows(): Promise<BatchRow[]> {
    return (await db.query<BatchRow>('SELECT * FROM telemetry_metrics ORDER BY collected_at')).rows;
  }

  it('offers the collectors the newest batch before its clock: durations and errors, not the engine table', async () => {
    const seen: unknown[] = [];
    const registry = new CollectorRegistry();
    registry.register(
      class extends MetricsCollector {
        readonly collectorName = 'observer';
        collect(ctx: { previousBatch?: unknown }) {
          seen.push(ctx.previousBatch);
          return [];
        }
      },
    );
    await collectBatch({ db, registry, now, host });
    expect(seen).toEqual([null]); // the first collection has none
    const stamp = (ms: number) => new Date(now.getTime() + ms);
    for (const [at, ms] of [
      [-14 * 86_400_000, 900],
      [-7 * 86_400_000, 310.5],
      [1, 99_999], // stamped after this collection's clock: not "previous"
    ] as const) {
      await insertBatch(db, {
        collectedAt: stamp(at),
        result: { metrics: {}, errors: [{ collector: 'x', message: `at ${at}` }], durations: { x: ms } },
      });
    }
    await db.exec("DELETE FROM telemetry_metrics WHERE collected_at = '2026-03-01T12:00:00.000Z'");
    seen.length = 0;
    await collectBatch({ db, registry, now, host });
    expect(seen).toEqual([
      {
        collectedAt: stamp(-7 * 86_400_000),
        durations: { x: 310.5 },
        errors: [{ collector: 'x', message: `at ${-7 * 86_400_000}` }],
      },
    ]);
  });

  it('stores one row with the metrics, the errors and the durations of the run', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const registry = new CollectorRegistry();
    for (const target of [Users, Throws, Hangs, BadValues]) registry.register(target);

    // previousBatch given: no read before the collectors start, so the fake 30 s reach their timers.
    const collecting = collectBatch({ db, registry, now, host, previousBatch: null });
    await vi.advanceTimersByTimeAsync(30_000);
    const batch = await collecting;

    expect(batch.collectedAt).toEqual(now);
    expect(batch.metrics).toEqual({ total_users: 7, fine: 'yes' });
    expect(batch.errors).toEqual([
      { collector: 'throws', message: 'relation "missing" does not exist' },
      { collector: 'hangs', message: 'timed out after 30000 ms; its results, if any come later, are dropped' },
      {
        collector: 'bad_values',
        message:
          'metric "nothing" dropped: null is not a valid value; a value must be a finite number, a string of at most 1,000 characters or a boolean',
      },
    ]);
    expect(Object.keys(batch.durations)).toEqual(['users', 'throws', 'hangs', 'bad_values']);

    const stored = await rows();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      id: batch.id,
      collected_at: now,
      metrics_data: batch.metrics,
      collector_errors: batch.errors,
      collector_durations: batch.durations,
      uploaded_at: null,
    });
  });

  it('stores exactly one row even when every collector fails', async () => {
    const registry = new CollectorRegistry();
    registry.register(Throws);
    registry.register(
      collectorClass('also_throws', () => {
        throw new Error('second failure');
      }),
    );
    const batch = await collectBatch({ db, registry, now, host, timeoutMs: 1_000 });
    expect(batch.metrics).toEqual({});
    expect(batch.errors.map((error) => error.collector)).toEqual(['throws', 'also_throws']);
    const stored = await rows();
    expect(stored).toHaveLength(1);
    expect(stored[0]?.metrics_data).toEqual({});
    expect(stored[0]?.collector_errors).toEqual(batch.errors);
  });

  it('stores one empty row when no collector is registered', async () => {
    const batch = await collectBatch({ db, registry: new CollectorRegistry(), now, host });
    expect(batch).toMatchObject({ metrics: {}, errors: [], durations: {} });
    expect(await rows()).toHaveLength(1);
  });

  it('records a collector that can no longer be created instead of failing the run', async () => {
    let created = 0;
    class Flaky extends MetricsCollector {
      readonly collectorName = 'flaky';
      constructor() {
        super();
        created += 1;
        // Registration creates one to read its name; the collection's own instance fails.
        if (created > 1) throw new Error('out of file handles');
      }
      collect() {
        return [];
      }
    }
    const registry = new CollectorRegistry();
    registry.register(Flaky);
    registry.register(Users);
    const batch = await collectBatch({ db, registry, now, host });
    expect(batch.metrics).toEqual({ total_users: 7 });
    expect(batch.errors).toEqual([{ collector: 'flaky', message: 'could not be created: out of file handles' }]);
    expect(await rows()).toHaveLength(1);
  });

  it('runs only the collectors whose shouldCollect is true', async () => {
    class Off extends MetricsCollector {
      readonly collectorName = 'off';
      override shouldCollect() {
        return false;
      }
      collect() {
        return [{ key: 'off_metric', value: 1 }];
      }
    }
    const registry = new CollectorRegistry();
    registry.register(Off);
    registry.register(Users);
    const batch = await collectBatch({ db, registry, now, host });
    expect(batch.metrics).toEqual({ total_users: 7 });
    expect(batch.durations).not.toHaveProperty('off');
  });

  it('insertBatch keeps strings, numbers and booleans exactly as given', async () => {
    const metrics = { quote: `it's "quoted" \\ and ünïcode ✓`, big: 2 ** 53 - 1, small: 0.125, no: false };
    const { id } = await insertBatch(db, {
      collectedAt: now,
      result: { metrics, errors: [{ collector: 'x', message: 'why' }], durations: { x: 1.5 } },
    });
    const [row] = await rows();
    expect(row).toMatchObject({
      id,
      metrics_data: metrics,
      collector_errors: [{ collector: 'x', message: 'why' }],
      collector_durations: { x: 1.5 },
    });
  });
});
