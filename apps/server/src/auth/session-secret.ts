import { randomBytes } from 'node:crypto';
import type { Queryable } from '@openhands/db';

/**
 * The key that signs session cookies. Generated once per installation and kept in the database,
 * so that sessions survive restarts and every replica signs alike without a setting.
 */
export async function loadSessionSecret(q: Queryable, configured: string | undefined): Promise<string> {
  if (configured) return configured;
  await q.query(`INSERT INTO server_settings (key, value) VALUES ('session_secret', $1) ON CONFLICT (key) DO NOTHING`, [
    randomBytes(48).toString('base64url'),
  ]);
  const { rows } = await q.query<{ value: string }>(`SELECT value FROM server_settings WHERE key = 'session_secret'`);
  return rows[0]!.value;
}
