import type { DbKind } from '@openhands/db';
import { TEST_BACKENDS } from '@openhands/db/testing';
import { type Fault, type FieldFaultName, fieldFault } from '@openhands/replicated/emulator';
import { describe, expect, it } from 'vitest';
import { licenseStatusAt } from '../../src/license/license-state.js';
import { type Identity, readIdentity } from '../../src/storage/identity.js';
import type { ScheduleState } from '../../src/storage/schedule-state.js';
import { seededRandom } from '../../src/testing/index.js';
import {
  type BatchRow,
  batches,
  createWorld,
  DAY,
  HOUR,
  type Installation,
  MINUTE,
  type World,
} from './support/world.js';

/**
 * A year of an installation's life on an injected clock, against the emulator, with the real
 * sender (issue 9, "Proof"): random "Upload now" presses, restarts, vendor outages shorter and
 * longer than T, rejected batches and an admin email change. Invariants hold at every simulated
 * hour. A failure prints its seed; `SIM_SEED=<seed>` replays it. Every run, CI's too, simulates a
 * whole year on both databases (about 80 s on the embedded one and 55 s on PostgreSQL on a quiet
 * 2-core machine); `SIM_DAYS=<n>` runs a shorter or longer life for a quick loop:
 * `SIM_DAYS=28 npm test -- --no-checks packages/telemetry/test/compliance/simulated-year.test.ts`.
 */
const SEED = Number(process.env.SIM_SEED ?? Math.floor(Math.random() * 2 ** 31));
const DAYS: Record<DbKind, number> = {
  postgres: Number(process.env.SIM_DAYS ?? 365),
  pglite: Number(process.env.SIM_DAYS ?? 365),
};
const T_DAYS = 4;
/** 4 h plus the largest jitter; a minute for the sender's own work. */
const MAX_CHECK_IN_GAP = 4 * HOUR + 12 * MINUTE + MINUTE;
const OUTAGE_FAULTS: FieldFaultName[] = [
  'captive-portal',
  'redirect',
  'gateway-404',
  'gateway-502',
  'proxy-407',
  'retry-after-far-date',
  'retry-after-garbage',
];

type Action =
  | { kind: 'upload-now' }
  | { kind: 'restart' }
  | { kind: 'outage'; fault: FieldFaultName; hours: number }
  | { kind: 'reject-next-batch' }
  | { kind: 'email-change' };

/** What happens at which simulated hour, drawn from the seed. */
function plan(days: number, random: () => number): Map<number, Action[]> {
  const hours = days * 24;
  const at = new Map<number, Action[]>();
  const add = (hour: number, action: Action) => at.set(hour, [...(at.get(hour) ?? []), action]);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const someHour = () => 2 + Math.floor(random() * (hours - 2));
  const perYear = (n: number) => Math.max(1, Math.round((n * days) / 365));
  for (let i = 0; i < perYear(20); i++) add(someHour(), { kind: 'upload-now' });
  for (let i = 0; i < perYear(12); i++) add(someHour(), { kind: 'restart' });
  // In the first half, so that later batches meet every rejection (a run of four weeks has one).
  const firstHalfHour = () => 2 + Math.floor(random() * (hours / 2 - 2));
  for (let i = 0; i < perYear(6); i++) add(firstHalfHour(), { kind: 'reject-next-batch' });
  for (let i = 0; i < Math.max(2, perYear(6)); i++) {
    const short = i % 2 === 0;
    const hoursLong = short ? 1 + Math.floor(random() * 47) : (T_DAYS + 0.5 + random() * 6) * 24;
    add(someHour(), { kind: 'outage', fault: pick(OUTAGE_FAULTS), hours: Math.round(hoursLong) });
  }
  add(Math.floor(hours * (0.3 + random() * 0.4)), { kind: 'email-change' });
  return at;
}

interface Truth {
  /** The outage in progress ends at this time, or null. */
  outageUntil: number | null;
  /** When the last outage ended (the sender may then wait out a back-off of up to 24 h). */
  lastOutageEnd: number | null;
}

