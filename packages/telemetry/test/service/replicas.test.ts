import { openServerDb } from '@openhands/db';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness, metricsRequests, type TestService } from './support/harness.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A second process on the same database: its own pool and its own sender session. */
async function replicaDb(h: Harness) {
  const { rows } = await h.db.query<{ db: string }>('SELECT current_database() AS db');
  const url = new URL(process.env.TEST_DATABASE_URL!);
  url.pathname = `/${rows[0]!.db}`;
  return openServerDb({ url: url.toString(), maxConnections: 3 });
}

describe('three processes on one PostgreSQL', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness('postgres');
  });
  afterEach(async () => {
    await h.close();
  });

  it('over 60 days: one sender, one batch per 7 days, no batch sent twice, and a new sender when the leader dies', async () => {
    // Three processes, each with its own pool; h.db stays the test's own view of the database.
    const dbs = [await replicaDb(h), await replicaDb(h), await replicaDb(h)];
    const services = dbs.map((db) => h.newService({ db }));
    const acquired: string[] = [];
    for (const service of services) service.on('leader:acquired', ({ holder }) => acquired.push(holder));
    for (const service of services) await service.start();

    await h.advance(30 * DAY);
    expect(acquired).toHaveLength(1);
    const leader = services.find((s) => s.isLeader)!;
    expect(services.filter((s) => s.isLeader)).toHaveLength(1);

    // The leader's process dies: its connections drop, and with them the lock. Its timers die with it.
    // The followers wait on the lock itself, so one holds it as soon as PostgreSQL frees it:
    // no simulated time has to pass.
    const leaderIndex = services.indexOf(leader);
    const takeover = Promise.race(services.filter((s) => s !== leader).map((s) => s.once('leader:acquired')));
    await dbs[leaderIndex]!.close();
    await leader.stop().catch(() => undefined);
    const survivors = services.filter((s) => s !== leader) as TestService[];
    await takeover;
    await h.advance(0);
    expect(acquired).toHaveLength(2);
    expect(survivors.filter((s) => s.isLeader)).toHaveLength(1);

    await h.advance(30 * DAY);

    const { rows: batches } = await h.db.query<{ collected_at: Date; uploaded_at: Date | null }>(
      'SELECT collected_at, uploaded_at FROM telemetry_metrics ORDER BY collected_at',
    );
    expect(batches).toHaveLength(9); // days 0, 7, …, 56
    for (let i = 1; i < batches.length; i++) {
      const gap = batches[i]!.collected_at.getTime() - batches[i - 1]!.collected_at.getTime();
      expect(gap).toBeGreaterThanOrEqual(7 * DAY);
      expect(gap).toBeLessThanOrEqual(7 * DAY + HOUR); // a check may fall up to one interval late
    }
    expect(batches.every((b) => b.uploaded_at !== null)).toBe(true);

    const { rows: twice } = await h.db.query(
      `SELECT batch_id FROM telemetry_upload_attempts WHERE kind = 'metrics' AND outcome = 'success'
       GROUP BY batch_id HAVING count(*) > 1`,
    );
    expect(twice).toEqual([]);
    expect(metricsRequests(h.emulator).filter((r) => r.status === 200)).toHaveLength(9);
    // A heartbeat every day, from whichever process led.
    expect(h.emulator.state().checkIns.length).toBeGreaterThanOrEqual(59);
  }, 240_000);

  it('tells the sender about a Terms acceptance made on another replica', async () => {
    h.admin.email = undefined;
    const dbs = [await replicaDb(h), await replicaDb(h)];
    const [a, b] = dbs.map((db) => h.newService({ db })) as [TestService, TestService];
    await a.start();
    await h.advance(0);
    await b.start();
    await h.advance(0);
    expect(a.isLeader).toBe(true);
    expect(b.isLeader).toBe(false);
    const cycles = h.events(a, 'upload:cycle');
    h.admin.email = 'first@acme.example';
    await b.notifyTermsAccepted(); // the user accepted on the follower
    for (let i = 0; i < 100 && cycles.length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      await h.advance(0);
    }
    expect(cycles).toHaveLength(1);
    expect(h.emulator.state().customers.map((c) => c.email)).toEqual(['first@acme.example']);
  });
});
