/**
 * A real process that writes to the embedded database without pause, for the kill -9 test. It
 * opens the folder given (the production path: lock, worker), reports what is there
 * (`present {"ids":[…],"total":n}`), then commits transactions numbered from the next id on,
 * each inserting a row and bumping a total, and reports `committed <id>` after each COMMIT.
 */
import { openEmbeddedDb } from '../../src/pglite.js';

const db = await openEmbeddedDb({ dataDir: process.argv[2]! });
await db.exec(`CREATE TABLE IF NOT EXISTS ledger (id INT PRIMARY KEY, note TEXT NOT NULL);
               CREATE TABLE IF NOT EXISTS totals (k INT PRIMARY KEY, n INT NOT NULL);
               INSERT INTO totals VALUES (1, 0) ON CONFLICT DO NOTHING;`);
const { rows } = await db.query<{ ids: number[] | null; total: number }>(
  'SELECT (SELECT array_agg(id ORDER BY id) FROM ledger) AS ids, (SELECT n FROM totals WHERE k = 1) AS total',
);
const present = rows[0]!;
process.stdout.write(`present ${JSON.stringify({ ids: present.ids ?? [], total: present.total })}\n`);
for (let id = Math.max(0, ...(present.ids ?? [])) + 1; ; id++) {
  await db.transaction(async (tx) => {
    await tx.query('INSERT INTO ledger (id, note) VALUES ($1, $2)', [id, 'x'.repeat(2000)]);
    await tx.query('UPDATE totals SET n = n + 1 WHERE k = 1');
  });
  process.stdout.write(`committed ${id}\n`);
}