/**
 * The installation's stored state, read again only when something may have changed it: a request
 * to the vendor, a collection, or an action of the test. Reading it every simulated hour on the
 * embedded database would double the run time for nothing.
 */
class StoredView {
  stale = true;
  private requestsKey = '';
  private listening: unknown;
  rows: BatchRow[] = [];
  identity!: Identity;
  state!: ScheduleState;

  constructor(private readonly it: Installation) {}

  /** `requestsKey` changes with every request the vendor saw. */
  async refresh(requestsKey: string): Promise<void> {
    if (this.listening !== this.it.sender) {
      this.it.sender.on('batch:collected', () => {
        this.stale = true;
      });
      this.listening = this.it.sender; // a restart makes a new sender
      this.stale = true;
    }
    if (!this.stale && requestsKey === this.requestsKey) return;
    [this.rows, this.identity, this.state] = await Promise.all([
      batches(this.it.db),
      readIdentity(this.it.db),
      this.it.state(),
    ]);
    this.requestsKey = requestsKey;
    this.stale = false;
  }
}

async function checkInvariants(world: World, truth: Truth, hour: number, stored: StoredView): Promise<void> {
  const now = world.clock.now().getTime();
  const where = `seed ${SEED}, ${world.kind}, hour ${hour} (${world.clock.now().toISOString()})`;
  const vendor = world.emulator.state();
  await stored.refresh(`${vendor.requests.length}:${vendor.requests.at(-1)?.at}`);
  const { rows, identity } = stored;
  const ours = new Set(vendor.instances.map((i) => i.id));

  // Every batch is accepted, waiting or rejected, and the vendor has exactly the accepted ones.
  for (const row of rows) expect(row.uploadedAt !== null && row.failedAt !== null, where).toBe(false);
  const received = new Set(vendor.events.filter((e) => e.key === 'batch_number').map((e) => e.value as number));
  const accepted = rows.filter((r) => r.uploadedAt !== null);
  expect(
    [...received].sort((a, b) => a - b),
    where,
  ).toEqual(accepted.map((r) => r.batchNumber).sort((a, b) => a - b));

  // The vendor's current metric set is the newest accepted batch.
  const newestSet = [...vendor.metricSets].sort((a, b) => Date.parse(b.receivedAt) - Date.parse(a.receivedAt))[0];
  // Batches sent in one cycle share its instant: among them the last sent is the newest collected.
  const newestAccepted = [...accepted].sort(
    (a, b) => b.uploadedAt!.getTime() - a.uploadedAt!.getTime() || b.collectedAt.getTime() - a.collectedAt.getTime(),
  )[0];
  const sentAt = accepted.map((r) => `${r.batchNumber}@${r.uploadedAt!.toISOString()}`).slice(-3);
  expect(newestSet?.data['batch_number'], `${where}: accepted ${sentAt.join(', ')}`).toBe(newestAccepted?.batchNumber);

  // One instance per installation: one per customer it registered with, none twice.
  for (const customer of vendor.customers) expect(customer.instanceIds.length, where).toBeLessThanOrEqual(1);
  if (identity.instanceId) expect(ours.has(identity.instanceId), where).toBe(true);

  // No warning unless a gap of DECISIONS §3 is over T (and a warning whenever one is).
  const checkIns = vendor.checkIns.map((c) => Date.parse(c.at));
  const lastContact = Math.max(-Infinity, ...checkIns, ...accepted.map((r) => r.uploadedAt!.getTime()));
  const newestAcceptedCollected = Math.max(-Infinity, ...accepted.map((r) => r.collectedAt.getTime()));
  const unaccepted = rows.filter((r) => r.uploadedAt === null && r.collectedAt.getTime() > newestAcceptedCollected);
  const contactGap = now - (Number.isFinite(lastContact) ? lastContact : (rows[0]?.collectedAt.getTime() ?? now));
  const dataGap = unaccepted.length === 0 ? 0 : now - unaccepted[0]!.collectedAt.getTime();
  const overT = contactGap > T_DAYS * DAY || dataGap > T_DAYS * DAY;
  const status = licenseStatusAt(stored.state, { isEnterprise: true, warningThresholdDays: T_DAYS }, new Date(now));
  expect(status.warn, `${where}: contact gap ${contactGap / HOUR} h, data gap ${dataGap / HOUR} h`).toBe(overT);

  // No check-in gap over 4 h + jitter while the vendor is reachable (after an outage, once the
  // back-off it left, at most 24 h, has passed).
  const settled = truth.lastOutageEnd === null || now - truth.lastOutageEnd > 25 * HOUR;
  if (truth.outageUntil === null && settled && checkIns.length > 0) {
    expect(now - Math.max(...checkIns), `${where}: check-in gap`).toBeLessThanOrEqual(MAX_CHECK_IN_GAP);
  }
}

