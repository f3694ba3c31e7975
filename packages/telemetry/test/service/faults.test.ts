import { TEST_BACKENDS } from '@openhands/db/testing';
import type { Fault } from '@openhands/replicated/emulator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, FixtureCollector, type Harness, metricsRequests, START } from './support/harness.js';

const DAY = 86_400_000;
const at = (ms: number) => new Date(new Date(START).getTime() + ms);
const METRICS = '/application/custom-metrics';

/** Three batches a week apart, none sent yet (no admin email until now). */
async function threePendingBatches(h: Harness) {
  h.admin.email = undefined;
  const service = h.newService();
  for (let week = 0; week < 3; week++) {
    h.clock.set(at(week * 7 * DAY));
    FixtureCollector.value = 100 + week;
    await service.runOnce();
  }
  h.admin.email = 'admin@acme.example';
  return service;
}

async function pending(h: Harness) {
  const { rows } = await h.db.query<{
    attempts: number;
    next_attempt_at: Date | null;
    last_upload_error: string | null;
  }>(
    `SELECT coalesce(upload_attempts, 0) AS attempts, next_attempt_at, last_upload_error
     FROM telemetry_metrics WHERE uploaded_at IS NULL AND failed_at IS NULL ORDER BY collected_at`,
  );
  return rows;
}

/** Sent batches in the order they reached the vendor. */
async function sentInOrder(h: Harness) {
  const { rows } = await h.db.query<{ collected_at: Date }>(
    `SELECT m.collected_at FROM telemetry_upload_attempts a JOIN telemetry_metrics m ON m.id = a.batch_id
     WHERE a.kind = 'metrics' AND a.outcome = 'success' ORDER BY a.id`,
  );
  return rows.map((r) => r.collected_at.toISOString());
}

