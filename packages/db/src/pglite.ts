import { existsSync } from 'node:fs';
import { readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { PGlite, Transaction } from '@electric-sql/pglite';
import { acquireDataDirLock, type DataDirLock, type DataDirLockOptions } from './data-dir-lock.js';
import { initInThrowawayProcess, startPgliteWorker, workerDb } from './embedded/worker-db.js';
import { DbError } from './errors.js';
import type { Db, DbSession, Queryable, QueryResult } from './types.js';

export interface EmbeddedDbOptions {
  /** The folder that holds the database (in `pgdata/`) and its lock file. */
  dataDir: string;
  lock?: DataDirLockOptions;
  /**
   * Called when the database's worker ends without being asked to (it ran out of memory, or
   * PostgreSQL aborted), after the folder lock is released. Default: print the error and exit
   * with code 70, so that the supervisor restarts the server on its committed data.
   */
  onStopped?: (error: DbError) => void;
}

/**
 * Opens the embedded PostgreSQL in `dataDir`, after taking the folder's exclusive lock, in a
 * worker thread: a long query then never blocks the caller's event loop. A new folder is created
 * by a throwaway process first, because initdb grows the WebAssembly memory by hundreds of MB,
 * which is never given back while its thread lives (and not all of it when a thread ends).
 */
export async function openEmbeddedDb(options: EmbeddedDbOptions): Promise<Db> {
  const lock = await acquireDataDirLock(options.dataDir, options.lock);
  const pgdata = join(options.dataDir, 'pgdata');
  try {
    await createIfNew(pgdata);
    const worker = await startPgliteWorker({ pgdata });
    return workerDb(worker, {
      location: options.dataDir,
      afterClose: () => lock.release(),
      onWorkerExit: (error) => {
        void lock.release().finally(() => (options.onStopped ?? exitOnStop)(error));
      },
    });
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
 * initdb into a folder beside `pgdata`, then a rename: a start interrupted during initdb leaves
 * no half-made database, only a folder the next start removes (we hold the lock).
 */
async function createIfNew(pgdata: string): Promise<void> {
  if (existsSync(join(pgdata, 'PG_VERSION'))) return;
  if (existsSync(pgdata) && (await readdir(pgdata)).length > 0) return; // not ours to judge: PGlite reports it
  const building = `${pgdata}.creating`;
  await rm(building, { recursive: true, force: true });
  await initInThrowawayProcess(building);
  await rm(pgdata, { recursive: true, force: true });
  await rename(building, pgdata);
}

function exitOnStop(error: DbError): void {
  console.error(`[db] ${error.code}: ${error.message}`);
  process.exit(70);
}

/**
 * Wraps a PGlite open in this thread (test databases, loaded from a dump in memory). PGlite is
 * one connection that serialises its queries, and a transaction holds it whole, so a "session"
 * is that same connection and never drops on its own.
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
