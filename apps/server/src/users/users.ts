import type { Queryable } from '@openhands/db';

export interface User {
  id: number;
  keycloakUserId: string;
  email: string | null;
  /** Only a verified email can be the admin email. */
  emailVerified: boolean;
  acceptedTosAt: Date | null;
  createdAt: Date;
}

interface UserRow {
  id: number;
  keycloak_user_id: string;
  email: string | null;
  email_verified: boolean;
  accepted_tos: Date | null;
  created_at: Date;
}

const COLUMNS = 'id, keycloak_user_id, email, email_verified, accepted_tos, created_at';

function toUser(row: UserRow): User {
  return {
    id: row.id,
    keycloakUserId: row.keycloak_user_id,
    email: row.email,
    emailVerified: row.email_verified,
    acceptedTosAt: row.accepted_tos,
    createdAt: row.created_at,
  };
}

/**
 * The development sign-in: the user with this email (whoever created them: an earlier
 * development sign-in, the seed, Keycloak), else a new one. Where this sign-in is allowed at all,
 * the operator vouches for the address, so it counts as verified.
 */
export async function findOrCreateUserByEmail(q: Queryable, email: string): Promise<User> {
  const existing = await findUserByEmail(q, email);
  if (existing) return existing;
  const { rows } = await q.query<UserRow>(
    `INSERT INTO user_settings (keycloak_user_id, email, email_verified) VALUES ($1, $2, true)
     ON CONFLICT DO NOTHING
     RETURNING ${COLUMNS}`,
    [`dev:${email.toLowerCase()}`, email],
  );
  if (rows[0]) return toUser(rows[0]);
  // Another request created the same user a moment ago.
  const raced = await findUserByEmail(q, email);
  if (!raced) throw new Error('a user appeared and vanished during the development sign-in');
  return raced;
}

export async function findUserByEmail(q: Queryable, email: string): Promise<User | undefined> {
  const { rows } = await q.query<UserRow>(`SELECT ${COLUMNS} FROM user_settings WHERE lower(email) = lower($1)`, [
    email,
  ]);
  return rows[0] ? toUser(rows[0]) : undefined;
}

export async function findUserBySubject(q: Queryable, subject: string): Promise<User | undefined> {
  const { rows } = await q.query<UserRow>(`SELECT ${COLUMNS} FROM user_settings WHERE keycloak_user_id = $1`, [
    subject,
  ]);
  return rows[0] ? toUser(rows[0]) : undefined;
}

export async function findUserById(q: Queryable, id: number): Promise<User | undefined> {
  const { rows } = await q.query<UserRow>(`SELECT ${COLUMNS} FROM user_settings WHERE id = $1`, [id]);
  return rows[0] ? toUser(rows[0]) : undefined;
}

export async function insertUser(
  q: Queryable,
  user: { subject: string; email: string | null; emailVerified: boolean },
): Promise<User | undefined> {
  const { rows } = await q.query<UserRow>(
    `INSERT INTO user_settings (keycloak_user_id, email, email_verified) VALUES ($1, $2, $3)
     ON CONFLICT DO NOTHING
     RETURNING ${COLUMNS}`,
    [user.subject, user.email, user.emailVerified],
  );
  return rows[0] ? toUser(rows[0]) : undefined;
}

export async function updateUserEmail(
  q: Queryable,
  id: number,
  email: string | null,
  emailVerified: boolean,
): Promise<User | undefined> {
  const { rows } = await q.query<UserRow>(
    `UPDATE user_settings SET email = $2, email_verified = $3 WHERE id = $1 RETURNING ${COLUMNS}`,
    [id, email, emailVerified],
  );
  return rows[0] ? toUser(rows[0]) : undefined;
}

/**
 * Hands a user made by the development sign-in (or the seed) over to their Keycloak identity: the
 * row and its conversations move to the subject, so nothing of theirs is lost.
 */
export async function rekeyUser(q: Queryable, id: number, from: string, subject: string): Promise<void> {
  await q.query(`UPDATE conversation_metadata SET user_id = $2 WHERE user_id = $1`, [from, subject]);
  await q.query(`UPDATE user_settings SET keycloak_user_id = $2 WHERE id = $1`, [id, subject]);
}

/** Records the acceptance once: a second acceptance keeps the first time, which orders the admin. */
export async function acceptTerms(q: Queryable, id: number, at: Date): Promise<User | undefined> {
  const { rows } = await q.query<UserRow>(
    `UPDATE user_settings SET accepted_tos = coalesce(accepted_tos, $2) WHERE id = $1 RETURNING ${COLUMNS}`,
    [id, at],
  );
  return rows[0] ? toUser(rows[0]) : undefined;
}
