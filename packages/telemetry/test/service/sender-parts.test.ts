import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, FixtureCollector, type Harness, metricsRequests, START } from './support/harness.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('the sender and the queries, on the embedded database', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness('pglite');
  });
  afterEach(async () => {
    await h.close();
  });

  it('marks a sender that has not checked in for two check intervals as stale, and says so', async () => {
    const service = h.newService();
    await service.runOnce(); // leads, collects, uploads: the identity exists, checks are hourly
    await service.stop(); // and goes silent, its leader row left behind
    const cases: Array<[number, boolean]> = [
      [0, false],
      [HOUR, false],
      [2 * HOUR, false],
      [2 * HOUR + MINUTE, true],
      [30 * HOUR, true],
    ];
    for (const [silentFor, stale] of cases) {
      h.clock.set(new Date(Date.parse(START) + silentFor));
      const { leader, phase } = await service.telemetry.queries.overview();
      expect(phase).toBe('normal');
      expect(leader?.stale, `after ${silentFor / MINUTE} min`).toBe(stale);
      if (stale) {
        expect(leader?.staleMessage).toBe(
          `The sender ${service.processId} has not checked in for ${silentFor / MINUTE} minutes (it checks every 60); ` +
            'it has probably stopped, and no other replica has taken over yet.',
        );
      } else {
        expect(leader?.staleMessage).toBeNull();
      }
    }
  });

  it('a burst of Terms acceptances before the vendor knows us refreshes the waiting batch once, and the vendor sees the new user at once', async () => {
    h.admin.email = undefined;
    const service = h.newService();
    await service.start();
    await h.advance(0); // the first check: a batch, and an upload that waits for an email
    const cycles = h.events(service, 'upload:cycle');
    FixtureCollector.value = 5; // five users accepted the Terms
    h.admin.email = 'first@acme.example';
    await Promise.all(Array.from({ length: 5 }, () => service.notifyTermsAccepted()));
    for (let i = 0; i < 200 && cycles.length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      await h.advance(0);
    }
    await service.idle();
    expect(cycles).toHaveLength(1);
    const { rows } = await h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM telemetry_metrics');
    expect(rows[0]?.n).toBe(1); // the waiting batch was replaced, not joined by five more
    expect(metricsRequests(h.emulator)).toHaveLength(1);
    expect(h.emulator.state().metricSets[0]?.data.active_users).toBe(5);
    expect(h.clock.now().toISOString()).toBe(START); // no simulated time passed
  });

  it('answers "Collect now" through the same command path on the embedded database', async () => {
    const service = h.newService();
    await service.start();
    await h.advance(0);
    const answers = await Promise.all([
      service.telemetry.commands.collectNow(),
      service.telemetry.commands.collectNow(),
    ]);
    expect(answers[0].batch.id).toBe(answers[1].batch.id); // two presses at once: one collection
    const { rows } = await h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM telemetry_metrics');
    expect(rows[0]?.n).toBe(2); // the first check's batch and this one
  });

  it('a request still waiting for a sender when the server closes answers 503 at once, and the command never runs', async () => {
    const service = h.newService(); // never started: no sender
    const waiting = service.telemetry.commands.collectNow().catch((error: unknown) => error);
    for (let i = 0; i < 200; i++) {
      const { rows } = await h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM telemetry_commands');
      if (rows[0]?.n === 1) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const closedAt = Date.now();
    await service.telemetry.commands.close();
    const error = (await waiting) as { statusCode: number; code: string; message: string };
    expect(Date.now() - closedAt).toBeLessThan(5_000); // not the 15 s wait for a sender
    expect(error).toMatchObject({
      statusCode: 503,
      code: 'no_sender',
      message: 'This server is shutting down; the command was not run. Try again in a moment.',
    });
    const { rows } = await h.db.query<{ state: string }>('SELECT state FROM telemetry_commands');
    expect(rows).toEqual([{ state: 'expired' }]);
  });
});
