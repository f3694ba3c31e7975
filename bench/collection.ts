/**
 * `npm run bench:collection [-- --users N --conversations M --backend postgres|pglite|both]`
 *
 * Seeds a database with the demo seed (1,000,000 users and 5,000,000 conversations by default),
 * then measures, warm and in the same run: one serial `SELECT count(*) FROM conversation_metadata`
 * (no parallel workers), a full collection (every collector and the batch insert), their ratio
 * (target ≤ 3), and the longest the event loop was blocked during the collection (target ≤ 50 ms).
 * Each is the median of several runs (the delay: the worst run). Then, in processes of their own,
 * resident memory: on the embedded database after a first start on a new folder and after a
 * restart on it (target: within 20 %), and on both after a collection on the seeded data (target:
 * under 60 % of the chart's memory limit). Without --database-url it starts a throwaway
 * PostgreSQL; --database-url and --data-dir reuse a database seeded by an earlier run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type Db, migrate, openDatabase } from '@openhands/db';
import { type CollectorRegistry, collectBatch } from '@openhands/telemetry';
import { allMigrations } from '../apps/server/src/migrations.js';
import { seedDemoData } from '../apps/server/src/seed/seed.js';
import { loadCollectors } from '../apps/server/src/telemetry/registry.js';
import { formatMs, idle, median, timed, withEventLoopMonitor } from './support/measure.js';
import { chartMemoryLimitMb, type ProbeFigures, probeMemory } from './support/memory.js';
import { type Cluster, startThrowawayCluster } from './support/postgres-cluster.js';
import { explain, recording } from './support/recording-db.js';

const RATIO_TARGET = 3;
const DELAY_TARGET_MS = 50;
const FIRST_START_MARGIN_PERCENT = 20;
const LIMIT_SHARE_PERCENT = 60;

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '1000000' },
    conversations: { type: 'string', default: '5000000' },
    backend: { type: 'string', default: 'both' },
    runs: { type: 'string', default: '5' },
    'database-url': { type: 'string' },
    'data-dir': { type: 'string' },
    'shared-buffers': { type: 'string', default: '4GB' },
    explain: { type: 'boolean', default: false },
    'max-concurrent-queries': { type: 'string' },
  },
});
const users = Number(values.users.replaceAll(/[_,]/g, ''));
const conversations = Number(values.conversations.replaceAll(/[_,]/g, ''));
const runs = Number(values.runs);
const backends = values.backend === 'both' ? ['postgres', 'pglite'] : [values.backend];
for (const backend of backends) {
  if (backend !== 'postgres' && backend !== 'pglite') throw new Error(`--backend must be postgres, pglite or both`);
}

interface Figures {
  label: string;
  countMs: number[];
  collectionMs: number[];
  maxDelayMs: number[];
  /** The same measure over an idle wait as long as the collection: what the machine alone causes. */
  idleDelayMs: number[];
  /** CPU time this process spent during the collection. */
  cpuMs: number[];
  collectorMs: Record<string, number[]>;
  errors: string[];
  /** Resident memory of a process of its own that opens the database as the server does. */
  memory?: { firstStart?: ProbeFigures; restart?: ProbeFigures; afterCollection: ProbeFigures };
}

async function prepare(db: Db): Promise<void> {
  await migrate(db, allMigrations);
  const { rows } = await db.query<{ users: number; conversations: number }>(
    `SELECT (SELECT count(*) FROM user_settings)::int AS users,
            (SELECT count(*) FROM conversation_metadata)::int AS conversations`,
  );
  const present = rows[0] ?? { users: 0, conversations: 0 };
  if (present.users === users && present.conversations === conversations) {
    console.log(
      `  reusing the ${users.toLocaleString('en-US')} users and ${conversations.toLocaleString('en-US')} conversations already there`,
    );
    return;
  }
  if (present.users !== 0 || present.conversations !== 0) {
    throw new Error(
      `The database holds ${present.users} users and ${present.conversations} conversations, not the ${users} and ` +
        `${conversations} asked for: give an empty database, or the sizes it was seeded with.`,
    );
  }
  let lastShown = '';
  const report = await seedDemoData(db, {
    users,
    conversations,
    now: new Date(),
    onProgress: ({ phase, done, total }) => {
      const shown = `${phase} ${Math.floor((done / total) * 10) * 10}%`;
      if (shown !== lastShown) process.stderr.write(`  seeding: ${shown}\n`);
      lastShown = shown;
    },
  });
  console.log(
    `  seeded in ${formatMs(report.totalMs)} (${Object.entries(report.phaseMs)
      .map(([p, ms]) => `${p} ${formatMs(ms)}`)
      .join(', ')})`,
  );
}

