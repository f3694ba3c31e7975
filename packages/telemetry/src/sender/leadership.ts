import type { Db, DbSession } from '@openhands/db';
import { LEADER_LOCK_KEY } from '../config/constants.js';

export interface LeadershipEvents {
  /** This process now holds the lock (it waited for it, or asked at the right moment). */
  onAcquired(): void;
  /** The lock's connection died: someone else may hold the lock now. */
  onLost(reason: string): void;
}

/**
 * One sender among replicas (DECISIONS §4): the holder of a session-level advisory lock, taken
 * on a connection of its own. A follower on a PostgreSQL server waits for the lock on such a
 * connection (`pg_advisory_lock` with a 30 s `lock_timeout`, asked again at once), so when the
 * sender dies and PostgreSQL drops its connection, a follower holds the lock within moments: no
 * polling interval stands between a crash and the takeover. The embedded database has one
 * process, which takes the lock at once.
 */
export class Leadership {
  private session: DbSession | undefined;
  private waiter: { session: DbSession; pid: number } | undefined;
  private waiting = false;

  constructor(
    private readonly db: Db,
    private readonly events: LeadershipEvents,
    private readonly waitSliceMs = 30_000,
  ) {}

  get isLeader(): boolean {
    return this.session !== undefined;
  }

  /** Tries once; true when this process now holds the lock. */
  async tryAcquire(): Promise<boolean> {
    if (this.session) return true;
    const session = await this.db.session();
    try {
      const { rows } = await session.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [
        LEADER_LOCK_KEY,
      ]);
      if (!rows[0]?.locked) {
        await session.release();
        return false;
      }
    } catch (error) {
      await session.release();
      throw error;
    }
    this.hold(session);
    return true;
  }

  /**
   * Waits for the lock in the background until it is held or `stopWaiting()` is called; calls
   * `onAcquired` when it is. A failed connection is retried after `retryMs`.
   */
  startWaiting(retry: (ms: number) => Promise<void>): void {
    if (this.waiting || this.session) return;
    this.waiting = true;
    void (async () => {
      while (this.waiting && !this.session) {
        try {
          if (await this.waitOnce()) {
            this.events.onAcquired();
            break;
          }
        } catch {
          if (this.waiting) await retry(5_000);
        }
      }
      this.waiting = false;
    })();
  }

  async stopWaiting(): Promise<void> {
    this.waiting = false;
    const waiter = this.waiter;
    this.waiter = undefined;
    if (!waiter) return;
    // The waiting statement holds its connection: cancel it, then close the connection.
    await this.db.query('SELECT pg_cancel_backend($1)', [waiter.pid]).catch(() => undefined);
    await waiter.session.release().catch(() => undefined);
  }

  /** Proves the lock's connection still lives; a dead one means leadership is gone. */
  async verify(): Promise<boolean> {
    const session = this.session;
    if (!session) return false;
    try {
      await session.query('SELECT 1');
      return true;
    } catch (error) {
      await this.drop(`connection lost: ${(error as Error).message}`);
      return false;
    }
  }

  /** Gives the lock up (closing its connection releases it). */
  async release(): Promise<void> {
    await this.stopWaiting();
    const session = this.session;
    this.session = undefined;
    // Closing the connection frees the lock on a server; PGlite's one connection stays open.
    await session?.query('SELECT pg_advisory_unlock($1)', [LEADER_LOCK_KEY]).catch(() => undefined);
    await session?.release();
  }

  /** One slice of waiting: true when the lock is now held. */
  private async waitOnce(): Promise<boolean> {
    const session = await this.db.session();
    try {
      const { rows } = await session.query<{ pid: number }>(
        "SELECT pg_backend_pid() AS pid, set_config('lock_timeout', $1, false)",
        [String(this.waitSliceMs)],
      );
      this.waiter = { session, pid: rows[0]!.pid };
      for (;;) {
        if (!this.waiting) throw new Error('stopped waiting');
        try {
          await session.query('SELECT pg_advisory_lock($1)', [LEADER_LOCK_KEY]);
        } catch (error) {
          // 55P03 lock_not_available: the slice ended with the lock still held elsewhere: ask again.
          if ((error as { code?: string }).code === '55P03' && this.waiting) continue;
          throw error;
        }
        break;
      }
      this.waiter = undefined;
      await session.query("SELECT set_config('lock_timeout', '0', false)");
      if (!this.waiting) {
        await session.query('SELECT pg_advisory_unlock($1)', [LEADER_LOCK_KEY]).catch(() => undefined);
        await session.release();
        return false;
      }
      this.hold(session);
      return true;
    } catch (error) {
      this.waiter = undefined;
      await session.release().catch(() => undefined);
      throw error;
    }
  }

  private hold(session: DbSession): void {
    this.session = session;
    void session.lost.then((error) => {
      if (this.session === session) void this.drop(`connection lost: ${error.message}`);
    });
  }

  private async drop(reason: string): Promise<void> {
    await this.release();
    this.events.onLost(reason);
  }
}