describe.each(TEST_BACKENDS)('the upload under injected faults on %s', (kind) => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness(kind, { clientTimeoutMs: 1000 });
  });
  afterEach(async () => {
    await h.close();
  });

  const transient: Array<[string, Fault]> = [
    ['a 500', { kind: 'status', status: 500, path: METRICS, count: 3 }],
    [
      'a 502 with an HTML page',
      { kind: 'status', status: 502, path: METRICS, count: 3, body: '<html>Bad gateway</html>' },
    ],
    ['a hang past the timeout', { kind: 'hang', path: METRICS, count: 3 }],
    ['a dropped connection', { kind: 'drop', path: METRICS, count: 3 }],
    ['a body slower than the timeout', { kind: 'slow-body', durationMs: 3000, path: METRICS, count: 3 }],
  ];

  it.each(transient)(
    'survives %s: nothing lost, the back-off grows, recovery sends all in order',
    async (_name, fault) => {
      const service = await threePendingBatches(h);
      h.emulator.injectFaults(fault);
      const delays: number[] = [];
      for (let attempt = 1; attempt <= 3; attempt++) {
        const failedAt = h.clock.now().getTime();
        const { upload } = await service.runOnce();
        expect(upload?.outcome).toBe('failed');
        const rows = await pending(h);
        expect(rows).toHaveLength(3); // nothing lost
        expect(rows[0]?.attempts).toBe(attempt); // the oldest was tried each time
        expect(rows[0]?.last_upload_error).toBeTruthy();
        const until = rows[0]!.next_attempt_at!.getTime();
        expect(rows.every((r) => r.next_attempt_at?.getTime() === until)).toBe(true); // order kept
        delays.push(until - failedAt);
        // Before the back-off ends nothing is tried.
        h.clock.set(new Date(until - 1));
        expect((await service.runOnce()).upload).toBeUndefined();
        h.clock.set(new Date(until));
      }
      expect(delays[0]).toBeGreaterThanOrEqual(171_000); // 3 minutes less the 5 % jitter (DECISIONS §2)
      expect(delays[1]).toBeGreaterThan(delays[0]!);
      expect(delays[2]).toBeGreaterThan(delays[1]!);

      const { upload } = await service.runOnce();
      expect(upload).toMatchObject({ outcome: 'uploaded', checkIn: 'sent' });
      expect(await pending(h)).toEqual([]);
      expect(await sentInOrder(h)).toEqual([0, 7, 14].map((d) => at(d * DAY).toISOString()));
      expect(h.emulator.state().metricSets[0]?.data.active_users).toBe(102);
    },
  );

  it("waits at least as long as a 429's Retry-After", async () => {
    const service = await threePendingBatches(h);
    h.emulator.injectFaults({ kind: 'status', status: 429, retryAfter: 7200, path: METRICS });
    const before = h.clock.now().getTime();
    await service.runOnce();
    const rows = await pending(h);
    expect(rows[0]!.next_attempt_at!.getTime() - before).toBe(7_200_000);
    h.clock.set(rows[0]!.next_attempt_at!);
    expect((await service.runOnce()).upload?.outcome).toBe('uploaded');
  });

  it('registers again once when the vendor answers 401, and carries on', async () => {
    const service = await threePendingBatches(h);
    await service.runOnce(); // sends all three, caches the identity
    h.clock.set(at(21 * DAY));
    await service.runOnce(); // a fourth batch, sent with the cached token
    h.clock.set(at(28 * DAY));
    h.emulator.injectFaults({ kind: 'status', status: 401, path: METRICS });
    const { upload } = await service.runOnce();
    expect(upload).toMatchObject({ outcome: 'uploaded', checkIn: 'sent' });
    expect(upload!.requests).toBeLessThanOrEqual(1 + 3 + 3);
    expect(h.emulator.state().requests.filter((r) => r.path === '/v3/customer')).toHaveLength(2);
    expect(await pending(h)).toEqual([]);
  });

  it('marks a batch the vendor rejects as invalid (400) as failed with its message, and sends the others', async () => {
    const service = await threePendingBatches(h);
    h.emulator.injectFaults({
      kind: 'status',
      status: 400,
      path: METRICS,
      message: 'value of key x is an object',
      code: 'invalid_value',
    });
    const { upload } = await service.runOnce();
    expect(upload?.rejected).toHaveLength(1);
    expect(upload?.rejected[0]?.error).toContain('value of key x is an object');
    expect(upload?.sent).toHaveLength(2);
    const { rows } = await h.db.query<{ failed_at: Date | null; last_upload_error: string }>(
      'SELECT failed_at, last_upload_error FROM telemetry_metrics WHERE failed_at IS NOT NULL',
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.last_upload_error).toContain('value of key x is an object');
    const attempts = await h.db.query<{ outcome: string }>(
      "SELECT outcome FROM telemetry_upload_attempts WHERE kind = 'metrics' ORDER BY id",
    );
    expect(attempts.rows.map((r) => r.outcome).sort()).toEqual(['rejected', 'success', 'success']);
    // Final: it is never tried again.
    h.clock.set(at(15 * DAY));
    await service.runOnce();
    expect(metricsRequests(h.emulator).filter((r) => r.status === 200)).toHaveLength(2);
  });

  it('backs off when the customer cannot be registered, counting an attempt on every waiting batch', async () => {
    const service = await threePendingBatches(h);
    h.emulator.injectFaults({ kind: 'status', status: 503, path: '/v3/customer' });
    const { upload } = await service.runOnce();
    expect(upload).toMatchObject({ outcome: 'failed', failure: { stage: 'identity' } });
    const rows = await pending(h);
    expect(rows.map((r) => r.attempts)).toEqual([1, 1, 1]);
    h.clock.set(rows[0]!.next_attempt_at!);
    expect((await service.runOnce()).upload?.outcome).toBe('uploaded');
  });

  it('keeps the back-off across a restart', async () => {
    const service = await threePendingBatches(h);
    h.emulator.injectFaults({ kind: 'status', status: 500, path: METRICS });
    await service.runOnce();
    const until = (await pending(h))[0]!.next_attempt_at!;
    await service.stop();
    const restarted = h.newService();
    expect((await restarted.runOnce()).upload).toBeUndefined(); // still backing off
    h.clock.set(until);
    expect((await restarted.runOnce()).upload?.outcome).toBe('uploaded');
  });
});