/**
 * The baseline: one serial `count(*)` of the conversations. Serial, or the ratio would measure
 * PostgreSQL's parallel workers rather than our queries (the collectors' passes are serial).
 */
async function serialCount(db: Db): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.query('SET LOCAL max_parallel_workers_per_gather = 0');
    const { rows } = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM conversation_metadata');
    return rows[0]?.n ?? 0;
  });
}

async function measure(label: string, db: Db, registry: CollectorRegistry): Promise<Figures> {
  const host = { appVersion: 'bench', startedAt: new Date(), facts: {} };
  const maxConcurrentQueries = values['max-concurrent-queries'] ? Number(values['max-concurrent-queries']) : undefined;
  const collect = () => collectBatch({ db, registry, now: new Date(), host, maxConcurrentQueries });
  const count = () => serialCount(db);
  // Warm: write out what the seed left dirty, so that the checkpointer does not run beside the
  // measurement, then read the tables into the caches.
  await db.exec('CHECKPOINT').catch(() => undefined);
  await count();
  await count();
  await collect();
  await collect();

  const figures: Figures = {
    label,
    countMs: [],
    collectionMs: [],
    maxDelayMs: [],
    idleDelayMs: [],
    cpuMs: [],
    collectorMs: {},
    errors: [],
  };
  for (let run = 0; run < runs; run++) {
    figures.countMs.push((await timed(count)).ms);
    const { ms, maxDelayMs, p99DelayMs, cpuMs, value: batch } = await withEventLoopMonitor(collect);
    figures.collectionMs.push(ms);
    figures.maxDelayMs.push(maxDelayMs);
    figures.cpuMs.push(cpuMs);
    const baseline = await withEventLoopMonitor(() => idle(ms));
    figures.idleDelayMs.push(baseline.maxDelayMs);
    for (const [name, duration] of Object.entries(batch.durations)) {
      figures.collectorMs[name] = [...(figures.collectorMs[name] ?? []), duration];
    }
    for (const error of batch.errors) figures.errors.push(`${error.collector}: ${error.message}`);
    console.log(
      `  run ${run + 1}: count(*) ${formatMs(figures.countMs.at(-1) ?? 0)}, collection ${formatMs(ms)}, ` +
        `event loop delay max ${maxDelayMs.toFixed(1)} ms, p99 ${p99DelayMs.toFixed(1)} ms ` +
        `(idle as long: max ${baseline.maxDelayMs.toFixed(1)} ms, p99 ${baseline.p99DelayMs.toFixed(1)} ms), ` +
        `process CPU ${formatMs(cpuMs)}`,
    );
  }
  if (values.explain) {
    const recorder = recording(db);
    await collectBatch({ db: recorder.db, registry, now: new Date(), host });
    for (const query of recorder.queries) {
      const plan = await explain(db, query);
      if (plan) console.log(`\n${query.text.trim()}\n${plan}`);
    }
  }
  return figures;
}

