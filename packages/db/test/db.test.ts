import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db, DbKind } from '../src/index.js';
import { createTestDb, createWorkerTestDb, TEST_BACKENDS } from '../src/testing/index.js';
import { basicSet } from './helpers.js';

// Every backend test databases use, and the production path of the embedded one: its worker.
const backends: Array<{ name: string; kind: DbKind; open(): Promise<Db> }> = [
  ...TEST_BACKENDS.map((kind) => ({ name: kind, kind, open: () => createTestDb(kind, [basicSet]) })),
  { name: 'pglite in a worker', kind: 'pglite', open: () => createWorkerTestDb([basicSet]) },
];

describe.each(backends)('the query interface on $name', ({ kind, open }) => {
  let db: Db;
  beforeEach(async () => {
    db = await open();
  }, 60_000);
  afterEach(async () => {
    await db.close();
  });

  it('returns the same JS types on both drivers', async () => {
    const { rows } = await db.query(
      `SELECT count(*) AS n, 5::bigint AS big, 2::int AS small, 1.5::numeric AS amount, 2.5::float8 AS ratio,
              now() AS at, '{"a":1}'::jsonb AS doc, true AS flag, NULL::text AS nothing,
              gen_random_uuid() AS id FROM things`,
    );
    const row = rows[0]!;
    expect(row).toMatchObject({ n: 1, big: 5, small: 2, amount: '1.5', ratio: 2.5, doc: { a: 1 }, flag: true });
    expect(row.nothing).toBeNull();
    expect(row.at).toBeInstanceOf(Date);
    expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses an int8 too large for a JS number instead of rounding it', async () => {
    const query = db.query(`SELECT 9007199254740993::bigint AS v`);
    if (kind === 'postgres') await expect(query).rejects.toThrow(/beyond 2\^53/);
    else await expect(query).resolves.toBeDefined(); // PGlite parses int8 itself
  });

  it('binds parameters and reports affected rows', async () => {
    const insert = await db.query('INSERT INTO things (name) VALUES ($1), ($2)', ['a', 'b']);
    expect(insert.affectedRows).toBe(2);
    const { rows } = await db.query<{ name: string }>('SELECT name FROM things WHERE name = ANY($1) ORDER BY name', [
      ['a', 'b'],
    ]);
    expect(rows.map((r) => r.name)).toEqual(['a', 'b']);
  });

  it('commits a transaction and rolls back a failed one', async () => {
    await db.transaction(async (tx) => {
      await tx.query("INSERT INTO things (name) VALUES ('kept')");
    });
    await expect(
      db.transaction(async (tx) => {
        await tx.query("INSERT INTO things (name) VALUES ('lost')");
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const { rows } = await db.query<{ name: string }>("SELECT name FROM things WHERE name IN ('kept', 'lost')");
    expect(rows).toEqual([{ name: 'kept' }]);
  });

  it('delivers a NOTIFY to a listener', async () => {
    const received: string[] = [];
    const delivered = new Promise<void>((resolve) => {
      void db.listen('oh_test_channel', (payload) => {
        received.push(payload);
        resolve();
      });
    });
    // The listener connects asynchronously on PostgreSQL: notify until it hears.
    for (let i = 0; i < 50 && received.length === 0; i++) {
      await db.notify('oh_test_channel', 'hello');
      await Promise.race([delivered, new Promise((r) => setTimeout(r, 20))]);
    }
    expect(received[0]).toBe('hello');
  });

  it('holds a session-level advisory lock on a dedicated session', async () => {
    const session = await db.session();
    const { rows } = await session.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(4242) AS locked');
    expect(rows[0]?.locked).toBe(true);
    if (kind === 'postgres') {
      const other = await db.session();
      const second = await other.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(4242) AS locked');
      expect(second.rows[0]?.locked).toBe(false);
      await session.release(); // releasing the connection releases its lock
      const third = await other.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(4242) AS locked');
      expect(third.rows[0]?.locked).toBe(true);
      await other.release();
    } else {
      await session.release();
    }
  });
});
