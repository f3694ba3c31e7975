/**
 * `npm run bench:upload`: what an upload costs, measured against the local Replicated emulator.
 *
 * 1. Requests for one upload cycle of 4 pending batches of 40 keys: ours (one metrics request per
 *    batch, the vendor replaces the whole set) beside the design document's per-key upload, which
 *    is replayed here for real with the same client: customer + instance, then per batch one request
 *    per key (each carrying the whole dictionary so far, as the Python SDK does) and a status call:
 *    2 + 4 × 41 = 166.
 * 2. Time from a Terms acceptance to the first metrics at the vendor, through the real server (HTTP
 *    sign-in and acceptance, the host's kick, the sender's collection and upload), on the embedded
 *    database and on PostgreSQL. Target: under 5 seconds.
 * 3. The heartbeat (DECISIONS §4): four simulated weeks of the real sender on an injected clock
 *    against the emulator: check-ins per simulated day (target at least 6, never a gap over
 *    4 h 15 min) and the requests of a weekly cycle, by kind.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Db, migrate, openEmbeddedDb, openServerDb } from '@openhands/db';
import { createEmptyServerDb } from '@openhands/db/testing';
import { ReplicatedClient } from '@openhands/replicated';
import { type Emulator, startEmulator } from '@openhands/replicated/emulator';
import {
  CollectorRegistry,
  createTelemetry,
  MetricsCollector,
  REPLICATED_APP_SLUG,
  REPLICATED_PUBLISHABLE_KEY,
  telemetryMigrations,
} from '@openhands/telemetry';
import { ManualClock, seededRandom } from '@openhands/telemetry/testing';
import { buildApp } from '../apps/server/src/app.js';
import { loadServerConfig } from '../apps/server/src/config/server-config.js';
import { createHostEvents, type ServerContext } from '../apps/server/src/context.js';
import { createLogger } from '../apps/server/src/http/logger.js';
import { allMigrations } from '../apps/server/src/migrations.js';
import { createTelemetryWiring } from '../apps/server/src/telemetry/telemetry.js';
import { runUploadCycle } from '../packages/telemetry/src/upload/upload-cycle.js';
import { ensureTestPostgres } from '../scripts/provision/postgres.mjs';

const BATCHES = 4;
const KEYS = 40;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const ENTERPRISE = { GITHUB_APP_CLIENT_ID: 'gh', KEYCLOAK_SERVER_URL: 'https://kc.example', KEYCLOAK_REALM_NAME: 'oh' };

function metricsOf(batch: number): Record<string, number | string | boolean> {
  return Object.fromEntries(Array.from({ length: KEYS }, (_, k) => [`metric_${k}`, batch * 1000 + k]));
}

const vendorRequests = (emulator: Emulator) => emulator.state().requests.length;

async function embeddedDb(): Promise<{ db: Db; drop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'oh-bench-'));
  const db = await openEmbeddedDb({ dataDir: dir });
  return { db, drop: async () => rmSync(dir, { recursive: true, force: true }) };
}

async function serverDb(adminUrl: string): Promise<{ db: Db; drop(): Promise<void> }> {
  process.env.TEST_DATABASE_URL = adminUrl;
  const empty = await createEmptyServerDb();
  const db = await openServerDb({ url: empty.url });
  return { db, drop: empty.drop };
}

/** Part 1: our cycle against the design's per-key upload, same 4 × 40 metrics. */
async function requestCounts(): Promise<void> {
  const { db, drop } = await embeddedDb();
  await migrate(db, allMigrations);
  for (let b = 0; b < BATCHES; b++) {
    await db.query(
      `INSERT INTO telemetry_metrics (collected_at, metrics_data) VALUES (now() - make_interval(days => $1), $2)`,
      [7 * (BATCHES - b), metricsOf(b)],
    );
  }
  // The cycle sends only as the sender the leader row names (one sender across replicas).
  await db.query(
    `INSERT INTO telemetry_leader (id, holder, acquired_at, heartbeat_at) VALUES (1, 'bench', now(), now())`,
  );
  const ours = await startEmulator();
  const oursClient = new ReplicatedClient({
    baseUrl: ours.url,
    publishableKey: REPLICATED_PUBLISHABLE_KEY,
    appSlug: REPLICATED_APP_SLUG,
  });
  let started = performance.now();
  const report = await runUploadCycle({
    db,
    client: oursClient,
    adminEmail: 'admin@acme.example',
    appVersion: '1.0.0',
    instanceName: 'bench',
    holder: 'bench',
    now: () => new Date(),
    random: Math.random,
    signal: new AbortController().signal,
  });
  const oursMs = performance.now() - started;
  const oursRequests = vendorRequests(ours);
  await oursClient.close();

  const design = await startEmulator();
  const client = new ReplicatedClient({
    baseUrl: design.url,
    publishableKey: REPLICATED_PUBLISHABLE_KEY,
    appSlug: REPLICATED_APP_SLUG,
  });
  started = performance.now();
  const customer = await client.createCustomer({ email: 'admin@acme.example' });
  const { instanceId } = await client.createInstance({
    serviceToken: customer.serviceToken,
    machineFingerprint: 'f'.repeat(64),
  });
  const clusterId = 'f'.repeat(64);
  const sent: Record<string, number | string | boolean> = {};
  for (let b = 0; b < BATCHES; b++) {
    for (const [key, value] of Object.entries(metricsOf(b))) {
      sent[key] = value; // send_metric: the whole dictionary, again
      await client.sendMetrics({ serviceToken: customer.serviceToken, instanceId, clusterId, data: { ...sent } });
    }
    await client.checkIn({
      serviceToken: customer.serviceToken,
      instanceId,
      clusterId,
      appStatus: 'ready',
      versionLabel: '1.0.0',
      instanceName: 'bench',
    });
  }
  const designMs = performance.now() - started;
  const designRequests = vendorRequests(design);

  console.log(`\n1. One upload cycle: ${BATCHES} pending batches of ${KEYS} keys (outcome: ${report.outcome})`);
  console.log(
    `   ours:                 ${String(oursRequests).padStart(4)} requests  ${oursMs.toFixed(0).padStart(6)} ms  (at most B + 3 = ${BATCHES + 3})`,
  );
  console.log(
    `   design, one per key:  ${String(designRequests).padStart(4)} requests  ${designMs.toFixed(0).padStart(6)} ms  (2 + ${BATCHES} × ${KEYS + 1} = ${2 + BATCHES * (KEYS + 1)})`,
  );
  console.log(
    `   ratio ours/design:    ${(oursRequests / designRequests).toFixed(3)} of the requests, ${(oursMs / designMs).toFixed(2)} of the time`,
  );
  await Promise.all([ours.close(), design.close(), client.close()]);
  await db.close();
  await drop();
}

