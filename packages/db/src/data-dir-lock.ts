import { constants as fsConstants } from 'node:fs';
import { access, mkdir, open, readFile, rename, rm, stat, utimes } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { DbError } from './errors.js';

/**
 * An exclusive lock on the embedded database's data folder.
 *
 * Two processes that open one PGlite folder silently lose data, so the lock is taken before
 * PGlite is opened and released after it is closed. The lock file holds the holder's PID and
 * host. A lock is stale when its holder is gone: on this host we ask the kernel whether the PID
 * lives; a lock written on another host (a volume that moved to a new pod) is stale once its
 * heartbeat, the file's mtime, is older than `staleAfterMs`.
 */
export interface DataDirLockOptions {
  /** How often the holder refreshes the lock's mtime. Default 10 000 ms. */
  heartbeatMs?: number;
  /** Age of the heartbeat after which another host's lock counts as abandoned. Default 30 000 ms. */
  staleAfterMs?: number;
}

interface LockRecord {
  pid: number;
  hostname: string;
  acquiredAt: string;
}

export interface DataDirLock {
  readonly path: string;
  release(): Promise<void>;
}

const LOCK_FILE = 'openhands.lock';

// Folders this process holds. A lock file with our own PID that is not in here is left from
// before a restart in place (a container's PID 1 comes back as PID 1), and so is stale.
const heldHere = new Set<string>();

export async function acquireDataDirLock(dataDir: string, options: DataDirLockOptions = {}): Promise<DataDirLock> {
  const heartbeatMs = options.heartbeatMs ?? 10_000;
  const staleAfterMs = options.staleAfterMs ?? 30_000;
  await ensureWritableDir(dataDir);
  const lockPath = join(dataDir, LOCK_FILE);
  const me: LockRecord = { pid: process.pid, hostname: hostname(), acquiredAt: new Date().toISOString() };

  for (let attempt = 0; attempt < 3; attempt++) {
    if (await tryCreate(lockPath, me)) {
      heldHere.add(lockPath);
      return startHeartbeat(lockPath, heartbeatMs);
    }
    const holder = await readLock(lockPath);
    if (holder === undefined) continue; // released between our two calls: try again
    if (!(await isStale(lockPath, holder, staleAfterMs))) {
      throw new DbError(
        'DB_ERR_DATA_DIR_LOCKED',
        `Data folder ${dataDir} is in use by process ${holder.pid} on ${holder.hostname} ` +
          `(since ${holder.acquiredAt}). Stop that process, or set OPENHANDS_DATA_DIR to another folder.`,
      );
    }
    // Move the stale file aside under a name of our own: rename is atomic, so of two processes
    // racing for the takeover only one moves this file, and the other retries and sees the winner.
    const aside = `${lockPath}.stale-${process.pid}-${Date.now()}`;
    try {
      await rename(lockPath, aside);
      const moved = await readLock(aside);
      await rm(aside, { force: true });
      if (moved && moved.pid !== holder.pid) {
        // We moved a fresh lock that a faster process had just written: put it back and give up.
        await rename(aside, lockPath).catch(() => undefined);
      }
    } catch {
      // Someone else moved it first; loop and look again.
    }
  }
  const holder = await readLock(lockPath);
  throw new DbError(
    'DB_ERR_DATA_DIR_LOCKED',
    `Data folder ${dataDir} is in use by process ${holder?.pid ?? 'unknown'}. ` +
      'Stop that process, or set OPENHANDS_DATA_DIR to another folder.',
  );
}

async function ensureWritableDir(dataDir: string): Promise<void> {
  try {
    await mkdir(dataDir, { recursive: true });
    await access(dataDir, fsConstants.W_OK | fsConstants.R_OK);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new DbError(
      'DB_ERR_DATA_DIR_UNWRITABLE',
      `OPENHANDS_DATA_DIR: cannot write to data folder ${dataDir} (${reason}). ` +
        'Give this user write access to it, or point OPENHANDS_DATA_DIR to a writable folder.',
      { cause: error },
    );
  }
}

async function tryCreate(lockPath: string, record: LockRecord): Promise<boolean> {
  try {
    const handle = await open(lockPath, 'wx');
    try {
      await handle.writeFile(JSON.stringify(record));
    } finally {
      await handle.close();
    }
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new DbError(
      'DB_ERR_DATA_DIR_UNWRITABLE',
      `OPENHANDS_DATA_DIR: cannot create the lock file ${lockPath} (${(error as NodeJS.ErrnoException).code}).`,
      { cause: error },
    );
  }
}

async function readLock(lockPath: string): Promise<LockRecord | undefined> {
  try {
    const parsed = JSON.parse(await readFile(lockPath, 'utf8')) as Partial<LockRecord>;
    return {
      pid: Number(parsed.pid),
      hostname: String(parsed.hostname ?? ''),
      acquiredAt: String(parsed.acquiredAt ?? ''),
    };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    // A torn or foreign file: treat it as a lock of unknown origin, judged by its age alone.
    return { pid: Number.NaN, hostname: '', acquiredAt: 'unknown' };
  }
}

async function isStale(lockPath: string, holder: LockRecord, staleAfterMs: number): Promise<boolean> {
  if (holder.hostname === hostname() && Number.isInteger(holder.pid)) {
    if (holder.pid === process.pid) return !heldHere.has(lockPath);
    return !isProcessAlive(holder.pid);
  }
  try {
    const { mtimeMs } = await stat(lockPath);
    return Date.now() - mtimeMs > staleAfterMs;
  } catch {
    return true;
  }
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function startHeartbeat(lockPath: string, heartbeatMs: number): DataDirLock {
  const timer = setInterval(() => {
    const now = new Date();
    utimes(lockPath, now, now).catch(() => undefined);
  }, heartbeatMs);
  timer.unref();
  let released = false;
  return {
    path: lockPath,
    async release() {
      if (released) return;
      released = true;
      clearInterval(timer);
      heldHere.delete(lockPath);
      const holder = await readLock(lockPath);
      if (holder?.pid === process.pid && holder.hostname === hostname()) {
        await rm(lockPath, { force: true });
      }
    },
  };
}
