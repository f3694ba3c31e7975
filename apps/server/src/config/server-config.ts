import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateDatabaseUrl } from '@openhands/db';
import { type AccessConfig, loadAccessConfig } from './access-config.js';
import { ConfigError } from './errors.js';

export type Env = Readonly<Record<string, string | undefined>>;

export interface ServerConfig {
  port: number;
  host: string;
  logLevel: string;
  /** A PostgreSQL server, or undefined for the embedded database. */
  databaseUrl: string | undefined;
  dataDir: string;
  /** When unset, a secret is generated once and kept in the database. */
  sessionSecret: string | undefined;
  /** The built UI. */
  webDir: string;
  appVersion: string;
  /** Sign-in, sessions, proxies and the metrics listener. */
  access: AccessConfig;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Reads the server's settings; throws a ConfigError for any value it cannot run with. */
export function loadServerConfig(env: Env, appVersion: string): ServerConfig {
  const databaseUrl = nonEmpty(env.DATABASE_URL);
  if (databaseUrl) {
    try {
      validateDatabaseUrl(databaseUrl);
    } catch (error) {
      throw new ConfigError((error as Error).message);
    }
  }
  const sessionSecret = nonEmpty(env.SESSION_SECRET);
  if (sessionSecret !== undefined && sessionSecret.length < 32) {
    throw new ConfigError('SESSION_SECRET must be at least 32 characters long; unset it to have one generated.');
  }
  const logLevel = nonEmpty(env.LOG_LEVEL) ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, not "${logLevel}".`);
  }
  return {
    port: parsePort(env.PORT),
    host: nonEmpty(env.HOST) ?? '0.0.0.0',
    logLevel,
    databaseUrl,
    dataDir: resolve(nonEmpty(env.OPENHANDS_DATA_DIR) ?? '.data'),
    sessionSecret,
    webDir: nonEmpty(env.OPENHANDS_WEB_DIR) ?? fileURLToPath(new URL('../../../web/dist/', import.meta.url)),
    appVersion,
    access: loadAccessConfig(env),
  };
}

function parsePort(raw: string | undefined): number {
  const value = nonEmpty(raw);
  if (value === undefined) return 3000;
  if (!/^\d+$/.test(value)) throw new ConfigError(`PORT must be a whole number from 0 to 65535, not "${value}".`);
  const port = Number(value);
  if (port > 65535) throw new ConfigError(`PORT must be a whole number from 0 to 65535, not ${port}.`);
  return port;
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
