export { acquireDataDirLock, type DataDirLock, type DataDirLockOptions } from './data-dir-lock.js';
export { DbError, type DbErrorCode, isDbError, redactUrl } from './errors.js';
export {
  isSchemaCurrent,
  loadMigrations,
  type Migration,
  type MigrationReport,
  type MigrationSet,
  migrate,
} from './migrator.js';
export { type DatabaseSettings, openDatabase } from './open.js';
export { type EmbeddedDbOptions, openEmbeddedDb, wrapPglite } from './pglite.js';
export { openServerDb, type ServerDbOptions, validateDatabaseUrl } from './postgres.js';
export type { Db, DbKind, DbSession, Queryable, QueryResult, Row, Unlisten } from './types.js';
