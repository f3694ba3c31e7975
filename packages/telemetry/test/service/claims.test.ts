import { type Db, openServerDb } from '@openhands/db';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertBatch } from '../../src/collection/index.js';
import { writeLeaderRow } from '../../src/storage/leader-row.js';
import { claimNextBatch } from '../../src/storage/pending-batches.js';
import { createHarness, FixtureCollector, type Harness, START } from './support/harness.js';

const DAY = 86_400_000;

/** Another "process": a pool of its own on the harness's database. */
async function processDb(h: Harness): Promise<Db> {
  const { rows } = await h.db.query<{ db: string }>('SELECT current_database() AS db');
  const url = new URL(process.env.TEST_DATABASE_URL!);
  url.pathname = `/${rows[0]!.db}`;
  return openServerDb({ url: url.toString(), maxConnections: 3 });
}

describe('batch claims on PostgreSQL', () => {
  let h: Harness;
  const extra: Db[] = [];
  beforeEach(async () => {
    h = await createHarness('postgres');
  });
  afterEach(async () => {
    for (const db of extra.splice(0)) await db.close().catch(() => undefined);
    await h.close();
  });

  it('two processes claiming at the same moment never get the same batch, and only the sender gets one', async () => {
    const [a, b] = [await processDb(h), await processDb(h)];
    extra.push(a, b);
    const now = new Date(START);
    for (let round = 0; round < 40; round++) {
      for (let i = 0; i < 3; i++) {
        await insertBatch(h.db, {
          collectedAt: new Date(now.getTime() + round * DAY + i),
          result: { metrics: { round, i }, errors: [], durations: {} },
        });
      }
      // Half the rounds A is the sender, half B (the other believes it still is: a stale sender).
      const sender = round % 2 === 0 ? 'A' : 'B';
      await writeLeaderRow(h.db, { holder: sender, acquiredAt: now, heartbeatAt: now, nextCheckAt: null });
      const [gotA, gotB] = await Promise.all([
        claimNextBatch(a, 'A', now, 120_000),
        claimNextBatch(b, 'B', now, 120_000),
      ]);
      const got = sender === 'A' ? gotA : gotB;
      const other = sender === 'A' ? gotB : gotA;
      expect(other).toBeUndefined();
      expect(got?.metrics).toEqual({ round, i: 0 }); // the oldest pending batch, nothing newer
      await h.db.query("UPDATE telemetry_metrics SET uploaded_at = $1 WHERE metrics_data->>'round' = $2", [
        now,
        String(round),
      ]);
    }
  });

  it('a claim whose holder died mid-send is free at once: the new sender sends it first, then the newer one', async () => {
    const dbA = await processDb(h);
    const dbB = await processDb(h);
    const a = h.newService({ db: dbA });
    const b = h.newService({ db: dbB });
    // Two batches wait: day 0 and day 7.
    h.admin.email = undefined;
    FixtureCollector.value = 10;
    await a.runOnce();
    h.clock.set(new Date(Date.parse(START) + 7 * DAY));
    FixtureCollector.value = 20;
    await a.runOnce();
    h.admin.email = 'admin@acme.example';
    await b.start(); // a follower, waiting on the lock

    // A sends the day-0 batch; the vendor takes it in and never answers. A dies meanwhile.
    h.emulator.injectFaults({ kind: 'accept-then-hang', path: '/application/custom-metrics' });
    const sending = a.runOnce().catch(() => undefined);
    await waitUntil(async () => (await claimedBy(h)) !== null);
    const takeover = b.once('leader:acquired');
    await dbA.close(); // the process is gone: its connections, its lock and its claim's holder
    await takeover;
    await h.advance(0); // the new sender's first check, planned for now
    await sending;
    await a.stop().catch(() => undefined);

    // B sent both, oldest first, without waiting for any lease; the vendor ends on the newest.
    const values = h.emulator
      .state()
      .events.filter((e) => e.key === 'active_users')
      .map((e) => e.value);
    expect(values, h.logger.lines.join('\n')).toEqual([10, 20]);
    const { rows } = await h.db.query<{ uploaded: boolean }>(
      'SELECT uploaded_at IS NOT NULL AS uploaded FROM telemetry_metrics ORDER BY collected_at',
    );
    expect(rows).toEqual([{ uploaded: true }, { uploaded: true }]);
    expect(h.emulator.state().metricSets[0]?.data.active_users).toBe(20);
    await dbB.close().catch(() => undefined);
  }, 60_000);
});

async function claimedBy(h: Harness): Promise<string | null> {
  const { rows } = await h.db.query<{ claimed_by: string | null }>(
    'SELECT claimed_by FROM telemetry_metrics WHERE claimed_by IS NOT NULL LIMIT 1',
  );
  return rows[0]?.claimed_by ?? null;
}

async function waitUntil(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('timed out');
}
