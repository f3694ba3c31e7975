import { join } from 'node:path';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { acquireDataDirLock, type DataDirLock, type DataDirLockOptions } from './data-dir-lock.js';
import { DbError } from './errors.js';
import type { Db, DbSession, Queryable, QueryResult } from './types.js';

export interface EmbeddedDbOptions {
  /** The folder that holds the database (in `pgdata/`) and its lock file. */
  dataDir: string;
  lock?: DataDirLockOptions;
}

/** Opens the embedded PostgreSQL in `dataDir`, after taking the folder's exclusive lock. */
export async function openEmbeddedDb(options: EmbeddedDbOptions): Promise<Db> {
  const lock = await acquireDataDirLock(options.dataDir, options.lock);
  try {
    const pg = await PGlite.create({ dataDir: join(options.dataDir, 'pgdata') });
    return wrapPglite(pg, options.dataDir, lock);
  } catch (error) {
    await lock.release();
    throw new DbError(
      'DB_ERR_DATA_DIR_UNWRITABLE',
      `OPENHANDS_DATA_DIR: the embedded database in ${options.dataDir} could not be opened: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

/**
 * Wraps an open PGlite. PGlite is one connection that serialises its queries, and a transaction
 * holds it whole, so a "session" is that same connection and never drops on its own.
 */
export function wrapPglite(pg: PGlite, location: string, lock?: DataDirLock): Db {
  const never = new Promise<Error>(() => undefined);
  const db: Db = {
    kind: 'pglite',
    location,
    query: (text, params) => runQuery(pg, text, params),
    exec: async (script) => {
      await pg.exec(script);
    },
    transaction: (fn) => pg.transaction((tx) => fn(wrapTransaction(tx))),
    async session(): Promise<DbSession> {
      return { query: db.query, exec: db.exec, lost: never, release: async () => undefined };
    },
    async listen(channel, onPayload) {
      const unlisten = await pg.listen(channel, onPayload);
      return () => unlisten();
    },
    async notify(channel, payload) {
      await pg.query('SELECT pg_notify($1, $2)', [channel, payload]);
    },
    async close() {
      try {
        if (!pg.closed) await pg.close();
      } finally {
        await lock?.release();
      }
    },
  };
  return db;
}

function wrapTransaction(tx: Transaction): Queryable {
  return {
    query: (text, params) => runQuery(tx, text, params),
    exec: async (script) => {
      await tx.exec(script);
    },
  };
}

async function runQuery<R extends object>(
  target: Pick<PGlite | Transaction, 'query'>,
  text: string,
  params?: readonly unknown[],
): Promise<QueryResult<R>> {
  const result = await target.query<R>(text, params ? [...params] : undefined);
  return { rows: result.rows, affectedRows: result.affectedRows ?? 0 };
}
