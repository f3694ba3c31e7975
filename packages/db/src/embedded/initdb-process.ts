/**
 * Creates a new embedded database (initdb) in the folder given, then exits. Run as a process of
 * its own: initdb grows PGlite's WebAssembly memory by hundreds of MB, and only the end of a
 * process gives all of it back (a worker thread's end leaves about 70 MB behind).
 */
import { PGlite } from '@electric-sql/pglite';

const pgdata = process.argv[2];
try {
  if (!pgdata) throw new Error('usage: initdb-process <pgdata folder>');
  const pg = await PGlite.create({ dataDir: pgdata });
  await pg.close();
  process.exit(0);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
