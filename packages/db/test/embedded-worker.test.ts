import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPgliteWorker, workerDb } from '../src/embedded/worker-db.js';
import { type Db, type DbError, isDbError, openEmbeddedDb } from '../src/index.js';
import { createWorkerTestDb } from '../src/testing/index.js';
import { basicSet } from './helpers.js';

describe('the embedded database in its worker', () => {
  let db: Db;
  beforeAll(async () => {
    db = await createWorkerTestDb([basicSet]);
  }, 60_000);
  afterAll(async () => {
    await db.close();
  });

  it('keeps a PostgreSQL error whole across the thread boundary: SQLSTATE, constraint, detail', async () => {
    await db.exec('CREATE TABLE unique_names (name TEXT PRIMARY KEY)');
    await db.query(`INSERT INTO unique_names VALUES ('ada')`);
    const error = (await db.query(`INSERT INTO unique_names VALUES ('ada')`).catch((e: unknown) => e)) as Record<
      string,
      unknown
    >;
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      code: '23505',
      severity: 'ERROR',
      table: 'unique_names',
      constraint: 'unique_names_pkey',
      detail: 'Key (name)=(ada) already exists.',
      message: 'duplicate key value violates unique constraint "unique_names_pkey"',
    });
    // The stack names the caller (this file), then the worker.
    expect(String(error.stack)).toMatch(/embedded-worker\.test\.ts[\s\S]*in the embedded database worker/);
    const syntax = await db.query('SELEC 1').catch((e: unknown) => e);
    expect(syntax).toMatchObject({ code: '42601', position: '1' });
  });

  it('rolls back a transaction whose function throws, and keeps serving after', async () => {
    const failed = db.transaction(async (tx) => {
      await tx.query(`INSERT INTO things (name) VALUES ('rolled back')`);
      throw new Error('changed my mind');
    });
    await expect(failed).rejects.toThrow('changed my mind');
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM things WHERE name = 'rolled back'`);
    expect(rows).toEqual([{ n: 0 }]);
  });

  it('queues a query from outside a transaction until the transaction ends', async () => {
    const order: string[] = [];
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const transaction = db.transaction(async (tx) => {
      await tx.query(`INSERT INTO things (name) VALUES ('inside')`);
      await held;
      order.push('commit');
    });
    const outside = db.query(`SELECT count(*)::int AS n FROM things WHERE name = 'inside'`).then((result) => {
      order.push('outside');
      return result.rows[0];
    });
    await new Promise((resolve) => setImmediate(resolve));
    release();
    await transaction;
    expect(await outside).toEqual({ n: 1 });
    expect(order).toEqual(['commit', 'outside']);
  });

  it('says which parameter cannot be sent to the worker', async () => {
    await expect(db.query('SELECT $1::text', [() => 1])).rejects.toThrow(
      /a query parameter cannot be sent to the embedded database/,
    );
    expect((await db.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  it('leaves the event loop free while a long query runs', async () => {
    const histogram = monitorEventLoopDelay({ resolution: 10 });
    histogram.enable();
    await new Promise((resolve) => setTimeout(resolve, 30));
    const started = performance.now();
    await db.query('SELECT count(*) FROM generate_series(1, 3000000)');
    const queryMs = performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 30));
    histogram.disable();
    // The query itself takes hundreds of ms; the loop is never kept from running for that long.
    expect(queryMs).toBeGreaterThan(200);
    expect(histogram.max / 1e6).toBeLessThan(queryMs / 2);
  });
});

describe('a worker that stops without being asked', () => {
  it('fails pending and later calls with a clear error, ends the session, and reports once', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'oh-worker-crash-'));
    // A folder with a database in it first, then our own worker on it, to stop from outside.
    await (await openEmbeddedDb({ dataDir: folder })).close();
    const worker = await startPgliteWorker({ pgdata: join(folder, 'pgdata') });
    const reports: DbError[] = [];
    let closedAfter = 0;
    const db = workerDb(worker, {
      location: folder,
      afterClose: async () => {
        closedAfter++;
      },
      onWorkerExit: (error) => reports.push(error),
    });
    const session = await db.session();
    const pending = db.query('SELECT count(*) FROM generate_series(1, 5000000)');
    await worker.terminate();
    const error = await pending.catch((e: unknown) => e);
    expect(isDbError(error, 'DB_ERR_EMBEDDED_STOPPED')).toBe(true);
    expect((error as Error).message).toBe(
      `The embedded database in ${folder} stopped (its worker exited with code 1). ` +
        'Committed data is safe on disk; restart the server to open it again.',
    );
    expect(await session.lost).toBe(error);
    await expect(db.query('SELECT 1')).rejects.toBe(error);
    expect(reports).toEqual([error]);
    await db.close();
    expect(closedAfter).toBe(1);
    rmSync(folder, { recursive: true, force: true });
  }, 60_000);

  it('creates a new folder in a throwaway process and leaves nothing half-made', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'oh-worker-new-'));
    const db = await openEmbeddedDb({ dataDir: folder });
    expect((await db.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    expect(readdirSync(folder).sort()).toEqual(['openhands.lock', 'pgdata']);
    await db.close();
    expect(readdirSync(folder)).toEqual(['pgdata']);
    await expect(db.query('SELECT 1')).rejects.toThrow(`The embedded database in ${folder} is closed.`);
    rmSync(folder, { recursive: true, force: true });
  }, 60_000);
});
