import { TEST_BACKENDS } from '@openhands/db/testing';
import { type Emulator, startEmulator } from '@openhands/replicated/emulator';
import { ManualClock } from '@openhands/telemetry/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signIn, type TestApp } from './support/test-app.js';

// The admin cockpit's API (issue 13): the diagnosis in the overview, computed from the stored facts
// against the emulated vendor, and any stored batch's payload as sent.

const ENTERPRISE = {
  GITHUB_APP_CLIENT_ID: 'gh-app',
  KEYCLOAK_SERVER_URL: 'https://kc.acme.example',
  KEYCLOAK_REALM_NAME: 'oh',
};

describe.each(TEST_BACKENDS)('the admin cockpit API on %s', (kind) => {
  let emulator: Emulator;
  let t: TestApp;
  let admin: string;
  let member: string;
  const clock = new ManualClock('2026-11-23T12:00:00Z');
  beforeAll(async () => {
    emulator = await startEmulator({ now: () => clock.now() });
    t = await createTestApp(kind, { ...ENTERPRISE, REPLICATED_API_URL: emulator.url }, { telemetryClock: clock });
    admin = await signIn(t.app, 'ada@acme.example');
    member = await signIn(t.app, 'bob@acme.example');
    await commandsSettled(t);
  });
  afterAll(async () => {
    await t.close();
    await emulator.close();
  });

  const get = (url: string, cookie = admin) => t.app.inject({ url, headers: { cookie } });

  it('opens any stored batch with its metrics as they were sent', async () => {
    const headers = { cookie: admin };
    const collected = (await t.app.inject({ method: 'POST', url: '/api/admin/telemetry/collect', headers })).json();
    await t.app.inject({ method: 'POST', url: '/api/admin/telemetry/upload', headers });

    const response = await get(`/api/admin/telemetry/batches/${collected.batch.id}`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      id: collected.batch.id,
      collectedAt: collected.batch.collectedAt,
      status: 'uploaded',
      request: 'POST /application/custom-metrics',
      data: collected.batch.metrics,
    });
    expect(emulator.state().metricSets.at(-1)?.data).toEqual(response.json().data);
  });

  it('answers 404 for an unknown batch, 400 for an id that is not one, and only to admins', async () => {
    const unknown = await get('/api/admin/telemetry/batches/0a1b2c3d-4e5f-4061-8272-839405a6b7c8');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ error: 'batch_not_found' });
    expect((await get('/api/admin/telemetry/batches/not-a-batch')).statusCode).toBe(400);
    expect((await get('/api/admin/telemetry/batches/0a1b2c3d-4e5f-4061-8272-839405a6b7c8', member)).statusCode).toBe(
      403,
    );
    const anonymous = await t.app.inject({ url: '/api/admin/telemetry/batches/0a1b2c3d-4e5f-4061-8272-839405a6b7c8' });
    expect(anonymous.statusCode).toBe(401);
  });

  it('diagnoses a 403 from the vendor as a refusal, counting every failure, not a page of them', async () => {
    const reachable = (await get('/api/admin/telemetry')).json();
    expect(reachable.diagnosis).toMatchObject({ state: 'healthy', tone: 'good', failureCount: 0 });

    await clock.advance(60_000); // the failures come after the last contact
    emulator.injectFaults({ kind: 'status', status: 403, message: 'License expired', code: 'forbidden', count: 1000 });
    await t.app.inject({ method: 'POST', url: '/api/admin/telemetry/collect', headers: { cookie: admin } });
    await t.app.inject({ method: 'POST', url: '/api/admin/telemetry/upload', headers: { cookie: admin } });
    const refused = (await get('/api/admin/telemetry')).json();
    expect(refused.diagnosis).toMatchObject({
      state: 'refused',
      tone: 'danger',
      headline: 'The vendor refused this installation',
      reason: 'HTTP 403 "License expired"',
      endpoint: emulator.url,
      docsAnchor: 'the-vendor-answers-with-an-error',
    });
    const failures = refused.diagnosis.failureCount as number;
    expect(failures).toBeGreaterThan(0);

    // Many more of them (in the minute since the last contact) than the 50 the error list carries.
    await t.db.query(
      `INSERT INTO telemetry_upload_attempts (attempted_at, kind, outcome, error, duration_ms)
       SELECT $1::timestamptz - make_interval(secs => n * 0.05), 'identity', 'failure', 'Replicated refused POST /v3/customer (HTTP 403: "License expired" [forbidden]).', 40
       FROM generate_series(1, 793) AS n`,
      [clock.now()],
    );
    const outage = (await get('/api/admin/telemetry')).json();
    expect(outage.recentErrors.length).toBeLessThanOrEqual(50);
    expect(outage.diagnosis.failureCount).toBe(failures + 793);
    // …and the 90-day history counts failed registrations among the failed uploads (it said "0 failed uploads").
    expect(outage.history.at(-1).uploadsFailed).toBeGreaterThanOrEqual(793);
    emulator.clearFaults();
  });
});

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