function summarise(figures: Figures): void {
  const count = median(figures.countMs);
  const collection = median(figures.collectionMs);
  const ratio = collection / count;
  const delay = Math.max(...figures.maxDelayMs);
  const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
  console.log(`\n${figures.label}`);
  console.log(`  SELECT count(*) FROM conversation_metadata  median ${formatMs(count)}`);
  console.log(`  full collection (collectors + batch insert) median ${formatMs(collection)}`);
  console.log(
    `  ratio                                       ${ratio.toFixed(2)} (target ≤ ${RATIO_TARGET}: ${verdict(ratio <= RATIO_TARGET)})`,
  );
  console.log(
    `  event loop max delay during collection      ${delay.toFixed(1)} ms (target ≤ ${DELAY_TARGET_MS} ms: ${verdict(delay <= DELAY_TARGET_MS)})`,
  );
  console.log(
    `  the same while idle, as long               ${Math.max(...figures.idleDelayMs).toFixed(1)} ms (the machine's own scheduling delay)`,
  );
  console.log(`  this process's CPU during a collection      median ${formatMs(median(figures.cpuMs))}`);
  const perCollector = Object.entries(figures.collectorMs)
    .map(([name, ms]) => `${name} ${formatMs(median(ms))}`)
    .join(', ');
  console.log(`  per collector (median)                      ${perCollector}`);
  if (figures.errors.length > 0) console.log(`  collector errors: ${[...new Set(figures.errors)].join('; ')}`);
  const memory = figures.memory;
  if (!memory) return;
  const limitMb = chartMemoryLimitMb();
  if (memory.firstStart && memory.restart) {
    const first = memory.firstStart.afterOpenMb;
    const again = memory.restart.afterOpenMb;
    const over = (first / again - 1) * 100;
    console.log(
      `  RSS after a first start (new folder)        ${first} MB, after a restart on it ${again} MB: ${over.toFixed(0)} % more ` +
        `(target ≤ ${FIRST_START_MARGIN_PERCENT} %: ${verdict(over <= FIRST_START_MARGIN_PERCENT)})`,
    );
  }
  const after = memory.afterCollection;
  const highest = Math.max(after.afterCollectionMb ?? 0, after.peakDuringCollectionMb ?? 0);
  const share = (highest / limitMb) * 100;
  console.log(
    `  RSS on the seeded data: open ${after.afterOpenMb} MB, during a collection at most ` +
      `${after.peakDuringCollectionMb} MB, after it ${after.afterCollectionMb} MB: ${share.toFixed(0)} % of the chart's ` +
      `limit of ${limitMb} MiB (target < ${LIMIT_SHARE_PERCENT} %: ${verdict(share < LIMIT_SHARE_PERCENT)})`,
  );
}

const sizes = `${users.toLocaleString('en-US')} users, ${conversations.toLocaleString('en-US')} conversations, ${runs} runs`;
const registry = await loadCollectors();
const results: Figures[] = [];

for (const backend of backends) {
  let cluster: Cluster | undefined;
  let folder: string | undefined;
  let db: Db | undefined;
  try {
    if (backend === 'postgres') {
      let url = values['database-url'];
      if (!url) {
        console.log(`Starting a throwaway PostgreSQL (shared_buffers ${values['shared-buffers']})…`);
        cluster = await startThrowawayCluster({ sharedBuffers: values['shared-buffers'] });
        url = cluster.url;
      }
      db = await openDatabase({ databaseUrl: url, dataDir: '' });
      const { rows } = await db.query<{ version: string }>("SELECT current_setting('server_version') AS version");
      console.log(`PostgreSQL ${rows[0]?.version} at ${db.location}`);
      await prepare(db);
      const figures = await measure(`PostgreSQL ${rows[0]?.version}: ${sizes}`, db, registry);
      await db.close();
      figures.memory = { afterCollection: await probeMemory({ databaseUrl: url }, true) };
      results.push(figures);
    } else {
      const dataDir = values['data-dir'] ?? mkdtempSync(join(tmpdir(), 'oh-bench-pglite-'));
      if (!values['data-dir']) folder = dataDir;
      db = await openDatabase({ dataDir });
      console.log(`Embedded PostgreSQL (PGlite) in ${dataDir}`);
      await prepare(db);
      const figures = await measure(`Embedded PGlite: ${sizes}`, db, registry);
      await db.close();
      console.log('  memory: a first start on a new folder, a restart on it, a collection on the seeded one…');
      const fresh = mkdtempSync(join(tmpdir(), 'oh-bench-first-start-'));
      try {
        figures.memory = {
          firstStart: await probeMemory({ dataDir: fresh }, false),
          restart: await probeMemory({ dataDir: fresh }, false),
          afterCollection: await probeMemory({ dataDir }, true),
        };
      } finally {
        rmSync(fresh, { recursive: true, force: true });
      }
      results.push(figures);
    }
  } finally {
    await db?.close();
    cluster?.stop();
    if (folder) rmSync(folder, { recursive: true, force: true });
  }
}
for (const figures of results) summarise(figures);
