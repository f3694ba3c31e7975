import { TEST_BACKENDS } from '@openhands/db/testing';
import { fieldFault } from '@openhands/replicated/emulator';
import { afterEach, describe, expect, it } from 'vitest';
import { licenseStatusAt } from '../../src/license/license-state.js';
import { batches, createWorld, DAY, HOUR, MINUTE, type World } from './support/world.js';

const CHECK_IN = '/kots_metrics/license_instance/info';
const settings = { isEnterprise: true, warningThresholdDays: 4 };

describe.each(TEST_BACKENDS)('heartbeat, sending and back-off on %s', (kind) => {
  let world: World;
  afterEach(async () => world?.close());

  /** Times of the check-ins the vendor accepted. */
  const checkIns = () => world.emulator.state().checkIns.map((c) => Date.parse(c.at));

  it('checks in at least every 4 h 12 min with a daily upload interval, or a monthly one', async () => {
    world = await createWorld(kind);
    const daily = await world.install();
    const monthly = await world.install({ uploadIntervalHours: 720, ownInstallationId: true, adminEmail: 'b@x.io' });
    await world.advance(2 * DAY);
    const byInstance = new Map<string, number[]>();
    for (const c of world.emulator.state().checkIns) {
      byInstance.set(c.instanceId, [...(byInstance.get(c.instanceId) ?? []), Date.parse(c.at)]);
    }
    expect(byInstance.size).toBe(2);
    for (const times of byInstance.values()) {
      const gaps = times.slice(1).map((t, i) => t - times[i]!);
      expect(times.length).toBeGreaterThanOrEqual(2 * 6);
      expect(Math.max(...gaps)).toBeLessThanOrEqual(4 * HOUR + 12 * MINUTE);
    }
    expect((await daily.state()).lastCheckInAt).not.toBeNull();
    expect((await monthly.state()).lastCheckInAt).not.toBeNull();
  });

  it("sends the weekly batch at the check that collects it: no false warning (the issue's case)", async () => {
    world = await createWorld(kind);
    const it = await world.install();
    await world.advance(7 * DAY + 2 * HOUR);
    const rows = await batches(it.db);
    expect(rows).toHaveLength(2);
    // The second batch went out within the hour that collected it, and the license never warned.
    expect(rows[1]!.uploadedAt!.getTime() - rows[1]!.collectedAt.getTime()).toBeLessThan(MINUTE);
    expect(licenseStatusAt(await it.state(), settings, world.clock.now())).toEqual({ warn: false, message: '' });
  });

  it('retries a failed check-in with the back-off, not a day later, and keeps the back-off over a restart', async () => {
    world = await createWorld(kind);
    const it = await world.install();
    await world.advance(HOUR);
    const before = checkIns().length;
    world.emulator.injectFaults(fieldFault('gateway-502', { count: 3, path: CHECK_IN }));
    // The heartbeat falls due within 4 h 12 min and fails: watch for it minute by minute.
    for (let m = 0; m < 5 * 60 && (await it.state()).backoffFailures === 0; m++) await world.advance(MINUTE);
    const failed = await it.state();
    expect(failed.backoffFailures).toBeGreaterThanOrEqual(1);
    expect(failed.backoffUntil!.getTime() - world.clock.now().getTime()).toBeLessThanOrEqual(3 * MINUTE * 1.05);

    await it.restart(); // the stored back-off survives the new process
    expect((await it.state()).backoffUntil).toEqual(failed.backoffUntil);
    await world.advance(2 * HOUR);
    expect(checkIns().length).toBeGreaterThan(before);
    expect((await it.state()).backoffFailures).toBe(0);
    // 3 min, 6 min, 12 min: the three faults are used up within 25 minutes of the first.
    const attempts = world.emulator.state().requests.filter((r) => r.path === CHECK_IN && r.fault !== null);
    expect(attempts).toHaveLength(3);
    const span = Date.parse(attempts[2]!.at) - Date.parse(attempts[0]!.at);
    expect(span).toBeGreaterThanOrEqual((3 + 6) * MINUTE * 0.95);
    expect(span).toBeLessThanOrEqual((3 + 6) * MINUTE * 1.05);
  });

  it('backs off in bootstrap too: 3 min doubling, not a flat 180 s, and honours Retry-After up to 24 h', async () => {
    world = await createWorld(kind);
    world.emulator.injectFaults(fieldFault('proxy-407', { count: 8 }));
    const it = await world.install();
    await world.advance(3 * HOUR);
    const tries = world.emulator.state().requests.map((r) => Date.parse(r.at));
    const gaps = tries.slice(1).map((t, i) => (t - tries[i]!) / MINUTE);
    // 3, 6, 12, 24, 48 minutes (± 5 %): 6 tries in 3 hours, not 60.
    expect(tries).toHaveLength(6);
    [3, 6, 12, 24, 48].forEach((minutes, i) => {
      expect(gaps[i]).toBeGreaterThanOrEqual(minutes * 0.95);
      expect(gaps[i]).toBeLessThanOrEqual(minutes * 1.05);
    });
    expect((await batches(it.db)).every((b) => b.uploadedAt === null && b.failedAt === null)).toBe(true);

    world.emulator.clearFaults();
    world.emulator.injectFaults(fieldFault('retry-after-far-date'));
    await it.telemetry.sender.runOnce(); // not due: in back-off
    await world.advance(6 * HOUR); // the back-off ends, the vendor says "in 2099"
    const capped = await it.state();
    expect(capped.backoffUntil!.getTime() - world.clock.now().getTime()).toBeLessThanOrEqual(24 * HOUR);
    expect(capped.backoffUntil!.getTime() - world.clock.now().getTime()).toBeGreaterThan(17 * HOUR);
    // Nothing before the capped back-off is over; everything at the first checks after it.
    const until = capped.backoffUntil!.getTime();
    for (let i = 0; i < 12 && (await batches(it.db)).some((b) => b.uploadedAt === null); i++) {
      await world.advance(until + (i + 1) * 10 * MINUTE - world.clock.now().getTime());
    }
    const sent = world.emulator.state().requests.filter((r) => r.path === '/application/custom-metrics');
    expect(sent.length).toBeGreaterThan(0);
    expect(Date.parse(sent[0]!.at)).toBeGreaterThanOrEqual(until);
    expect(Date.parse(sent[0]!.at)).toBeLessThanOrEqual(until + HOUR);
    expect((await batches(it.db)).every((b) => b.uploadedAt !== null)).toBe(true);
  });

  it('"Upload now" against a Retry-After of 10^17 seconds answers, with a retry at most 24 h away', async () => {
    world = await createWorld(kind);
    const it = await world.install();
    await world.advance(HOUR);
    world.emulator.injectFaults({ kind: 'status', status: 429, retryAfter: '99999999999999999' });
    const { upload } = await it.telemetry.commands.uploadNow();
    expect(upload).toMatchObject({ outcome: 'failed', checkIn: 'failed', failure: { stage: 'checkin' } });
    const retryAt = Date.parse(upload.failure!.retryAt!);
    expect(retryAt - world.clock.now().getTime()).toBe(24 * HOUR);
  });

  it('prunes upload attempts older than 90 days in the sender cycle', async () => {
    world = await createWorld(kind);
    const it = await world.install();
    const old = new Date(world.clock.now().getTime() - 91 * DAY);
    await it.db.query(
      `INSERT INTO telemetry_upload_attempts (attempted_at, kind, outcome) VALUES ($1, 'checkin', 'success'), ($2, 'checkin', 'success')`,
      [old, new Date(world.clock.now().getTime() - 89 * DAY)],
    );
    await world.advance(5 * HOUR);
    const { rows } = await it.db.query<{ oldest: Date }>(
      'SELECT min(attempted_at) AS oldest FROM telemetry_upload_attempts',
    );
    expect(world.clock.now().getTime() - rows[0]!.oldest.getTime()).toBeLessThan(90 * DAY);
  });
});
