import pg from 'pg';
import { DbError, redactUrl } from './errors.js';
import { INT8_OID, parseInt8 } from './type-parsers.js';
import type { Db, DbSession, Queryable, QueryResult, Unlisten } from './types.js';

export interface ServerDbOptions {
  /** `postgres://user:pass@host:port/db`. */
  url: string;
  /** Pool size. Default 10. */
  maxConnections?: number;
  /** How long to wait for a connection before failing. Default 10 000 ms. */
  connectTimeoutMs?: number;
}

const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID) return parseInt8;
    return pg.types.getTypeParser(oid, format);
  },
};

/** Checks a DATABASE_URL's form; the one-line error names the setting and what is wrong. */
export function validateDatabaseUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DbError(
      'DB_ERR_URL_INVALID',
      `DATABASE_URL is not a URL: "${redactUrl(url)}". Expected postgres://user:password@host:5432/database.`,
    );
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new DbError(
      'DB_ERR_URL_INVALID',
      `DATABASE_URL must start with postgres:// or postgresql://, not "${parsed.protocol}//".`,
    );
  }
  if (!parsed.hostname) {
    throw new DbError(
      'DB_ERR_URL_INVALID',
      'DATABASE_URL has no host. Expected postgres://user:password@host:5432/database.',
    );
  }
  return parsed;
}

/** Opens a pool on a PostgreSQL server and proves it answers before returning. */
export async function openServerDb(options: ServerDbOptions): Promise<Db> {
  validateDatabaseUrl(options.url);
  const connectionTimeoutMillis = options.connectTimeoutMs ?? 10_000;
  const clientConfig = { connectionString: options.url, connectionTimeoutMillis, types };
  const pool = new pg.Pool({ ...clientConfig, max: options.maxConnections ?? 10 });
  // An idle client that dies (server restart) emits here; unhandled it would kill the process.
  pool.on('error', () => undefined);
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new DbError(
      'DB_ERR_UNREACHABLE',
      `DATABASE_URL: cannot reach PostgreSQL at ${redactUrl(options.url)}: ${(error as Error).message}`,
      { cause: error },
    );
  }

  const sessions = new Set<pg.Client>();
  let closed = false;
  const listener = new Listener(() => new pg.Client(clientConfig));

  const openClient = async (): Promise<pg.Client> => {
    const client = new pg.Client(clientConfig);
    // A connection the server ends while idle (a restart, a dropped database) must not become an
    // unhandled 'error' event: the next query on it fails and says so.
    client.on('error', () => undefined);
    await client.connect();
    return client;
  };

  return {
    kind: 'postgres',
    location: redactUrl(options.url),
    query: (text, params) => runQuery(pool, text, params),
    exec: async (script) => {
      await pool.query(script);
    },
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(wrapClient(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async session(): Promise<DbSession> {
      // Outside the pool: a session may be held for days (the sender's advisory lock).
      const client = await openClient();
      sessions.add(client);
      const lost = new Promise<Error>((resolve) => {
        client.on('error', (error) => resolve(error));
        client.on('end', () => resolve(new Error('connection ended')));
      });
      return {
        ...wrapClient(client),
        lost,
        async release() {
          sessions.delete(client);
          await client.end().catch(() => undefined);
        },
      };
    },
    listen: (channel, onPayload) => listener.listen(channel, onPayload),
    async notify(channel, payload) {
      await pool.query('SELECT pg_notify($1, $2)', [channel, payload]);
    },
    async close() {
      if (closed) return;
      closed = true;
      await listener.close();
      await Promise.all([...sessions].map((client) => client.end().catch(() => undefined)));
      sessions.clear();
      await pool.end();
    },
  };
}

function wrapClient(client: pg.ClientBase): Queryable {
  return {
    query: (text, params) => runQuery(client, text, params),
    exec: async (script) => {
      await client.query(script);
    },
  };
}

async function runQuery<R extends object>(
  target: pg.Pool | pg.ClientBase,
  text: string,
  params?: readonly unknown[],
): Promise<QueryResult<R>> {
  const result = await target.query<R>(text, params ? [...params] : undefined);
  return { rows: result.rows, affectedRows: result.rowCount ?? 0 };
}

/**
 * One connection for every LISTEN of the process. When it drops, it reconnects with a capped
 * back-off and listens again, so a server restart does not silently end notifications.
 */
class Listener {
  private client: pg.Client | undefined;
  private connecting: Promise<pg.Client> | undefined;
  private readonly handlers = new Map<string, Set<(payload: string) => void>>();
  private closed = false;
  private retryMs = 500;

  constructor(private readonly newClient: () => pg.Client) {}

  async listen(channel: string, onPayload: (payload: string) => void): Promise<Unlisten> {
    let set = this.handlers.get(channel);
    const first = set === undefined;
    if (!set) {
      set = new Set();
      this.handlers.set(channel, set);
    }
    set.add(onPayload);
    const client = await this.connect();
    if (first) await client.query(`LISTEN ${quoteIdent(channel)}`);
    return async () => {
      set.delete(onPayload);
      if (set.size === 0) {
        this.handlers.delete(channel);
        await this.client?.query(`UNLISTEN ${quoteIdent(channel)}`).catch(() => undefined);
      }
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.handlers.clear();
    await this.client?.end().catch(() => undefined);
    this.client = undefined;
  }

  private connect(): Promise<pg.Client> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= (async () => {
      const client = this.newClient();
      client.on('notification', (message) => {
        for (const handler of this.handlers.get(message.channel) ?? []) handler(message.payload ?? '');
      });
      client.on('error', () => this.reconnectSoon(client));
      client.on('end', () => this.reconnectSoon(client));
      try {
        await client.connect();
      } finally {
        this.connecting = undefined;
      }
      this.client = client;
      this.retryMs = 500;
      return client;
    })();
    return this.connecting;
  }

  private reconnectSoon(dead: pg.Client): void {
    if (this.client !== dead || this.closed) return;
    this.client = undefined;
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    const timer = setTimeout(async () => {
      if (this.closed || this.handlers.size === 0) return;
      try {
        const client = await this.connect();
        for (const channel of this.handlers.keys()) await client.query(`LISTEN ${quoteIdent(channel)}`);
      } catch {
        this.retryMs = Math.min(this.retryMs * 2, 30_000);
        this.scheduleReconnect();
      }
    }, this.retryMs);
    timer.unref();
  }
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
