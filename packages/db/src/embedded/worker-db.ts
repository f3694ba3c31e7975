import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { Worker } from 'node:worker_threads';
import { DbError } from '../errors.js';
import type { Db, DbSession, Queryable, QueryResult } from '../types.js';
import {
  EmbeddedQueryError,
  type Reply,
  type Request,
  type SerializedError,
  type WorkerData,
  type WorkerEvent,
} from './protocol.js';

type Pending = { resolve(value: unknown): void; reject(error: Error): void; callerStack: string | undefined };
type RequestBody = Request extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

// Built: the worker is a .js file beside this one. From source (tsx, vitest) it is the .ts file,
// and the worker registers tsx's loader before it reads it.
const fromSource = import.meta.url.endsWith('.ts');
const WORKER_URL = new URL(fromSource ? './pglite-worker.ts' : './pglite-worker.js', import.meta.url);

function newWorker(data: WorkerData): Worker {
  if (!fromSource) return new Worker(WORKER_URL, { workerData: data });
  // The ESM entry of tsx's API (require.resolve finds its CommonJS twin, which sits beside it).
  const tsxApi = createRequire(import.meta.url)
    .resolve('tsx/esm/api')
    .replace(/\.cjs$/, '.mjs');
  const tsx = pathToFileURL(tsxApi).href;
  const bootstrap = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER_URL.href)}); })`;
  return new Worker(bootstrap, { eval: true, workerData: data });
}

/** Starts a PGlite worker on `pgdata` and resolves once the database is open (or fails to). */
export function startPgliteWorker(data: WorkerData): Promise<Worker> {
  const worker = newWorker(data);
  return new Promise((resolve, reject) => {
    const onMessage = (message: WorkerEvent | Reply) => {
      if (!('event' in message)) return;
      if (message.event === 'ready') settle(() => resolve(worker));
      if (message.event === 'failed') settle(() => reject(new EmbeddedQueryError(message.error, undefined)));
    };
    const onError = (error: Error) => settle(() => reject(error));
    const onExit = (code: number) =>
      settle(() => reject(new Error(`the embedded database worker exited (code ${code}) while opening`)));
    const settle = (then: () => void) => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      then();
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
}

/** Runs initdb in a process of its own, which then exits and gives all its memory back. */
export async function initInThrowawayProcess(pgdata: string): Promise<void> {
  const script = fileURLToPath(new URL(fromSource ? './initdb-process.ts' : './initdb-process.js', import.meta.url));
  const loader = fromSource ? ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href] : [];
  try {
    await promisify(execFile)(process.execPath, [...loader, script, pgdata], { maxBuffer: 1 << 20 });
  } catch (error) {
    const { stderr, message } = error as { stderr?: string; message: string };
    throw new Error(`initdb failed: ${stderr?.trim() || message}`, { cause: error });
  }
}

export interface WorkerDbOptions {
  location: string;
  /** Runs after the database is closed (the folder lock's release). */
  afterClose(): Promise<void>;
  /** The worker ended without being asked to; every pending and later call fails with `error`. */
  onWorkerExit(error: DbError): void;
}

/**
 * The `Db` interface over a PGlite worker. Calls become messages; a transaction is a handle the
 * worker keeps open until `fn` settles; notifications come back as events.
 */
export function workerDb(worker: Worker, options: WorkerDbOptions): Db {
  const pending = new Map<number, Pending>();
  const handlers = new Map<string, Set<(payload: string) => void>>();
  let nextId = 1;
  let dead: DbError | undefined;
  let closing = false;
  let markLost: (error: Error) => void = () => undefined;
  const lost = new Promise<Error>((resolve) => {
    markLost = resolve;
  });

  worker.on('message', (message: Reply | WorkerEvent) => {
    if ('event' in message) {
      if (message.event === 'notification') {
        for (const handler of handlers.get(message.channel) ?? []) handler(message.payload);
      }
      return;
    }
    const call = pending.get(message.id);
    if (!call) return;
    pending.delete(message.id);
    if (message.ok) call.resolve(message.value);
    else call.reject(new EmbeddedQueryError(message.error, call.callerStack));
  });
  const onGone = (cause: Error | undefined, code?: number) => {
    if (dead) return;
    dead = closing
      ? new DbError('DB_ERR_EMBEDDED_STOPPED', `The embedded database in ${options.location} is closed.`)
      : new DbError(
          'DB_ERR_EMBEDDED_STOPPED',
          `The embedded database in ${options.location} stopped ${
            cause ? `with an error: ${cause.message}` : `(its worker exited with code ${code})`
          }. Committed data is safe on disk; restart the server to open it again.`,
          { cause },
        );
    for (const call of pending.values()) call.reject(dead);
    pending.clear();
    markLost(dead);
    if (!closing) options.onWorkerExit(dead);
  };
  worker.on('error', (error) => onGone(error));
  worker.on('exit', (code) => onGone(undefined, code));

  function call<T>(body: RequestBody): Promise<T> {
    if (dead) return Promise.reject(dead);
    const id = nextId++;
    const callerStack = new Error().stack?.split('\n').slice(2).join('\n');
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject, callerStack });
      try {
        worker.postMessage({ ...body, id });
      } catch (error) {
        // A parameter that cannot be copied to the worker (a function, a symbol).
        pending.delete(id);
        reject(new TypeError(`a query parameter cannot be sent to the embedded database: ${(error as Error).message}`));
      }
    });
  }

  const queryable = (tx?: number): Queryable => ({
    query: <R extends object>(text: string, params?: readonly unknown[]) =>
      call<QueryResult<R>>({ op: 'query', tx, text, params: params ? [...params] : undefined }),
    exec: (script) => call<void>({ op: 'exec', tx, script }),
  });
  const main = queryable();

  const db: Db = {
    kind: 'pglite',
    location: options.location,
    ...main,
    async transaction(fn) {
      const tx = await call<number>({ op: 'begin' });
      let result: Awaited<ReturnType<typeof fn>>;
      try {
        result = await fn(queryable(tx));
      } catch (error) {
        await call({ op: 'end', tx, commit: false }).catch(() => undefined);
        throw error;
      }
      await call({ op: 'end', tx, commit: true });
      return result;
    },
    // PGlite is one connection: a session is that connection, and it is lost only with the worker.
    async session(): Promise<DbSession> {
      return { ...main, lost, release: async () => undefined };
    },
    async listen(channel, onPayload) {
      let set = handlers.get(channel);
      if (!set) {
        set = new Set();
        handlers.set(channel, set);
        await call({ op: 'listen', channel });
      }
      set.add(onPayload);
      return async () => {
        set.delete(onPayload);
        if (set.size === 0 && handlers.get(channel) === set) {
          handlers.delete(channel);
          await call({ op: 'unlisten', channel }).catch(() => undefined);
        }
      };
    },
    async notify(channel, payload) {
      await main.query('SELECT pg_notify($1, $2)', [channel, payload]);
    },
    async close() {
      if (closing) return;
      closing = true;
      try {
        if (!dead) {
          await call({ op: 'close' }).catch(() => undefined);
          await worker.terminate();
        }
      } finally {
        await options.afterClose();
      }
    },
  };
  return db;
}

export type { SerializedError };
