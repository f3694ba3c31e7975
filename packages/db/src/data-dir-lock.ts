import { randomUUID } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { access, link, mkdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DbError } from './errors.js';

/**
 * An exclusive lock on the embedded database's data folder.
 *
 * Two processes that open one PGlite folder silently lose data, so the lock is taken before
 * PGlite is opened and released after it is closed. The lock file holds the holder's PID, host
 * and a token of its own. A lock is stale when its holder is gone: on this host we ask the kernel
 * whether the PID lives; a lock written on another host (a volume that moved to a new pod) is
 * stale once its heartbeat, the file's mtime, is older than `staleAfterMs`.
 *
 * Every step is atomic and no step deletes a lock it has not proved its own or stale:
 * - a lock file appears whole, by `link()` of a written file, which fails if the name exists;
 * - a stale lock is replaced, never deleted: the taker first claims a guard named after the
 *   stale lock's token (by the same rules, recursively, should a taker die in the middle), then
 *   checks the lock still carries that token and `rename()`s its own file over it. Of fifty
 *   processes racing for one stale lock, one claims the guard; the others find a live holder.
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
  /** Unique per acquisition: what a taker compares before it replaces a stale lock. */
  token: string;
}

export interface DataDirLock {
  readonly path: string;
  release(): Promise<void>;
}

const LOCK_FILE = 'openhands.lock';
/** How long a process keeps looking while another one is in the middle of a takeover. */
const CONTENDED_ATTEMPTS = 200;
const CONTENDED_PAUSE_MS = 5;

// Lock and guard files this process holds. A file with our own PID that is not in here is left
// from before a restart in place (a container's PID 1 comes back as PID 1), and so is stale.
const heldHere = new Set<string>();

type Claim = { held: true } | { held: false; holder: LockRecord };

export async function acquireDataDirLock(dataDir: string, options: DataDirLockOptions = {}): Promise<DataDirLock> {
  const heartbeatMs = options.heartbeatMs ?? 10_000;
  const staleAfterMs = options.staleAfterMs ?? 30_000;
  await ensureWritableDir(dataDir);
  const lockPath = join(dataDir, LOCK_FILE);
  const me: LockRecord = {
    pid: process.pid,
    hostname: hostname(),
    acquiredAt: new Date().toISOString(),
    token: randomUUID(),
  };
  const claim = await claimFile(lockPath, me, staleAfterMs);
  if (!claim.held) {
    const { holder } = claim;
    throw new DbError(
      'DB_ERR_DATA_DIR_LOCKED',
      `Data folder ${dataDir} is in use by process ${holder.pid} on ${holder.hostname} ` +
        `(since ${holder.acquiredAt}). Stop that process, or set OPENHANDS_DATA_DIR to another folder.`,
    );
  }
  return startHeartbeat(lockPath, me, heartbeatMs);
}

/**
 * Makes `path` hold `me`: creates it, or replaces a stale holder's file. Returns the live holder
 * when there is one. Used for the lock and, one level down, for the guard of a takeover.
 */
async function claimFile(path: string, me: LockRecord, staleAfterMs: number): Promise<Claim> {
  let lastSeen: LockRecord | undefined;
  for (let attempt = 0; attempt < CONTENDED_ATTEMPTS; attempt++) {
    if (await createExclusive(path, me)) {
      heldHere.add(path);
      return { held: true };
    }
    const holder = await readLock(path);
    if (holder === undefined) continue; // released between our two calls: try again
    lastSeen = holder;
    if (!(await isStale(path, holder, staleAfterMs))) return { held: false, holder };
    if (await replaceStale(path, holder, me, staleAfterMs)) return { held: true };
    // Another process is taking over (or just took over): look again shortly, to see the winner.
    await sleep(CONTENDED_PAUSE_MS);
  }
  return { held: false, holder: lastSeen ?? unknownHolder() };
}

/** Replaces the stale `holder`'s file at `path` with ours, if we win its guard and it is still there. */
async function replaceStale(path: string, holder: LockRecord, me: LockRecord, staleAfterMs: number): Promise<boolean> {
  const guard = `${path}.takeover-${holder.token}`;
  const claim = await claimFile(guard, me, staleAfterMs);
  if (!claim.held) return false;
  try {
    // Holding the guard, we alone may replace this holder's file; it may be gone already (a
    // slower taker arriving after the takeover finished and its guard was removed).
    const current = await readLock(path);
    if (current?.token !== holder.token) return false;
    await writeAtomically(path, me);
    heldHere.add(path);
    return true;
  } finally {
    heldHere.delete(guard);
    await rm(guard, { force: true });
  }
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

/** Writes the record aside, then links it in: the file appears whole, and only if the name is free. */
async function createExclusive(path: string, record: LockRecord): Promise<boolean> {
  const scratch = await writeScratch(path, record);
  try {
    await link(scratch, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw unwritable(path, error);
  } finally {
    await rm(scratch, { force: true });
  }
}

async function writeAtomically(path: string, record: LockRecord): Promise<void> {
  const scratch = await writeScratch(path, record);
  try {
    await rename(scratch, path);
  } catch (error) {
    await rm(scratch, { force: true });
    throw unwritable(path, error);
  }
}

async function writeScratch(path: string, record: LockRecord): Promise<string> {
  const scratch = `${path}.${process.pid}-${randomUUID()}.tmp`;
  try {
    await writeFile(scratch, JSON.stringify(record), { flag: 'wx' });
  } catch (error) {
    throw unwritable(path, error);
  }
  return scratch;
}

function unwritable(path: string, error: unknown): DbError {
  return new DbError(
    'DB_ERR_DATA_DIR_UNWRITABLE',
    `OPENHANDS_DATA_DIR: cannot create the lock file ${path} (${(error as NodeJS.ErrnoException).code}).`,
    { cause: error },
  );
}

async function readLock(path: string): Promise<LockRecord | undefined> {
  let text: string;
  let identity: string;
  try {
    const [content, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    text = content;
    identity = `file-${info.ino}-${info.mtimeMs}`;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw unwritable(path, error);
  }
  try {
    const parsed = JSON.parse(text) as Partial<LockRecord>;
    return {
      pid: Number(parsed.pid),
      hostname: String(parsed.hostname ?? ''),
      acquiredAt: String(parsed.acquiredAt ?? ''),
      // A lock written before tokens existed is known by its inode instead.
      token: typeof parsed.token === 'string' && /^[\w-]+$/.test(parsed.token) ? parsed.token : identity,
    };
  } catch {
    // A torn or foreign file: a lock of unknown origin, judged by its age alone.
    return { ...unknownHolder(), token: identity };
  }
}

function unknownHolder(): LockRecord {
  return { pid: Number.NaN, hostname: '', acquiredAt: 'unknown', token: 'unknown' };
}

async function isStale(path: string, holder: LockRecord, staleAfterMs: number): Promise<boolean> {
  if (holder.hostname === hostname() && Number.isInteger(holder.pid)) {
    if (holder.pid === process.pid) return !heldHere.has(path);
    return !isProcessAlive(holder.pid);
  }
  try {
    const { mtimeMs } = await stat(path);
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

function startHeartbeat(lockPath: string, me: LockRecord, heartbeatMs: number): DataDirLock {
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
      // Only our own file: a lock another host took over (our heartbeat stopped) is theirs now.
      const holder = await readLock(lockPath).catch(() => undefined);
      if (holder?.token === me.token) await rm(lockPath, { force: true });
    },
  };
}
