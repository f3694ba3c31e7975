/**
 * The worker thread that runs PGlite, so that a long query never blocks the server's event
 * loop. PGlite is one connection: requests are served in order, and a transaction holds the
 * connection until the caller ends it (PGlite's own transaction mutex queues the rest).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { type Reply, type Request, serializeError, type WorkerData, type WorkerEvent } from './protocol.js';

const port = parentPort;
if (!port) throw new Error('pglite-worker must run in a worker thread');
const { pgdata } = workerData as WorkerData;

const send = (message: Reply | WorkerEvent) => port.postMessage(message);

let pg: PGlite;
try {
  pg = await PGlite.create({ dataDir: pgdata });
} catch (error) {
  send({ event: 'failed', error: serializeError(error) });
  process.exit(1);
}

interface OpenTransaction {
  tx: Transaction;
  end(commit: boolean): Promise<void> | undefined;
}
const transactions = new Map<number, OpenTransaction>();
const unlistens = new Map<string, () => Promise<void>>();
let nextTx = 1;

class Rollback extends Error {}

async function handle(request: Request): Promise<unknown> {
  switch (request.op) {
    case 'query': {
      const result = await target(request.tx).query(request.text, request.params);
      return { rows: result.rows, affectedRows: result.affectedRows ?? 0 };
    }
    case 'exec':
      await target(request.tx).exec(request.script);
      return undefined;
    case 'begin':
      return begin();
    case 'end': {
      const open = transactions.get(request.tx);
      if (!open) throw new Error(`no open transaction ${request.tx}`);
      return open.end(request.commit);
    }
    case 'listen':
      if (!unlistens.has(request.channel)) {
        const unlisten = await pg.listen(request.channel, (payload) =>
          send({ event: 'notification', channel: request.channel, payload }),
        );
        unlistens.set(request.channel, unlisten);
      }
      return undefined;
    case 'unlisten': {
      const unlisten = unlistens.get(request.channel);
      unlistens.delete(request.channel);
      await unlisten?.();
      return undefined;
    }
    case 'close':
      await pg.close();
      return undefined;
  }
}

function target(tx: number | undefined): Pick<Transaction, 'query' | 'exec'> {
  if (tx === undefined) return pg;
  const open = transactions.get(tx);
  if (!open) throw new Error(`no open transaction ${tx}`);
  return open.tx;
}

/** Starts a transaction and answers with its id once inside; `end` then settles it. */
function begin(): Promise<number> {
  return new Promise((resolveBegun, rejectBegun) => {
    const id = nextTx++;
    let settle: ((commit: boolean) => void) | undefined;
    let done: Promise<void> | undefined;
    const finished = pg
      .transaction(async (tx) => {
        const decided = new Promise<boolean>((resolve) => {
          settle = resolve;
        });
        transactions.set(id, {
          tx,
          end: (commit) => {
            settle?.(commit);
            return done;
          },
        });
        resolveBegun(id);
        if (!(await decided)) throw new Rollback();
      })
      .then(
        () => undefined,
        (error: unknown) => {
          if (!(error instanceof Rollback)) throw error;
        },
      )
      .finally(() => transactions.delete(id));
    done = finished;
    finished.catch(rejectBegun);
  });
}

port.on('message', (request: Request) => {
  handle(request).then(
    (value) => send({ id: request.id, ok: true, value }),
    (error: unknown) => send({ id: request.id, ok: false, error: serializeError(error) }),
  );
});
send({ event: 'ready' });
