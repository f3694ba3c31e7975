/**
 * The catalogue of database errors. Each message names the setting or folder at fault and says
 * how to fix it, because these reach an operator's terminal, not a developer's debugger.
 */
export type DbErrorCode =
  | 'DB_ERR_URL_INVALID'
  | 'DB_ERR_UNREACHABLE'
  | 'DB_ERR_DATA_DIR_LOCKED'
  | 'DB_ERR_DATA_DIR_UNWRITABLE'
  | 'DB_ERR_EMBEDDED_STOPPED'
  | 'DB_ERR_SCHEMA_NEWER'
  | 'DB_ERR_MIGRATION_INVALID'
  | 'DB_ERR_MIGRATION_FAILED';

export class DbError extends Error {
  readonly code: DbErrorCode;

  constructor(code: DbErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DbError';
    this.code = code;
  }
}

export function isDbError(error: unknown, code?: DbErrorCode): error is DbError {
  return error instanceof DbError && (code === undefined || error.code === code);
}

/** A URL fit for a log line: the password is replaced, the rest kept so the operator can see which server. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<unparseable url>';
  }
}