async function act(world: World, it: Installation, truth: Truth, action: Action): Promise<void> {
  const now = world.clock.now().getTime();
  switch (action.kind) {
    case 'upload-now':
      await it.telemetry.commands.uploadNow().catch(() => undefined); // a failed upload is fine
      return;
    case 'restart':
      await it.restart();
      return;
    case 'reject-next-batch': {
      const rejection: Fault = {
        kind: 'status',
        status: 400,
        path: '/application/custom-metrics',
        message: 'Metric "batch_number" is invalid.',
        code: 'invalid_metric',
      };
      world.emulator.injectFaults(rejection);
      return;
    }
    case 'outage':
      if (truth.outageUntil !== null) return; // one at a time
      world.emulator.injectFaults(fieldFault(action.fault, { count: 1_000_000 }));
      truth.outageUntil = now + action.hours * HOUR;
      return;
    case 'email-change':
      it.admin.email = 'new-admin@acme.example';
      return;
  }
}

describe.each(TEST_BACKENDS)('a simulated year on %s', (kind) => {
  it(`keeps every invariant at every hour (seed ${SEED}, replay with SIM_SEED=${SEED})`, async () => {
    console.log(`simulated ${DAYS[kind]} days on ${kind}: SIM_SEED=${SEED}`);
    const random = seededRandom(SEED);
    const actions = plan(DAYS[kind], random);
    const world = await createWorld(kind, '2026-01-05T00:00:00.000Z', SEED);
    const truth: Truth = { outageUntil: null, lastOutageEnd: null };
    try {
      const it = await world.install({ ownInstallationId: true });
      const stored = new StoredView(it);
      for (let hour = 0; hour < DAYS[kind] * 24; hour++) {
        if (truth.outageUntil !== null && world.clock.now().getTime() >= truth.outageUntil) {
          // A pending one-off rejection survives the outage's end; the outage's own fault goes.
          const rejections = world.emulator.state().faults.filter((f) => f.kind === 'status' && f.status === 400);
          world.emulator.clearFaults();
          if (rejections.length > 0) world.emulator.injectFaults(rejections.map(({ remaining: _r, ...f }) => f));
          truth.lastOutageEnd = truth.outageUntil;
          truth.outageUntil = null;
        }
        const todo = actions.get(hour) ?? [];
        for (const action of todo) await act(world, it, truth, action);
        if (todo.length > 0) stored.stale = true;
        await world.advance(HOUR);
        await checkInvariants(world, truth, hour, stored);
      }
      const rows = await batches(it.db);
      expect(rows.length).toBeGreaterThanOrEqual(Math.floor(DAYS[kind] / 7));
      // Each rejection the vendor answered rejected exactly one batch; one still waiting for a
      // batch (an outage ran to the end) rejected none.
      const planned = [...actions.values()].flat().filter((a) => a.kind === 'reject-next-batch').length;
      const unanswered = world.emulator.state().faults.filter((f) => f.kind === 'status' && f.status === 400).length;
      expect(planned - unanswered, `seed ${SEED}: rejections answered`).toBeGreaterThan(0);
      expect(rows.filter((r) => r.failedAt !== null).length, `seed ${SEED}`).toBe(planned - unanswered);
    } finally {
      await world.close();
    }
    // A year on the embedded database takes about 5 minutes on a machine that runs everything else too.
  }, 900_000);
});
