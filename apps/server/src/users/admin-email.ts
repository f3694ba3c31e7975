import type { Queryable } from '@openhands/db';
import type { Env } from '../config/server-config.js';

export type AdminEmailSource = 'env' | 'first_tos_acceptance';

export interface AdminEmail {
  email: string;
  source: AdminEmailSource;
}

/**
 * The installation's admin (design §3.2, DECISIONS §1 and §2): OPENHANDS_ADMIN_EMAIL when it is
 * set and non-empty, else the email of the user who accepted the Terms first (ties by id).
 * The same rule decides who may open the admin area and whom the vendor knows as the customer.
 * Only a verified email counts (DECISIONS §5): an address anyone could type in at Keycloak's
 * self-registration, or in a development sign-in, must not make its owner the admin.
 */
export async function resolveAdminEmail(q: Queryable, env: Env): Promise<AdminEmail | undefined> {
  const configured = env.OPENHANDS_ADMIN_EMAIL?.trim();
  if (configured) return { email: configured, source: 'env' };
  const { rows } = await q.query<{ email: string }>(
    `SELECT email FROM user_settings
     WHERE accepted_tos IS NOT NULL AND email_verified AND email IS NOT NULL AND email <> ''
     ORDER BY accepted_tos, id
     LIMIT 1`,
  );
  return rows[0] ? { email: rows[0].email, source: 'first_tos_acceptance' } : undefined;
}

/** Whether this user is the admin: their verified email is the admin email. */
export function isAdminEmail(
  admin: AdminEmail | undefined,
  user: { email: string | null; emailVerified: boolean },
): boolean {
  return user.emailVerified && isSameEmail(admin?.email, user.email);
}

export function isSameEmail(a: string | null | undefined, b: string | null | undefined): boolean {
  return !!a && !!b && a.trim().toLowerCase() === b.trim().toLowerCase();
}
