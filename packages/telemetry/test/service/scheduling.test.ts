import { TEST_BACKENDS } from '@openhands/db/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, FixtureCollector, type Harness, metricsRequests, START } from './support/harness.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (ms: number) => new Date(new Date(START).getTime() + ms);

describe.each(TEST_BACKENDS)('the telemetry service schedule on %s', (kind) => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness(kind);
  });
  afterEach(async () => {
    await h.close();
  });

  it('collects once at start on an empty table, and waits for an admin email before uploading', async () => {
    h.admin.email = undefined;
    const service = h.newService();
    const collected = h.events(service, 'batch:collected');
    await service.start();
    await h.advance(0);
    expect(collected).toHaveLength(1);
    expect(h.emulator.state().requests).toEqual([]); // no email: nothing leaves the building
    // Bootstrap phase: the next check is 180 s away, give or take 5 %.
    const wait = h.clock.nextTimerAt!.getTime() - h.clock.now().getTime();
    expect(wait).toBeGreaterThanOrEqual(171_000);
    expect(wait).toBeLessThanOrEqual(189_000);
    await h.advance(10 * 60_000); // more checks, still no email: no second batch, no request
    expect(collected).toHaveLength(1);
    expect(h.emulator.state().requests).toEqual([]);
  });

  it('switches from 180 s checks to hourly ones when the identity is created', async () => {
    h.admin.email = undefined;
    const service = h.newService();
    const phases = h.events(service, 'phase:changed');
    await service.start();
    await h.advance(0);
    h.admin.email = 'admin@acme.example';
    await h.advance(190_000);
    expect(phases).toEqual([{ from: 'bootstrap', to: 'normal' }]);
    const state = h.emulator.state();
    expect(state.customers.map((c) => c.email)).toEqual(['admin@acme.example']);
    expect(state.checkIns).toHaveLength(1);
    const wait = h.clock.nextTimerAt!.getTime() - h.clock.now().getTime();
    expect(wait).toBeGreaterThanOrEqual(3_420_000);
    expect(wait).toBeLessThanOrEqual(3_780_000);
  });

  it('collects at exactly 7 days and sends that batch at the same check; checks in about every 4 h', async () => {
    const HOUR = DAY / 24;
    const service = h.newService();
    let report = await service.runOnce(); // t0: collect (empty table) and upload (never uploaded)
    expect(report.collected).toBeDefined();
    expect(report.upload?.outcome).toBe('uploaded');

    h.clock.set(at(3 * HOUR + 48 * 60_000 - 1)); // the heartbeat is due 4 h less the 5 % jitter after
    report = await service.runOnce();
    expect(report).toMatchObject({ collected: undefined, upload: undefined });
    h.clock.set(at(3 * HOUR + 48 * 60_000));
    report = await service.runOnce(); // nothing pending: a heartbeat check-in alone
    expect(report.collected).toBeUndefined();
    expect(report.upload).toMatchObject({ outcome: 'checked_in', requests: 1, checkIn: 'sent' });

    h.clock.set(at(7 * DAY - 1)); // the heartbeat is due; the weekly collection is not, by 1 ms
    report = await service.runOnce();
    expect(report.collected).toBeUndefined();
    expect(report.upload?.outcome).toBe('checked_in');
    h.clock.set(at(7 * DAY));
    report = await service.runOnce();
    expect(report.collected).toBeDefined();
    // Sent at the check that collected it (DECISIONS §4), though the vendor heard from us 1 ms ago.
    expect(report.upload).toMatchObject({ outcome: 'uploaded', requests: 2 }); // the batch and the check-in
  });

  it('creates the customer and instance once and reuses them, and redoes them for a new admin email', async () => {
    const service = h.newService();
    await service.runOnce();
    h.clock.set(at(7 * DAY));
    await service.runOnce();
    let state = h.emulator.state();
    expect(state.customers).toHaveLength(1);
    expect(state.instances).toHaveLength(1);
    expect(state.requests.filter((r) => r.path === '/v3/customer')).toHaveLength(1);
    expect(state.requests.filter((r) => r.path === '/v3/instance')).toHaveLength(1);

    h.admin.email = 'new-admin@acme.example';
    h.clock.set(at(14 * DAY));
    await service.runOnce();
    state = h.emulator.state();
    expect(state.customers.map((c) => c.email).sort()).toEqual(['admin@acme.example', 'new-admin@acme.example']);
    const { rows } = await h.db.query<{ admin_email: string }>('SELECT admin_email FROM telemetry_identity');
    expect(rows[0]?.admin_email).toBe('new-admin@acme.example');
  });

  it('makes at most B + 3 requests for B pending batches, whatever the number of keys', async () => {
    h.admin.email = undefined;
    const service = h.newService();
    for (let i = 0; i < 4; i++) {
      h.clock.set(at(i * 7 * DAY));
      FixtureCollector.value = 10 + i;
      await service.runOnce();
    }
    h.admin.email = 'admin@acme.example';
    const { upload } = await service.runOnce();
    expect(upload).toMatchObject({ outcome: 'uploaded', requests: 4 + 3, checkIn: 'sent' });
    expect(upload?.sent.map((s) => s.collectedAt)).toEqual([0, 7, 14, 21].map((d) => at(d * DAY).toISOString()));
    // The vendor keeps the whole set of the newest batch.
    expect(h.emulator.state().metricSets[0]?.data).toMatchObject({ active_users: 13, edition: 'enterprise' });
    expect(metricsRequests(h.emulator)).toHaveLength(4);
  });

  it('uploads within moments of a first Terms acceptance, with a fresh batch that counts that user', async () => {
    h.admin.email = undefined;
    const service = h.newService();
    await service.start();
    await h.advance(0); // the first check: a batch, and an upload that waits for an email
    const cycles = h.events(service, 'upload:cycle');
    FixtureCollector.value = 1; // the user who is about to accept
    h.admin.email = 'first@acme.example';
    await service.notifyTermsAccepted();
    // The NOTIFY arrives asynchronously; the kick sets a timer at 0 ms.
    for (let i = 0; i < 50 && cycles.length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      await h.advance(0);
    }
    expect(cycles).toHaveLength(1);
    const state = h.emulator.state();
    expect(state.customers.map((c) => c.email)).toEqual(['first@acme.example']);
    expect(state.metricSets[0]?.data.active_users).toBe(1);
    expect(h.clock.now().toISOString()).toBe(START); // no simulated time passed: it did not wait for a check
  });
});
