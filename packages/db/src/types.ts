export type Row = Record<string, unknown>;

export interface QueryResult<R extends object = Row> {
  rows: R[];
  /** Rows inserted, updated or deleted by the statement (0 for a SELECT on PGlite). */
  affectedRows: number;
}

/** Anything that runs one parameterised statement: the database, a transaction, a session. */
export interface Queryable {
  query<R extends object = Row>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(script: string): Promise<void>;
}

/**
 * One connection held for a while: session-level advisory locks live and die with it.
 * `lost` resolves when the connection drops by itself, so a leader knows it has lost the lock.
 */
export interface DbSession extends Queryable {
  readonly lost: Promise<Error>;
  release(): Promise<void>;
}

export type Unlisten = () => Promise<void>;

export type DbKind = 'pglite' | 'postgres';

/**
 * The one small query interface over the embedded and the server PostgreSQL. Results have the
 * same JS types on both: int8 and int4 are numbers, numeric is a string, timestamptz a Date,
 * jsonb parsed. Cast counts in SQL (`count(*)::int`) all the same, so intent is visible.
 */
export interface Db extends Queryable {
  readonly kind: DbKind;
  /** Where the data lives, for log lines: a folder or a redacted URL. */
  readonly location: string;
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** A dedicated connection (on PGlite, the one connection there is). */
  session(): Promise<DbSession>;
  listen(channel: string, onPayload: (payload: string) => void): Promise<Unlisten>;
  notify(channel: string, payload: string): Promise<void>;
  close(): Promise<void>;
}
