import { resolve } from 'node:path';
import { openEmbeddedDb } from './pglite.js';
import { openServerDb } from './postgres.js';
import type { Db } from './types.js';

export interface DatabaseSettings {
  /** A PostgreSQL server URL; when absent the embedded database is used. */
  databaseUrl?: string | undefined;
  /** The embedded database's folder. */
  dataDir: string;
}

/** The one place that picks the embedded or the server database from the settings. */
export async function openDatabase(settings: DatabaseSettings): Promise<Db> {
  if (settings.databaseUrl) return openServerDb({ url: settings.databaseUrl });
  return openEmbeddedDb({ dataDir: resolve(settings.dataDir) });
}
