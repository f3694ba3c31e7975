import { type Db, migrate, openServerDb } from '@openhands/db';
import { createEmptyServerDb } from '@openhands/db/testing';
import { allMigrations } from '@openhands/server';

/** The settings that make the server an enterprise install (design §4.4.1): any non-empty values. */
export const ENTERPRISE_ENV = {
  GITHUB_APP_CLIENT_ID: 'e2e-github-app',
  KEYCLOAK_SERVER_URL: 'https://keycloak.acme.example',
  KEYCLOAK_REALM_NAME: 'openhands',
};

export interface ServerDatabase {
  /** For the server's DATABASE_URL. */
  url: string;
  /** A connection for the test to prepare and read the data; closed by `drop`. */
  db: Db;
  /** Closes the test's connection and drops the database (the server must have stopped). */
  drop(): Promise<void>;
}

/** A new database on the test PostgreSQL server (TEST_DATABASE_URL) with every migration the server runs. */
export async function createServerDatabase(): Promise<ServerDatabase> {
  const empty = await createEmptyServerDb();
  const db = await openServerDb({ url: empty.url, maxConnections: 2 });
  try {
    await migrate(db, allMigrations);
  } catch (error) {
    await db.close();
    await empty.drop();
    throw error;
  }
  return {
    url: empty.url,
    db,
    async drop() {
      await db.close();
      await empty.drop();
    },
  };
}

const DAY_MS = 24 * 3_600_000;
const TIMEOUT_ERROR =
  'POST /application/custom-metrics to https://replicated.app got no complete answer within 30000 ms. Check that this server can reach the Replicated endpoint (firewall, HTTPS_PROXY, NO_PROXY), or raise timeoutMs.';

/**
 * Three months of an installation's reporting, as the engine would have stored it: a batch every
 * week, each sent a minute later, except one that waited eight days while the vendor could not be
 * reached (every try failed, and the license warning showed until it went through).
 */
export async function seedReportingHistory(db: Db, now: Date): Promise<void> {
  const weeks = 13;
  const outageWeek = 3;
  const outageDays = 8;
  for (let week = weeks - 1; week >= 0; week--) {
    const collectedAt = new Date(now.getTime() - (week * 7 + 2) * DAY_MS);
    const delayed = week === outageWeek;
    const uploadedAt = new Date(collectedAt.getTime() + (delayed ? outageDays * DAY_MS : 60_000));
    const users = 40 - week * 2;
    const metrics = {
      total_users: users + 6,
      active_users: users,
      active_users_7d: Math.round(users * 0.7),
      conversations_7d: users * 9 + (week % 3) * 7,
      total_conversations: 2400 - week * 160,
      app_version: '1.4.0',
    };
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO telemetry_metrics (collected_at, metrics_data, uploaded_at, upload_attempts, last_upload_error, updated_at)
       VALUES ($1, $2, $3, $4, $5, $3) RETURNING id`,
      [collectedAt, JSON.stringify(metrics), uploadedAt, delayed ? 1 + outageDays * 4 : 1, null],
    );
    const batchId = rows[0]!.id;
    if (delayed) {
      // Four failed tries a day, as the back-off settles at the check interval.
      for (let attempt = 0; attempt < outageDays * 4; attempt++) {
        const attemptedAt = new Date(collectedAt.getTime() + 60_000 + attempt * 6 * 3_600_000);
        await recordAttempt(db, attemptedAt, batchId, 'failure', TIMEOUT_ERROR);
      }
    }
    await recordAttempt(db, uploadedAt, batchId, 'success', null);
  }
}

async function recordAttempt(db: Db, at: Date, batchId: string, outcome: string, error: string | null) {
  await db.query(
    `INSERT INTO telemetry_upload_attempts (attempted_at, kind, batch_id, outcome, error, duration_ms)
     VALUES ($1, 'metrics', $2, $3, $4, $5)`,
    [at, batchId, outcome, error, outcome === 'success' ? 240 : 30_000],
  );
}
