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
    const facts = { githubAppConfigured: true, keycloakConfigured: true };
    const metrics = asMap(await new HealthCheckCollector().collect(contextFor(db, { host: { ...HOST, facts } })));
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

  it('health_check reports the SSO facts the host gives it (the host decides them: test/telemetry-settings.test.ts)', async () => {
    for (const [githubAppConfigured, keycloakConfigured] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      const host = { ...HOST, facts: { githubAppConfigured, keycloakConfigured } };
      const metrics = asMap(await new HealthCheckCollector().collect(contextFor(db, { host })));
      expect([metrics.has_github_app_config, metrics.has_keycloak_config]).toEqual([
        githubAppConfigured,
        keycloakConfigured,
      ]);
    }
  });

  it('performance_metrics reports the previous batch the engine hands it, and the database size', async () => {
    const previousBatch = {
      collectedAt: new Date(NOW.getTime() - 7 * 86_400_000),
      durations: { system_metrics: 120.4, user_activity: 310.6, health_check: 2 },
      errors: [{ collector: 'integration_usage', message: 'boom' }],
    };
    const metrics = asMap(await new PerformanceMetricsCollector().collect(contextFor(db, { previousBatch })));
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
