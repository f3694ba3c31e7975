import { release, type } from 'node:os';
import type { Db, Queryable } from '@openhands/db';
import { createTestDb, TEST_BACKENDS } from '@openhands/db/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { allMigrations } from '../../src/migrations.js';
import { HealthCheckCollector } from '../../src/telemetry/collectors/health-check.js';
import { PerformanceMetricsCollector } from '../../src/telemetry/collectors/performance-metrics.js';
import { asMap, contextFor, HOST } from './context.js';
import { emptyAllTables, NOW } from './known-data.js';

describe.each(TEST_BACKENDS)('health_check and performance_metrics on %s', (kind) => {
  let db: Db;
  beforeAll(async () => {
    db = await createTestDb(kind, allMigrations);
  });
  afterAll(async () => {
    await db?.close();
  });
  beforeEach(async () => {
    await emptyAllTables(db);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('health_check describes the platform, the host and a healthy database', async () => {
    const env = { GITHUB_APP_CLIENT_ID: 'Iv1.abc', KEYCLOAK_SERVER_URL: 'https://sso', KEYCLOAK_REALM_NAME: 'oh' };
    const metrics = asMap(await new HealthCheckCollector().collect(contextFor(db, { host: { ...HOST, env } })));
    expect(metrics).toEqual({
      collection_timestamp: '2026-03-01T12:00:00.000Z',
      platform_system: type(),
      platform_release: release(),
      runtime_version: process.version,
      app_version: '1.4.0-test',
      database_healthy: true,
      has_github_app_config: true,
      has_keycloak_config: true,
      uptime_seconds: 90_061,
    });
  });

  it('health_check needs both Keycloak settings, and ignores blank ones', async () => {
    for (const [env, github, keycloak] of [
      [{}, false, false],
      [{ GITHUB_APP_CLIENT_ID: '  ', KEYCLOAK_SERVER_URL: 'https://sso' }, false, false],
      [{ KEYCLOAK_SERVER_URL: 'https://sso', KEYCLOAK_REALM_NAME: '' }, false, false],
      [{ GITHUB_APP_CLIENT_ID: 'x', KEYCLOAK_SERVER_URL: 'https://sso', KEYCLOAK_REALM_NAME: 'oh' }, true, true],
    ] as const) {
      const metrics = asMap(await new HealthCheckCollector().collect(contextFor(db, { host: { ...HOST, env } })));
      expect([metrics.has_github_app_config, metrics.has_keycloak_config]).toEqual([github, keycloak]);
    }
  });

  async function insertBatch(collectedAt: Date, durations: Record<string, number>, errors: unknown[] = []) {
    await db.query(
      `INSERT INTO telemetry_metrics (collected_at, metrics_data, collector_errors, collector_durations)
       VALUES ($1, '{}', $2::text::jsonb, $3::text::jsonb)`,
      [collectedAt, JSON.stringify(errors), JSON.stringify(durations)],
    );
  }

  it('performance_metrics reads the previous batch before the clock, and the database size', async () => {
    await insertBatch(new Date(NOW.getTime() - 14 * 86_400_000), { system_metrics: 900 });
    await insertBatch(
      new Date(NOW.getTime() - 7 * 86_400_000),
      { system_metrics: 120.4, user_activity: 310.6, health_check: 2 },
      [{ collector: 'integration_usage', message: 'boom' }],
    );
    // A batch stamped after this collection's clock is not "previous".
    await insertBatch(new Date(NOW.getTime() + 1), { system_metrics: 99_999 });
    const metrics = asMap(await new PerformanceMetricsCollector().collect(contextFor(db)));
    expect(metrics).toMatchObject({
      previous_collection_total_ms: 433,
      previous_slowest_collector: 'user_activity',
      previous_slowest_collector_ms: 311,
      previous_collection_error_count: 1,
    });
    expect(metrics.database_size_bytes).toBeGreaterThan(1_000_000);
  });

  it('performance_metrics sends only the database size on the first collection', async () => {
    const metrics = asMap(await new PerformanceMetricsCollector().collect(contextFor(db)));
    expect(Object.keys(metrics)).toEqual(['database_size_bytes']);
  });
});

describe('health_check when the database fails', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('keeps every other fact and says why the database probe failed', async () => {
    const db = await createTestDb('pglite', allMigrations);
    await db.close();
    const metrics = asMap(await new HealthCheckCollector().collect(contextFor(db)));
    expect(metrics).toMatchObject({ database_healthy: false, app_version: '1.4.0-test', uptime_seconds: 90_061 });
    expect(metrics.health_check_error).toMatch(/^database: /);
    expect(Object.keys(metrics)).toHaveLength(10);
  });

  it('gives up on a database that does not answer within 5 seconds', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    // The far side of the connection never answers: only a stand-in can do that on cue.
    const silent: Queryable = { query: () => new Promise(() => undefined), exec: () => new Promise(() => undefined) };
    const collecting = new HealthCheckCollector().collect(contextFor(silent));
    await vi.advanceTimersByTimeAsync(5_000);
    const metrics = asMap(await collecting);
    expect(metrics).toMatchObject({
      database_healthy: false,
      health_check_error: 'database: no answer within 5000 ms',
      platform_system: type(),
    });
  });

  it('stops waiting for the database when the collection times out', async () => {
    const silent: Queryable = { query: () => new Promise(() => undefined), exec: () => new Promise(() => undefined) };
    const controller = new AbortController();
    const collecting = new HealthCheckCollector().collect(contextFor(silent, { signal: controller.signal }));
    controller.abort();
    expect(asMap(await collecting).health_check_error).toBe('database: the collection timed out');
  });
});
