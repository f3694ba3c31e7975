import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MigrationSet } from '../migrator.js';
import { migrate } from '../migrator.js';
import { openEmbeddedDb } from '../pglite.js';
import type { Db } from '../types.js';

const CACHE_DIR = join(process.cwd(), '.cache', 'pglite-folders');

/**
 * The production path of the embedded database (a PGlite worker on a data folder), migrated, for
 * tests. A migrated folder is built once (initdb takes 5-7 s) and cached on disk, keyed by the
 * migrations' text; each database is a copy of it in a folder of its own, removed on close.
 */
export async function openWorkerTestDb(sets: readonly MigrationSet[], key: string): Promise<Db> {
  const template = join(CACHE_DIR, key);
  if (!existsSync(join(template, 'pgdata', 'PG_VERSION'))) await buildTemplate(template, sets);
  const folder = mkdtempSync(join(tmpdir(), 'oh-worker-db-'));
  cpSync(join(template, 'pgdata'), join(folder, 'pgdata'), { recursive: true });
  const db = await openEmbeddedDb({ dataDir: folder });
  return {
    ...db,
    async close() {
      await db.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

async function buildTemplate(template: string, sets: readonly MigrationSet[]): Promise<void> {
  await mkdir(CACHE_DIR, { recursive: true });
  const building = mkdtempSync(`${template}.building-`);
  const db = await openEmbeddedDb({ dataDir: building });
  await migrate(db, sets);
  await db.close();
  await rm(join(building, 'openhands.lock'), { force: true });
  // A parallel test worker may have built it meanwhile: the rename then fails, and theirs is as good.
  await rename(building, template).catch(() => rm(building, { recursive: true, force: true }));
}
