import { TEST_BACKENDS } from '@openhands/db/testing';
import { type Emulator, startEmulator } from '@openhands/replicated/emulator';
import { ManualClock } from '@openhands/telemetry/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signIn, type TestApp } from './support/test-app.js';

const ENTERPRISE = {
  GITHUB_APP_CLIENT_ID: 'gh-app',
  KEYCLOAK_SERVER_URL: 'https://kc.acme.example',
  KEYCLOAK_REALM_NAME: 'oh',
};
const TOKEN = 'automation-token-0123456789';

describe.each(TEST_BACKENDS)('the admin telemetry API on %s', (kind) => {
  let emulator: Emulator;
  let t: TestApp;
  let admin: string;
  let member: string;
  beforeAll(async () => {
    const clock = new ManualClock('2026-11-23T12:00:00Z');
    emulator = await startEmulator({ now: () => clock.now() });
    t = await createTestApp(
      kind,
      { ...ENTERPRISE, REPLICATED_API_URL: emulator.url, TELEMETRY_ADMIN_TOKEN: TOKEN },
      { telemetryClock: clock },
    );
    admin = await signIn(t.app, 'ada@acme.example');
    member = await signIn(t.app, 'bob@acme.example');
    // Each Terms acceptance nudged the sender, which sent a first batch at once: let it finish.
    await commandsSettled(t);
  });
  afterAll(async () => {
    await t.close();
    await emulator.close();
  });

  it('lets in the admin and the bearer token only: 401 without credentials, 403 for others', async () => {
    const url = '/api/admin/telemetry';
    expect((await t.app.inject({ url })).statusCode).toBe(401);
    expect((await t.app.inject({ url, headers: { cookie: member } })).json()).toMatchObject({ error: 'admin_only' });
    expect((await t.app.inject({ url, headers: { cookie: member } })).statusCode).toBe(403);
    expect((await t.app.inject({ url, headers: { authorization: 'Bearer wrong' } })).json()).toMatchObject({
      error: 'invalid_token',
    });
    expect((await t.app.inject({ url, headers: { cookie: admin } })).statusCode).toBe(200);
    expect((await t.app.inject({ url, headers: { authorization: `Bearer ${TOKEN}` } })).statusCode).toBe(200);
    for (const [method, path] of [
      ['GET', '/api/admin/telemetry/preview'],
      ['GET', '/api/admin/telemetry/export'],
      ['POST', '/api/admin/telemetry/collect'],
      ['POST', '/api/admin/telemetry/upload'],
    ] as const) {
      expect((await t.app.inject({ method, url: path })).statusCode, path).toBe(401);
      expect((await t.app.inject({ method, url: path, headers: { cookie: member } })).statusCode, path).toBe(403);
    }
  });

  it('collects on demand, previews exactly what is then sent, uploads on demand and reports it', async () => {
    const headers = { cookie: admin };
    const before = (await t.app.inject({ url: '/api/admin/telemetry', headers })).json();
    expect(before).toMatchObject({
      enterprise: true,
      endpoint: emulator.url,
      phase: 'normal',
      identity: { adminEmail: 'ada@acme.example', adminEmailSource: 'first_tos_acceptance' },
      settings: { collectionIntervalDays: 7, uploadIntervalHours: 24, warningThresholdDays: 4 },
    });
    expect(before.history).toHaveLength(90);

    const collected = (await t.app.inject({ method: 'POST', url: '/api/admin/telemetry/collect', headers })).json();
    expect(collected.batch.metrics).toMatchObject({ total_users: 2, active_users: 2 });
    expect(collected.batch.errors).toEqual([]);

    const preview = (await t.app.inject({ url: '/api/admin/telemetry/preview', headers })).json();
    const last = preview.batches.at(-1);
    expect(last.id).toBe(collected.batch.id);
    const previewed = Object.fromEntries(last.metrics.map((m: { key: string; value: unknown }) => [m.key, m.value]));
    expect(previewed).toEqual(collected.batch.metrics);
    for (const metric of last.metrics) expect(metric.description, metric.key).toEqual(expect.any(String));
    expect(preview.checkIn).toMatchObject({ status: 'ready', versionLabel: '1.2.3' });

    const upload = (await t.app.inject({ method: 'POST', url: '/api/admin/telemetry/upload', headers })).json();
    expect(upload.upload).toMatchObject({ outcome: 'uploaded', checkIn: 'sent' });
    // What reached the vendor is exactly what the preview showed.
    expect(emulator.state().metricSets.at(-1)?.data).toEqual(previewed);
    expect(emulator.state().customers[0]?.email).toBe('ada@acme.example');

    const after = (await t.app.inject({ url: '/api/admin/telemetry', headers })).json();
    expect(after).toMatchObject({ phase: 'normal', pendingCount: 0, license: { warn: false, message: '' } });
    expect(after.identity.customerId).toBe(emulator.state().customers[0]?.id);
    expect(after.lastUpload.at).toEqual(expect.any(String));
    expect(after.lastCheckIn.at).toEqual(expect.any(String));
    expect(after.recentBatches.every((b: { status: string }) => b.status === 'uploaded')).toBe(true);
    expect((await t.app.inject({ url: '/api/admin/telemetry/preview', headers })).json().batches).toEqual([]);
  });

  it('exports the pending payload as a file for an air-gapped install', async () => {
    const headers = { cookie: admin };
    await t.app.inject({ method: 'POST', url: '/api/admin/telemetry/collect', headers });
    const response = await t.app.inject({ url: '/api/admin/telemetry/export', headers });
    expect(response.headers['content-disposition']).toMatch(
      /^attachment; filename="openhands-telemetry-\d{4}-\d{2}-\d{2}\.json"$/,
    );
    const file = response.json();
    expect(file).toMatchObject({
      format: 'openhands-enterprise-telemetry-export/v1',
      app: { slug: 'openhands-enterprise', version: '1.2.3' },
      customer: { email: 'ada@acme.example' },
    });
    expect(file.instance.machineFingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(file.batches).toHaveLength(1);
  });

  it('serves Prometheus metrics', async () => {
    const response = await t.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    for (const name of [
      'openhands_telemetry_collections_total{result="success"}',
      'openhands_telemetry_uploads_total{result="success"}',
      'openhands_telemetry_pending_batches',
      'openhands_telemetry_oldest_pending_batch_age_seconds',
      'openhands_telemetry_last_successful_upload_timestamp_seconds',
      'openhands_telemetry_phase{phase="normal"} 1',
      'openhands_telemetry_leader',
      'openhands_telemetry_license_warning 0',
    ]) {
      expect(response.body).toContain(name);
    }
  });
});

/** Resolves once the sender has run every open command (the Terms nudges). */
async function commandsSettled(t: TestApp): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const { rows } = await t.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM telemetry_commands WHERE state IN ('pending', 'running')",
    );
    if (rows[0]?.n === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('the sender never ran the open commands');
}

describe('a first Terms acceptance on the host', () => {
  it('makes the sender upload at once', async () => {
    const clock = new ManualClock('2026-11-23T12:00:00Z');
    const emulator = await startEmulator();
    const t = await createTestApp(
      'pglite',
      { ...ENTERPRISE, REPLICATED_API_URL: emulator.url },
      { telemetryClock: clock },
    );
    try {
      await t.app.ready();
      await clock.advance(0, () => t.telemetry!.idle()); // the first check: leads, collects, no email yet
      const cycles: unknown[] = [];
      t.telemetry!.on('upload:cycle', (event) => cycles.push(event));
      await signIn(t.app, 'first@acme.example');
      for (let i = 0; i < 100 && cycles.length === 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        await clock.advance(0, () => t.telemetry!.idle());
      }
      expect(emulator.state().customers.map((c) => c.email)).toEqual(['first@acme.example']);
      expect(emulator.state().metricSets[0]?.data).toMatchObject({ total_users: 1, active_users: 1 });
    } finally {
      await t.close();
      await emulator.close();
    }
  });
});
