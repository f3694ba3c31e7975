/**
 * A real process that contends for data folder locks, driven over stdin by the race test: each
 * line is a folder; it answers `held <folder>` or `refused <folder>` and keeps what it holds
 * (never releases), as a server would.
 */
import { createInterface } from 'node:readline';
import { acquireDataDirLock } from '../../src/data-dir-lock.js';
import { isDbError } from '../../src/errors.js';

const held: unknown[] = [];
process.stdout.write('ready\n');
for await (const folder of createInterface({ input: process.stdin })) {
  try {
    held.push(await acquireDataDirLock(folder));
    process.stdout.write(`held ${folder}\n`);
  } catch (error) {
    const reason = isDbError(error, 'DB_ERR_DATA_DIR_LOCKED') ? 'refused' : `failed ${(error as Error).message}`;
    process.stdout.write(`${reason} ${folder}\n`);
  }
}
