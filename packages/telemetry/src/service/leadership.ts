import type { Db, DbSession, Unlisten } from '@openhands/db';
import { LEADER_LOCK_KEY } from '../config/constants.js';

/**
 * One sender among replicas (DECISIONS §4): the holder of a session-level advisory lock, taken on
 * a connection of its own. If that process dies, PostgreSQL drops its connection and the lock
 * with it, and the next replica to try takes over. On the embedded database there is one process.
 */
export class Leadership {
  private session: DbSession | undefined;
  private unlisten: Unlisten | undefined;

  constructor(
    private readonly db: Db,
    private readonly onLost: (reason: string) => void,
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
    this.session = session;
    void session.lost.then((error) => {
      if (this.session === session) void this.drop(`connection lost: ${error.message}`);
    });
    return true;
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

  /** Listens on a channel for as long as this process leads. */
  async listenWhileLeading(channel: string, onPayload: (payload: string) => void): Promise<void> {
    this.unlisten = await this.db.listen(channel, onPayload);
  }

  /** Gives the lock up (closing its connection releases it). */
  async release(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    await this.unlisten?.().catch(() => undefined);
    this.unlisten = undefined;
    // Closing the connection frees the lock on a server; PGlite's one connection stays open.
    await session?.query('SELECT pg_advisory_unlock($1)', [LEADER_LOCK_KEY]).catch(() => undefined);
    await session?.release();
  }

  private async drop(reason: string): Promise<void> {
    await this.release();
    this.onLost(reason);
  }
}
