import type { DbKind, Queryable } from '@openhands/db';
import { createTestDb, TEST_BACKENDS } from '@openhands/db/testing';
import { machineFingerprint } from '@openhands/replicated';
import { afterEach, describe, expect, it } from 'vitest';
import { telemetryMigrations } from '../../src/index.js';
import { readIdentity } from '../../src/storage/identity.js';
import type { UploadCycleReport } from '../../src/upload/upload-cycle.js';
import { createWorld, DAY, HOUR, type Installation, type World } from './support/world.js';

/** The vendor's current metric set of an instance. */
function currentSet(world: World, instanceId: string) {
  return world.emulator.state().metricSets.find((set) => set.instanceId === instanceId)?.data;
}

async function instanceOf(it: Installation): Promise<string> {
  const { instanceId } = await readIdentity(it.db);
  if (!instanceId) throw new Error('no instance registered yet');
  return instanceId;
}

/** A logical copy of the telemetry tables (pg_dump and restore, in effect) into another database. */
async function restoreInto(from: Queryable, to: Queryable): Promise<void> {
  await to.query('DELETE FROM telemetry_upload_attempts');
  await to.query('DELETE FROM telemetry_metrics');
  await to.query('DELETE FROM telemetry_identity');
  for (const table of ['telemetry_identity', 'telemetry_metrics']) {
    const { rows } = await from.query<{ row: unknown }>(`SELECT row_to_json(t) AS row FROM ${table} t`);
    for (const { row } of rows) {
      await to.query(`INSERT INTO ${table} SELECT * FROM json_populate_record(NULL::${table}, $1::json)`, [
        JSON.stringify(row),
      ]);
    }
  }
}

describe.each(TEST_BACKENDS)('one instance per installation on %s (DECISIONS §4)', (kind) => {
  let world: World;
  afterEach(async () => world?.close());

  it('two installations with one admin email: two instances, neither overwrites the other', async () => {
    world = await createWorld(kind);
    const first = await world.install({ ownInstallationId: true });
    await world.advance(HOUR);
    const second = await world.install({ ownInstallationId: true });
    await world.advance(2 * DAY);

    const state = world.emulator.state();
    expect(state.customers).toHaveLength(1); // one customer: the same admin email
    expect(state.instances).toHaveLength(2);
    const [a, b] = [await instanceOf(first), await instanceOf(second)];
    expect(a).not.toBe(b);
    // Each instance holds its own installation's newest accepted batch.
    const newest = async (it: Installation) =>
      (
        await it.db.query<{ data: Record<string, unknown> }>(
          'SELECT metrics_data AS data FROM telemetry_metrics WHERE uploaded_at IS NOT NULL ORDER BY collected_at DESC LIMIT 1',
        )
      ).rows[0]?.data;
    expect(currentSet(world, a)).toEqual(await newest(first));
    expect(currentSet(world, b)).toEqual(await newest(second));
    expect(currentSet(world, a)).not.toEqual(currentSet(world, b));
    // And both stay active: check-ins for each.
    for (const id of [a, b])
      expect(state.checkIns.filter((c) => c.instanceId === id).length).toBeGreaterThanOrEqual(2 * 6);
  });

  it('an admin email change: a new customer and instance, the old one left as it was', async () => {
    world = await createWorld(kind);
    const it = await world.install({ ownInstallationId: true, collectionIntervalDays: 1 });
    await world.advance(HOUR);
    const before = await instanceOf(it);
    const oldSet = currentSet(world, before);
    it.admin.email = 'new-admin@acme.example';
    await world.advance(DAY);
    const after = await instanceOf(it);
    expect(after).not.toBe(before);
    expect(
      world.emulator
        .state()
        .customers.map((c) => c.email)
        .sort(),
    ).toEqual(['admin@acme.example', 'new-admin@acme.example']);
    expect(currentSet(world, before)).toEqual(oldSet);
    expect(currentSet(world, after)).toBeDefined();
  });
});

describe('an installation registered before migration 0002', () => {
  it('keeps its instance: the migration computes the same fingerprint in SQL as the client', async () => {
    const db = await createTestDb('pglite', [telemetryMigrations]);
    try {
      // The expression of migration 0002, on this database's installation id.
      const { rows } = await db.query<{ id: string; sql: string }>(
        `SELECT installation_id::text AS id,
                encode(sha256(convert_to('openhands-installation:' || installation_id::text, 'UTF8')), 'hex') AS sql
         FROM telemetry_identity`,
      );
      expect(rows[0]!.sql).toBe(machineFingerprint(rows[0]!.id));
    } finally {
      await db.close();
    }
  });
});

const restores: Array<[DbKind, DbKind]> = [
  ['pglite', 'postgres'],
  ['postgres', 'postgres'],
];

describe('a database restored into a second installation (DECISIONS §4)', () => {
  let world: World;
  afterEach(async () => world?.close());

  it.each(restores)(
    'from %s into %s: the copy registers a new instance, tagged; the original keeps its own',
    async (fromKind, toKind) => {
      world = await createWorld(fromKind);
      const original = await world.install();
      await world.advance(HOUR);
      const originalInstance = await instanceOf(original);
      const originalSet = currentSet(world, originalInstance);

      const copyDb = await createTestDb(toKind, [telemetryMigrations]);
      await restoreInto(original.db, copyDb);
      const reports: UploadCycleReport[] = [];
      const copy = await world.install({ db: copyDb });
      copy.sender.on('upload:cycle', ({ report }) => reports.push(report));
      await world.advance(2 * DAY);

      const copyInstance = await instanceOf(copy);
      expect(copyInstance).not.toBe(originalInstance);
      const copyIdentity = await readIdentity(copyDb);
      expect(copyIdentity.copiedFromInstanceId).toBe(originalInstance);
      expect(copyIdentity.installationId).not.toBe((await readIdentity(original.db)).installationId);
      // Noticed once, on the first cycle, and the vendor sees where the copy came from.
      expect(reports.filter((r) => r.copyDetected).map((r) => r.copyDetected)).toEqual([
        { fromInstanceId: originalInstance },
      ]);
      const vendorView = world.emulator.state().instances.find((i) => i.id === copyInstance);
      expect(vendorView?.tags).toEqual({ copied_from_instance: originalInstance });
      // The original carries on with its own instance, untouched by the copy.
      expect(await instanceOf(original)).toBe(originalInstance);
      expect(currentSet(world, originalInstance)).toEqual(originalSet);
      const lastOriginalCheckIn = world.emulator
        .state()
        .checkIns.filter((c) => c.instanceId === originalInstance)
        .at(-1);
      expect(Date.parse(lastOriginalCheckIn!.at)).toBeGreaterThan(world.clock.now().getTime() - 5 * HOUR);
      await copyDb.close();
    },
  );
});
