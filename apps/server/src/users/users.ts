import type { Queryable } from '@openhands/db';

export interface User {
  id: number;
  keycloakUserId: string;
  email: string | null;
  acceptedTosAt: Date | null;
  createdAt: Date;
}

interface UserRow {
  id: number;
  keycloak_user_id: string;
  email: string | null;
  accepted_tos: Date | null;
  created_at: Date;
}

const COLUMNS = 'id, keycloak_user_id, email, accepted_tos, created_at';

function toUser(row: UserRow): User {
  return {
    id: row.id,
    keycloakUserId: row.keycloak_user_id,
    email: row.email,
    acceptedTosAt: row.accepted_tos,
    createdAt: row.created_at,
  };
}

/**
 * The development sign-in: the user with this email, created on first sign-in. The real product
 * gets users from Keycloak; the keycloak_user_id of a development user says where it came from.
 */
export async function findOrCreateUserByEmail(q: Queryable, email: string): Promise<User> {
  const { rows } = await q.query<UserRow>(
    `INSERT INTO user_settings (keycloak_user_id, email) VALUES ($1, $2)
     ON CONFLICT (keycloak_user_id) DO UPDATE SET email = user_settings.email
     RETURNING ${COLUMNS}`,
    [`dev:${email.toLowerCase()}`, email],
  );
  return toUser(rows[0]!);
}

export async function findUserById(q: Queryable, id: number): Promise<User | undefined> {
  const { rows } = await q.query<UserRow>(`SELECT ${COLUMNS} FROM user_settings WHERE id = $1`, [id]);
  return rows[0] ? toUser(rows[0]) : undefined;
}

/** Records the acceptance once: a second acceptance keeps the first time, which orders the admin. */
export async function acceptTerms(q: Queryable, id: number, at: Date): Promise<User | undefined> {
  const { rows } = await q.query<UserRow>(
    `UPDATE user_settings SET accepted_tos = coalesce(accepted_tos, $2) WHERE id = $1 RETURNING ${COLUMNS}`,
    [id, at],
  );
  return rows[0] ? toUser(rows[0]) : undefined;
}
