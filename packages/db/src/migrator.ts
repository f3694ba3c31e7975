import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { DbError } from './errors.js';
import type { Db, Queryable } from './types.js';

/**
 * A component's migrations: numbered, append-only `.sql` files in one folder
 * (`0001_create_tables.sql`, `0002_…`). A shipped file is never edited; a change is a new file.
 * Each component (the host server, the telemetry engine) versions its own tables, so the engine
 * can be embedded in another host with its migrations intact.
 */
export interface MigrationSet {
  component: string;
  directory: string | URL;
}

export interface Migration {
  component: string;
  version: number;
  name: string;
  sql: string;
}

export interface MigrationReport {
  applied: Array<Pick<Migration, 'component' | 'version' | 'name'>>;
}

// One key for every migrator of every component: they create the bookkeeping table together.
const MIGRATION_LOCK_KEY = 727_361_001;
const FILE_PATTERN = /^(\d{4})_([a-z0-9_]+)\.sql$/;

export async function loadMigrations(set: MigrationSet): Promise<Migration[]> {
  const directory = typeof set.directory === 'string' ? set.directory : fileURLToPath(set.directory);
  const names = (await readdir(directory)).filter((name) => name.endsWith('.sql')).sort();
  const migrations: Migration[] = [];
  for (const [index, file] of names.entries()) {
    const match = FILE_PATTERN.exec(file);
    if (!match) {
      throw new DbError(
        'DB_ERR_MIGRATION_INVALID',
        `Migration file ${file} in ${directory} is not named NNNN_snake_case.sql.`,
      );
    }
    const version = Number(match[1]);
    if (version !== index + 1) {
      throw new DbError(
        'DB_ERR_MIGRATION_INVALID',
        `Migrations of ${set.component} must be numbered 0001, 0002, … without gaps; found ${file} at position ${index + 1}.`,
      );
    }
    const sql = await readFile(`${directory}/${file}`, 'utf8');
    migrations.push({ component: set.component, version, name: match[2] ?? file, sql });
  }
  return migrations;
}

/**
 * Brings every component's tables up to date in one transaction under an advisory lock, so
 * that any number of processes starting together create the schema once and none fails. A
 * database migrated by newer code than this is refused: running old code on it would corrupt it.
 */
export async function migrate(db: Db, sets: readonly MigrationSet[]): Promise<MigrationReport> {
  const known = await Promise.all(sets.map(loadMigrations));
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.exec(`
      CREATE TABLE IF NOT EXISTS schema_migrations (
        component TEXT NOT NULL,
        version INTEGER NOT NULL,
        name TEXT NOT NULL,
        applied_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        PRIMARY KEY (component, version)
      )`);
    const applied: MigrationReport['applied'] = [];
    for (const migrations of known) {
      const component = migrations[0]?.component;
      if (component === undefined) continue;
      const current = await currentVersion(tx, component);
      assertNotNewer(component, current, migrations.length);
      for (const migration of migrations.slice(current)) {
        try {
          await tx.exec(migration.sql);
        } catch (error) {
          throw new DbError(
            'DB_ERR_MIGRATION_FAILED',
            `Migration ${component}/${pad(migration.version)}_${migration.name} failed: ${(error as Error).message}`,
            { cause: error },
          );
        }
        await tx.query('INSERT INTO schema_migrations (component, version, name) VALUES ($1, $2, $3)', [
          component,
          migration.version,
          migration.name,
        ]);
        applied.push({ component, version: migration.version, name: migration.name });
      }
    }
    return { applied };
  });
}

/** For readiness: true when every known migration is applied and none is unknown. */
export async function isSchemaCurrent(db: Db, sets: readonly MigrationSet[]): Promise<boolean> {
  const exists = await db.query<{ present: boolean }>("SELECT to_regclass('schema_migrations') IS NOT NULL AS present");
  if (!exists.rows[0]?.present) return false;
  for (const set of sets) {
    const migrations = await loadMigrations(set);
    if ((await currentVersion(db, set.component)) !== migrations.length) return false;
  }
  return true;
}

async function currentVersion(q: Queryable, component: string): Promise<number> {
  const result = await q.query<{ version: number }>(
    'SELECT coalesce(max(version), 0)::int AS version FROM schema_migrations WHERE component = $1',
    [component],
  );
  return result.rows[0]?.version ?? 0;
}

function assertNotNewer(component: string, current: number, latestKnown: number): void {
  if (current > latestKnown) {
    throw new DbError(
      'DB_ERR_SCHEMA_NEWER',
      `The database schema of ${component} is at version ${current}, newer than this build knows ` +
        `(${latestKnown}). It was migrated by a newer release: run that release or newer, ` +
        'or restore a backup taken before the upgrade.',
    );
  }
}

function pad(version: number): string {
  return String(version).padStart(4, '0');
}
