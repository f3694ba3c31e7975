/**
 * Fresh, migrated databases for tests, on both backends. Every storage test runs on the
 * embedded PostgreSQL and on a real server, so that neither driver's quirks hide.
 *
 * - PGlite: the migrated data folder is dumped once (cached on disk, keyed by the migrations'
 *   text) and loaded per test, which is 3-4 times faster than running initdb each time.
 * - PostgreSQL: a template database is migrated once per set of migrations and copied per test
 *   with CREATE DATABASE … TEMPLATE; the copy is dropped when the test closes it.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { loadMigrations, type MigrationSet, migrate } from '../migrator.js';
import { wrapPglite } from '../pglite.js';
import { openServerDb } from '../postgres.js';
import type { Db, DbKind } from '../types.js';
import { openWorkerTestDb } from './worker-db.js';

export const TEST_BACKENDS: readonly DbKind[] = ['pglite', 'postgres'];

/** The admin URL of the test PostgreSQL server, provisioned by `npm test`. */
export function testServerUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    throw new Error(
      'TEST_DATABASE_URL is not set. Run the tests with `npm test`, which starts a throwaway ' +
        'PostgreSQL, or set TEST_DATABASE_URL to a server where this user may create databases.',
    );
  }
  return url;
}

export async function createTestDb(kind: DbKind, sets: readonly MigrationSet[]): Promise<Db> {
  return kind === 'pglite' ? createPgliteTestDb(sets) : createServerTestDb(sets);
}

/**
 * A migrated embedded database on the production path: PGlite in its worker, on a data folder.
 * Test databases above keep PGlite in the test's own thread, loaded from a dump in memory, which
 * is faster; this is for the tests of the worker itself and of what depends on it.
 */
export async function createWorkerTestDb(sets: readonly MigrationSet[]): Promise<Db> {
  return openWorkerTestDb(sets, await migrationsKey(sets));
}

/** An empty, unmigrated database on the test server, dropped on close (for migrator tests). */
export async function createEmptyServerDb(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `oh_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  return { url: databaseUrl(name), drop: () => dropDatabase(name) };
}

async function migrationsKey(sets: readonly MigrationSet[]): Promise<string> {
  const hash = createHash('sha256');
  for (const set of sets) {
    for (const migration of await loadMigrations(set)) {
      hash.update(`${migration.component}/${migration.version}\n${migration.sql}\n`);
    }
  }
  return hash.digest('hex').slice(0, 16);
}

const pgliteDumps = new Map<string, Promise<Blob>>();
const CACHE_DIR = join(process.cwd(), '.cache', 'pglite-templates');

async function createPgliteTestDb(sets: readonly MigrationSet[]): Promise<Db> {
  const key = await migrationsKey(sets);
  let dump = pgliteDumps.get(key);
  if (!dump) {
    dump = loadOrBuildDump(key, sets);
    pgliteDumps.set(key, dump);
  }
  const instance = await PGlite.create({ loadDataDir: await dump });
  return wrapPglite(instance, 'memory://test');
}

async function loadOrBuildDump(key: string, sets: readonly MigrationSet[]): Promise<Blob> {
  const file = join(CACHE_DIR, `${key}.tar.gz`);
  try {
    return new Blob([await readFile(file)]);
  } catch {
    const instance = await PGlite.create();
    const db = wrapPglite(instance, 'memory://template');
    await migrate(db, sets);
    const dump = await instance.dumpDataDir('gzip');
    await instance.close();
    await mkdir(CACHE_DIR, { recursive: true });
    // Written aside then renamed, so a parallel worker never reads half a file.
    const partial = `${file}.${process.pid}.partial`;
    await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
    await rename(partial, file);
    return dump;
  }
}

const templates = new Map<string, Promise<string>>();

async function createServerTestDb(sets: readonly MigrationSet[]): Promise<Db> {
  const key = await migrationsKey(sets);
  let template = templates.get(key);
  if (!template) {
    template = ensureTemplate(key, sets);
    templates.set(key, template);
  }
  const name = `oh_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name} TEMPLATE ${await template}`);
  const db = await openServerDb({ url: databaseUrl(name), maxConnections: 5 });
  return {
    ...db,
    async close() {
      await db.close();
      await dropDatabase(name);
    },
  };
}

/** Migrates the template once across all test workers, under an advisory lock of the server. */
async function ensureTemplate(key: string, sets: readonly MigrationSet[]): Promise<string> {
  const name = `oh_tpl_${key}`;
  const admin = new pg.Client({ connectionString: testServerUrl() });
  await admin.connect();
  try {
    await admin.query('SELECT pg_advisory_lock(727361002)');
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) {
      const building = `${name}_build`;
      await admin.query(`DROP DATABASE IF EXISTS ${building}`);
      await admin.query(`CREATE DATABASE ${building}`);
      const db = await openServerDb({ url: databaseUrl(building), maxConnections: 1 });
      try {
        await migrate(db, sets);
      } finally {
        await db.close();
      }
      await admin.query(`ALTER DATABASE ${building} RENAME TO ${name}`);
    }
    return name;
  } finally {
    await admin.query('SELECT pg_advisory_unlock(727361002)').catch(() => undefined);
    await admin.end();
  }
}

function databaseUrl(name: string): string {
  const url = new URL(testServerUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

async function adminQuery(sql: string): Promise<void> {
  const admin = new pg.Client({ connectionString: testServerUrl() });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

async function dropDatabase(name: string): Promise<void> {
  await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}
