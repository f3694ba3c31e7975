import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '@openhands/db';

export type AuthMethod = 'dev' | 'keycloak';

export interface StoredSession {
  userId: number;
  authMethod: AuthMethod;
  idToken: string | null;
}

export interface SessionLifetimes {
  idleMs: number;
  maxMs: number;
}

// A busy user's every request need not write: last_seen_at moves at most once a minute.
const TOUCH_EVERY_MS = 60_000;

/** The stored key of a cookie's token: its SHA-256, so the table alone opens no session. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Starts a session and returns the token for the cookie (256 random bits). */
export async function createSession(
  q: Queryable,
  input: { userId: number; authMethod: AuthMethod; idToken?: string | null; now: Date; lifetimes: SessionLifetimes },
): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  // Sign-ins are rare next to requests: a fine moment to drop rows past their absolute end.
  await deleteExpiredSessions(q, input.now);
  await q.query(
    `INSERT INTO user_sessions (token_hash, user_id, auth_method, created_at, last_seen_at, expires_at, id_token)
     VALUES ($1, $2, $3, $4, $4, $5, $6)`,
    [
      hashToken(token),
      input.userId,
      input.authMethod,
      input.now,
      new Date(input.now.getTime() + input.lifetimes.maxMs),
      input.idToken ?? null,
    ],
  );
  return token;
}

/** The live session of this token, or undefined when it is unknown, idle too long or past its end. */
export async function findSession(
  q: Queryable,
  token: string,
  now: Date,
  lifetimes: SessionLifetimes,
): Promise<StoredSession | undefined> {
  const { rows } = await q.query<{
    user_id: number;
    auth_method: AuthMethod;
    id_token: string | null;
    last_seen_at: Date;
    expires_at: Date;
  }>(`SELECT user_id, auth_method, id_token, last_seen_at, expires_at FROM user_sessions WHERE token_hash = $1`, [
    hashToken(token),
  ]);
  const row = rows[0];
  if (!row) return undefined;
  const idleSinceMs = now.getTime() - row.last_seen_at.getTime();
  if (now >= row.expires_at || idleSinceMs >= lifetimes.idleMs) {
    await q.query(`DELETE FROM user_sessions WHERE token_hash = $1`, [hashToken(token)]);
    return undefined;
  }
  if (idleSinceMs >= TOUCH_EVERY_MS) {
    await q.query(`UPDATE user_sessions SET last_seen_at = $2 WHERE token_hash = $1`, [hashToken(token), now]);
  }
  return { userId: row.user_id, authMethod: row.auth_method, idToken: row.id_token };
}

/** Ends one session; returns what it was (for the provider's logout), if it existed. */
export async function deleteSession(q: Queryable, token: string): Promise<StoredSession | undefined> {
  const { rows } = await q.query<{ user_id: number; auth_method: AuthMethod; id_token: string | null }>(
    `DELETE FROM user_sessions WHERE token_hash = $1 RETURNING user_id, auth_method, id_token`,
    [hashToken(token)],
  );
  const row = rows[0];
  return row ? { userId: row.user_id, authMethod: row.auth_method, idToken: row.id_token } : undefined;
}

/** Ends every session of a user (their identity or rights changed); returns how many. */
export async function deleteUserSessions(q: Queryable, userId: number): Promise<number> {
  const { affectedRows } = await q.query(`DELETE FROM user_sessions WHERE user_id = $1`, [userId]);
  return affectedRows;
}

/** Removes sessions past their absolute end (idle ones go when next presented). */
export async function deleteExpiredSessions(q: Queryable, now: Date): Promise<number> {
  const { affectedRows } = await q.query(`DELETE FROM user_sessions WHERE expires_at <= $1`, [now]);
  return affectedRows;
}
