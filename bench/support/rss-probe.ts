/**
 * A process on its own for the memory figures: opens (and migrates) the database, as the server
 * does at start, optionally runs one collection, and prints its resident memory as JSON:
 * `{"afterOpenMb":…,"peakDuringCollectionMb":…,"afterCollectionMb":…}`. A process of its own,
 * because the process that seeded the data keeps the memory it used for that.
 *
 *   node --expose-gc --import tsx --conditions=source bench/support/rss-probe.ts \
 *     (--data-dir <folder> | --database-url <url>) [--collect]
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { migrate, openDatabase } from '@openhands/db';
import { collectBatch } from '@openhands/telemetry';
import { allMigrations } from '../../apps/server/src/migrations.js';
import { loadCollectors } from '../../apps/server/src/telemetry/registry.js';

const { values } = parseArgs({
  options: { 'data-dir': { type: 'string' }, 'database-url': { type: 'string' }, collect: { type: 'boolean' } },
});
if (!values['data-dir'] && !values['database-url']) throw new Error('give --data-dir or --database-url');

/** Resident memory once the process has settled: after a garbage collection, if exposed. */
async function settledRssMb(): Promise<number> {
  await sleep(500);
  globalThis.gc?.();
  await sleep(500);
  return Math.round(process.memoryUsage().rss / 2 ** 20);
}

const db = await openDatabase({ databaseUrl: values['database-url'], dataDir: values['data-dir'] ?? '' });
try {
  await migrate(db, allMigrations);
  const figures: Record<string, number> = { afterOpenMb: await settledRssMb() };
  if (values.collect) {
    const registry = await loadCollectors();
    let peak = 0;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 20);
    const host = { appVersion: 'bench', startedAt: new Date(), facts: {} };
    await collectBatch({ db, registry, now: new Date(), host });
    clearInterval(sampler);
    figures.peakDuringCollectionMb = Math.round(peak / 2 ** 20);
    figures.afterCollectionMb = await settledRssMb();
  }
  process.stdout.write(`${JSON.stringify(figures)}\n`);
} finally {
  await db.close();
}