/** Part 2: one run of sign-in → accept the Terms → first metrics at the emulator. */
async function timeToFirstMetrics(open: () => Promise<{ db: Db; drop(): Promise<void> }>): Promise<number> {
  const { db, drop } = await open();
  await migrate(db, allMigrations);
  const emulator = await startEmulator();
  // The development sign-in is off on an enterprise install unless asked for (a bench has no Keycloak).
  const env = { ...ENTERPRISE, REPLICATED_API_URL: emulator.url, OPENHANDS_DEV_SIGN_IN: 'true' };
  const config = loadServerConfig({ ...env, LOG_LEVEL: 'silent', OPENHANDS_WEB_DIR: '/nonexistent' }, '1.0.0');
  const ctx: ServerContext = { db, env, config, now: () => new Date(), events: createHostEvents() };
  const log = createLogger('silent');
  const telemetry = await createTelemetryWiring(ctx, { log, startedAt: new Date() });
  const app = await buildApp(ctx, { logger: log, plugins: [telemetry.plugin] });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    // The first check (leadership, the initial collection) is over before anyone signs in.
    await new Promise<void>((resolve) => telemetry.sender.on('tick:done', () => resolve()));
    const signIn = await fetch(`${base}/api/auth/dev-sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'first@acme.example' }),
    });
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    const started = performance.now();
    await fetch(`${base}/api/tos/accept`, { method: 'POST', headers: { cookie } });
    while (emulator.state().metricSets.length === 0) {
      if (performance.now() - started > 30_000) throw new Error('no metrics at the emulator within 30 s');
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    return performance.now() - started;
  } finally {
    await app.close();
    await emulator.close();
    await db.close();
    await drop();
  }
}

function summary(samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  return `median ${median.toFixed(0)} ms, max ${sorted.at(-1)!.toFixed(0)} ms over ${samples.length} runs (target < 5000 ms)`;
}

/** A collector of one value, so that the heartbeat measure is about the schedule, not the SQL. */
class OneValue extends MetricsCollector {
  readonly collectorName = 'one_value';
  collect() {
    return [{ key: 'active_users', value: 1 }];
  }
}

/** Part 3: the real sender for four simulated weeks; what the vendor sees of it. */
async function heartbeat(): Promise<void> {
  const WEEKS = 4;
  const { db, drop } = await embeddedDb();
  await migrate(db, [telemetryMigrations]);
  const start = new Date('2026-01-05T00:00:00Z');
  const clock = new ManualClock(start);
  const emulator = await startEmulator({ now: () => clock.now() });
  const registry = new CollectorRegistry();
  registry.register(OneValue);
  const telemetry = createTelemetry({
    db,
    registry,
    host: {
      appVersion: '1.0.0',
      instanceName: 'bench',
      isEnterprise: true,
      startedAt: start,
      adminEmail: async () => ({ email: 'admin@acme.example', source: 'env' }),
      facts: {},
    },
    settings: {
      collectionIntervalDays: 7,
      uploadIntervalHours: 24,
      warningThresholdDays: 4,
      replicatedApiUrl: emulator.url,
      adminToken: undefined,
    },
    clock,
    random: seededRandom(9),
  });
  await telemetry.sender.start();
  const wall = performance.now();
  await clock.advance(WEEKS * 7 * 86_400_000, async () => {
    for (let i = 0; i < 3; i++) await telemetry.sender.idle();
  });
  const wallMs = performance.now() - wall;
  const state = emulator.state();
  const times = state.checkIns.map((c) => Date.parse(c.at));
  const perDay = Array.from({ length: WEEKS * 7 }, (_, d) => {
    const from = start.getTime() + d * 86_400_000;
    return times.filter((t) => t >= from && t < from + 86_400_000).length;
  });
  const gaps = times.slice(1).map((t, i) => t - times[i]!);
  const maxGapMin = Math.max(...gaps) / 60_000;
  const lastWeekFrom = start.getTime() + (WEEKS - 1) * 7 * 86_400_000;
  const week = state.requests.filter(
    (r) => Date.parse(r.at) >= lastWeekFrom && Date.parse(r.at) < lastWeekFrom + 7 * 86_400_000,
  );
  const byPath = (path: string) => week.filter((r) => r.path === path).length;
  console.log(`\n3. The heartbeat: ${WEEKS} simulated weeks of the sender (${wallMs.toFixed(0)} ms of wall time)`);
  console.log(
    `   check-ins per simulated day: min ${Math.min(...perDay)}, mean ${(times.length / perDay.length).toFixed(2)} (target ≥ 6)`,
  );
  console.log(
    `   longest gap between check-ins: ${Math.floor(maxGapMin / 60)} h ${Math.round(maxGapMin % 60)} min (target ≤ 4 h 15 min)`,
  );
  console.log(
    `   requests of a weekly cycle (the last week): ${week.length} = ${byPath('/application/custom-metrics')} metrics + ` +
      `${byPath('/kots_metrics/license_instance/info')} check-ins + ${byPath('/v3/customer') + byPath('/v3/instance')} identity`,
  );
  await telemetry.sender.stop();
  await telemetry.commands.close();
  await emulator.close();
  await db.close();
  await drop();
}

await requestCounts();
await heartbeat();

console.log('\n2. From a first Terms acceptance to the first metrics at the vendor');
const embedded: number[] = [];
for (let i = 0; i < RUNS; i++) embedded.push(await timeToFirstMetrics(embeddedDb));
console.log(`   embedded database:  ${summary(embedded)}`);
const postgres = await ensureTestPostgres();
try {
  const server: number[] = [];
  for (let i = 0; i < RUNS; i++) server.push(await timeToFirstMetrics(() => serverDb(postgres.url)));
  console.log(`   PostgreSQL 15:      ${summary(server)}`);
} finally {
  await postgres.stop();
}
