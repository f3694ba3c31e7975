import type { Db } from '@openhands/db';
import { createTestDb, TEST_BACKENDS } from '@openhands/db/testing';
import {
  type CollectorRegistry,
  collectBatch,
  insertBatch,
  type MetricResult,
  MetricsCollector,
  runCollection,
} from '@openhands/telemetry';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { allMigrations } from '../../src/migrations.js';
import { loadCollectors } from '../../src/telemetry/registry.js';
import { HOST } from './context.js';
import { emptyAllTables, insertKnownIntegrations, insertKnownUsersAndConversations, NOW } from './known-data.js';

const SIX = [
  'conversation_metrics',
  'health_check',
  'integration_usage',
  'performance_metrics',
  'system_metrics',
  'user_activity',
];

/** `model_usage_<model>` matches `model_usage_anthropic_claude`, and a plain key only itself. */
function declares(pattern: string, key: string): boolean {
  const source = pattern
    .split(/<[a-z_]+>/)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[a-z0-9_]+');
  return new RegExp(`^${source}$`).test(key);
}

class Throws extends MetricsCollector {
  readonly collectorName = 'test_throws';
  collect(): MetricResult[] {
    throw new Error('relation "nope" does not exist');
  }
}
class Hangs extends MetricsCollector {
  readonly collectorName = 'test_hangs';
  collect(): Promise<MetricResult[]> {
    return new Promise(() => undefined);
  }
}
class BadValues extends MetricsCollector {
  readonly collectorName = 'test_bad_values';
  collect() {
    return [
      { key: 'test_ok', value: 1 },
      { key: 'test_null', value: null as never },
      { key: 'total_users', value: -1 },
    ];
  }
}

describe('loadCollectors', () => {
  it('discovers the six collectors once, without a registration error', async () => {
    const registry = await loadCollectors();
    expect(await loadCollectors()).toBe(registry);
    expect(registry.names().sort()).toEqual(SIX);
    expect(registry.registrationErrors()).toEqual([]);
  });

  it('has every collector describe every key it sends in one line', async () => {
    for (const { name, metrics } of (await loadCollectors()).describe()) {
      expect(metrics.length, name).toBeGreaterThan(0);
      for (const { key, description } of metrics) {
        expect(key).toMatch(/^[a-z0-9_]+(<[a-z_]+>)?[a-z0-9_]*$/);
        expect(description, key).toMatch(/^[A-Z].*\S$/);
        expect(description, key).not.toContain('\n');
      }
    }
  });
});

describe.each(TEST_BACKENDS)('a full collection on %s', (kind) => {
  let db: Db;
  let registry: CollectorRegistry;
  beforeAll(async () => {
    db = await createTestDb(kind, allMigrations);
    registry = await loadCollectors();
  });
  afterAll(async () => {
    await db?.close();
  });
  beforeEach(async () => {
    await emptyAllTables(db);
    await insertKnownUsersAndConversations(db);
    await insertKnownIntegrations(db);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('stores one batch with every collector, and sends only declared keys', async () => {
    const batch = await collectBatch({ db, registry, now: NOW, host: HOST });
    expect(batch.errors).toEqual([]);
    expect(Object.keys(batch.durations).sort()).toEqual(SIX);
    expect(batch.metrics).toMatchObject({
      total_users: 6,
      conversations_30d: 19,
      engaged_users_30d: 3,
      conversation_cost_usd_30d: 5.25,
      github_app_installations: 2,
      database_healthy: true,
    });
    const declared = registry.describe().flatMap(({ metrics }) => metrics.map(({ key }) => key));
    for (const key of Object.keys(batch.metrics)) {
      expect(
        declared.some((pattern) => declares(pattern, key)),
        `${key} is not in any collector's metrics`,
      ).toBe(true);
    }
    const { rows } = await db.query<{ count: number }>('SELECT count(*)::int AS count FROM telemetry_metrics');
    expect(rows[0]?.count).toBe(1);

    // The next collection sees this one as its previous.
    const next = await collectBatch({ db, registry, now: new Date(NOW.getTime() + 1_000), host: HOST });
    expect(next.metrics.previous_collection_total_ms).toBe(
      Math.round(Object.values(batch.durations).reduce((sum, ms) => sum + ms, 0)),
    );
  });

  it('reads the conversations in two passes in all, whichever collectors need them', async () => {
    const statements: string[] = [];
    const recording = {
      query: ((text: string, params?: readonly unknown[]) => {
        statements.push(text);
        return db.query(text, params);
      }) as Db['query'],
      exec: (script: string) => db.exec(script),
    };
    await collectBatch({ db: recording, registry, now: NOW, host: HOST });
    // One pass per user (every conversation), one per model, provider and trigger (the window).
    expect(statements.filter((text) => text.includes('FROM conversation_metadata'))).toHaveLength(2);
    expect(statements.filter((text) => text.includes('FROM user_settings'))).toHaveLength(1);
  });

  it('keeps every real metric when one collector throws, one hangs and one returns bad values', async () => {
    const real = registry.getAll();
    // Each real collector says when it is done, so that the clock jumps only once they all are.
    const done = real.map((collector) => {
      const collect = collector.collect.bind(collector);
      return new Promise<void>((resolve) => {
        collector.collect = async (ctx) => {
          try {
            return await collect(ctx);
          } finally {
            resolve();
          }
        };
      });
    });
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const running = runCollection([...real, new Throws(), new Hangs(), new BadValues()], { db, now: NOW, host: HOST });
    await Promise.all(done);
    await vi.advanceTimersByTimeAsync(30_000);
    const result = await running;
    vi.useRealTimers();

    expect(result.metrics).toMatchObject({ total_users: 6, test_ok: 1, trigger_gui: 12, database_healthy: true });
    expect(result.errors).toEqual([
      { collector: 'test_throws', message: 'relation "nope" does not exist' },
      { collector: 'test_hangs', message: 'timed out after 30000 ms; its results, if any come later, are dropped' },
      {
        collector: 'test_bad_values',
        message:
          'metric "test_null" dropped: null is not a valid value; a value must be a finite number, a string of at most 1,000 characters or a boolean',
      },
      {
        collector: 'test_bad_values',
        message: 'metric "total_users" is also sent by "system_metrics", whose value was kept',
      },
    ]);
    expect(Object.keys(result.durations)).toHaveLength(9);

    const { id } = await insertBatch(db, { collectedAt: NOW, result });
    const { rows } = await db.query<{ id: string; collector_errors: unknown }>(
      'SELECT id, collector_errors FROM telemetry_metrics',
    );
    expect(rows).toEqual([{ id, collector_errors: result.errors }]);
  });
});
