import type { Db, Queryable } from '@openhands/db';

/** A statement cut off by its collector's timeout or by the sender stopping. */
export class StatementCancelledError extends Error {}

/**
 * The database as one collector sees it: every statement carries the collector's AbortSignal
 * down to SQL. On a PostgreSQL server each statement runs in a short transaction with a
 * `statement_timeout`, and an abort cancels it there (`pg_cancel_backend` on its backend), so a
 * collector that times out, or a sender that stops, leaves no query running. The embedded
 * database is one process that runs one statement at a time: there an abort takes effect
 * between statements.
 */
export function cancellableQueryable(db: Queryable, signal: AbortSignal, statementTimeoutMs: number): Queryable {
  const server = isServerDb(db) ? db : undefined;
  const guard = () => {
    if (signal.aborted) throw new StatementCancelledError(`cancelled: ${reasonOf(signal)}`);
  };
  if (!server) {
    return {
      query: async (text, params) => {
        guard();
        return db.query(text, params);
      },
      exec: async (script) => {
        guard();
        return db.exec(script);
      },
    };
  }
  const run = <T>(statement: (tx: Queryable) => Promise<T>): Promise<T> => {
    guard();
    return server.transaction(async (tx) => {
      const { rows } = await tx.query<{ pid: number }>(
        "SELECT pg_backend_pid() AS pid, set_config('statement_timeout', $1, true)",
        [String(Math.max(1, Math.round(statementTimeoutMs)))],
      );
      const pid = rows[0]?.pid;
      const cancel = () => void server.query('SELECT pg_cancel_backend($1)', [pid]).catch(() => undefined);
      guard();
      signal.addEventListener('abort', cancel, { once: true });
      try {
        return await statement(tx);
      } catch (error) {
        if (signal.aborted)
          throw new StatementCancelledError(`cancelled in SQL: ${reasonOf(signal)}`, { cause: error });
        throw error;
      } finally {
        signal.removeEventListener('abort', cancel);
      }
    });
  };
  return {
    query: (text, params) => run((tx) => tx.query(text, params)),
    exec: (script) => run((tx) => tx.exec(script)),
  };
}

function isServerDb(db: Queryable): db is Db {
  return (db as Partial<Db>).kind === 'postgres' && typeof (db as Partial<Db>).transaction === 'function';
}

function reasonOf(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason.message : String(reason ?? 'aborted');
}
