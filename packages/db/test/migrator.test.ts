import { describe, expect, it } from 'vitest';
import { type Db, isDbError, isSchemaCurrent, loadMigrations, migrate, openServerDb } from '../src/index.js';
import { createEmptyServerDb, createTestDb, TEST_BACKENDS } from '../src/testing/index.js';
import { basicSet } from './helpers.js';

const fixture = (name: string) => ({ component: name, directory: new URL(`./fixtures/${name}/`, import.meta.url) });

describe('the migrator on a real PostgreSQL server', () => {
  it('creates the schema once when 8 migrators start at once, and none fails', async () => {
    const empty = await createEmptyServerDb();
    const dbs: Db[] = [];
    try {
      for (let i = 0; i < 8; i++) dbs.push(await openServerDb({ url: empty.url, maxConnections: 2 }));
      const reports = await Promise.all(dbs.map((db) => migrate(db, [basicSet])));
      const applied = reports.flatMap((r) => r.applied.map((m) => `${m.component}/${m.version}`));
      expect(applied.sort()).toEqual(['fixture/1', 'fixture/2']); // each applied exactly once, by one of them
      const { rows } = await dbs[0]!.query<{ n: number }>("SELECT count(*)::int AS n FROM things WHERE name = 'seed'");
      expect(rows[0]?.n).toBe(1);
      expect(await isSchemaCurrent(dbs[0]!, [basicSet])).toBe(true);
    } finally {
      await Promise.all(dbs.map((db) => db.close()));
      await empty.drop();
    }
  });
});

describe.each(TEST_BACKENDS)('the migrator on %s', (kind) => {
  it('is a no-op on a current database', async () => {
    const db = await createTestDb(kind, [basicSet]);
    try {
      expect((await migrate(db, [basicSet])).applied).toEqual([]);
    } finally {
      await db.close();
    }
  });

  it('refuses a database whose schema is newer than the code, saying what to do', async () => {
    const db = await createTestDb(kind, [basicSet]);
    try {
      await db.query(
        "INSERT INTO schema_migrations (component, version, name) VALUES ('fixture', 3, 'from_the_future')",
      );
      const error = await migrate(db, [basicSet]).catch((e: unknown) => e);
      expect(isDbError(error, 'DB_ERR_SCHEMA_NEWER')).toBe(true);
      expect((error as Error).message).toBe(
        'The database schema of fixture is at version 3, newer than this build knows (2). It was migrated by a newer ' +
          'release: run that release or newer, or restore a backup taken before the upgrade.',
      );
      expect(await isSchemaCurrent(db, [basicSet])).toBe(false);
    } finally {
      await db.close();
    }
  });

  it('rolls a failing migration back whole and names it', async () => {
    const db = await createTestDb(kind, []);
    try {
      const error = await migrate(db, [basicSet, fixture('failing')]).catch((e: unknown) => e);
      expect(isDbError(error, 'DB_ERR_MIGRATION_FAILED')).toBe(true);
      expect((error as Error).message).toMatch(/^Migration failing\/0001_broken failed: /);
      // Nothing of the batch stayed, not even the good set that ran before it.
      const { rows } = await db.query<{ present: boolean }>("SELECT to_regclass('things') IS NOT NULL AS present");
      expect(rows[0]?.present).toBe(false);
    } finally {
      await db.close();
    }
  });
});

describe('migration files', () => {
  it('must be numbered without gaps', async () => {
    await expect(loadMigrations(fixture('gap'))).rejects.toThrow(
      /numbered 0001, 0002, … without gaps; found 0003_c\.sql/,
    );
  });
  it('must be named NNNN_snake_case.sql', async () => {
    await expect(loadMigrations(fixture('badname'))).rejects.toThrow(/1_a\.sql .* is not named NNNN_snake_case\.sql/);
  });
});
