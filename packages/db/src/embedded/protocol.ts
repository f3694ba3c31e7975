/**
 * The messages between the server's thread and the worker that runs PGlite. Values cross by
 * structured clone (Dates, arrays, objects and byte arrays survive as they are); errors are
 * flattened to their fields, because a clone keeps only an Error's message.
 */

export type Request =
  | { id: number; op: 'query'; tx?: number; text: string; params?: unknown[] }
  | { id: number; op: 'exec'; tx?: number; script: string }
  | { id: number; op: 'begin' }
  | { id: number; op: 'end'; tx: number; commit: boolean }
  | { id: number; op: 'listen'; channel: string }
  | { id: number; op: 'unlisten'; channel: string }
  | { id: number; op: 'close' };

export type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: SerializedError };

export type WorkerEvent =
  | { event: 'ready' }
  | { event: 'failed'; error: SerializedError }
  | { event: 'notification'; channel: string; payload: string };

/** What the worker is started with: the database's folder (PGlite's data directory). */
export interface WorkerData {
  pgdata: string;
}

/** The fields of a PostgreSQL error (SQLSTATE `code`, `detail`, `constraint`, …) and any others. */
export type SerializedError = { name: string; message: string; stack?: string } & Record<string, unknown>;

export function serializeError(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(error)) {
    if (value === undefined || typeof value === 'function') continue;
    // The failed statement's parameters stay in the worker: they may hold secrets, and
    // large ones would be copied for nothing.
    if (key === 'params') continue;
    fields[key] = typeof value === 'object' && value !== null ? String(value) : value;
  }
  return { ...fields, name: error.name, message: error.message, stack: error.stack };
}

/**
 * An error raised by the embedded PostgreSQL, rebuilt on the caller's side with every field it
 * had: `code` is the SQLSTATE (`23505` for a unique violation), as with a server's errors.
 */
export class EmbeddedQueryError extends Error {
  [field: string]: unknown;
  declare code?: string;

  constructor(serialized: SerializedError, callerStack: string | undefined) {
    super(serialized.message);
    const { name, message: _message, stack, ...fields } = serialized;
    Object.assign(this, fields);
    this.name = name === 'Error' ? 'EmbeddedQueryError' : name;
    // The caller's frames first (where the query was made), then the worker's.
    this.stack = `${this.name}: ${serialized.message}\n${callerStack ?? ''}\n    --- in the embedded database worker ---\n${stack?.split('\n').slice(1).join('\n') ?? ''}`;
  }
}
