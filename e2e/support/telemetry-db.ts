import { type Db, migrate, openServerDb } from '@openhands/db';
import { createEmptyServerDb } from '@openhands/db/testing';
import { allMigrations } from '@openhands/server';

/** The settings that make the server an enterprise install (design §4.4.1): any non-empty values. */
export const ENTERPRISE_ENV = {
  GITHUB_APP_CLIENT_ID: 'e2e-github-app',
  KEYCLOAK_SERVER_URL: 'https://keycloak.acme.example',
  KEYCLOAK_REALM_NAME: 'openhands',
  // No Keycloak client here: these tests sign in with the development form, which an enterprise
  // install offers only with this operator flag (e2e/keycloak-sign-in.test.ts covers Keycloak).
  OPENHANDS_DEV_SIGN_IN: 'true',
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
 * week, each sent a minute later, except during an eight-day outage of the vendor three weeks ago:
 * every try failed (four a day, as the back-off settles at the check interval), the license warning
 * showed, and the batches collected meanwhile went out together, oldest first, once it was over.
 */
export async function seedReportingHistory(db: Db, now: Date): Promise<void> {
  const weeks = 13;
  const outageStart = new Date(now.getTime() - (3 * 7 + 2) * DAY_MS);
  const outageEnd = new Date(outageStart.getTime() + 8 * DAY_MS);
  let firstDelayedId: string | undefined;
  let delayed = 0;
  for (let week = weeks - 1; week >= 0; week--) {
    const collectedAt = new Date(now.getTime() - (week * 7 + 2) * DAY_MS);
    const duringOutage = collectedAt >= outageStart && collectedAt < outageEnd;
    const uploadedAt = duringOutage
      ? new Date(outageEnd.getTime() + delayed++ * 1_000)
      : new Date(collectedAt.getTime() + 60_000);
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
      `INSERT INTO telemetry_metrics (collected_at, metrics_data, uploaded_at, upload_attempts, updated_at)
       VALUES ($1, $2, $3, $4, $3) RETURNING id`,
      [collectedAt, JSON.stringify(metrics), uploadedAt, duringOutage ? 33 : 1],
    );
    const batchId = rows[0]!.id;
    if (duringOutage) firstDelayedId ??= batchId;
    await recordAttempt(db, uploadedAt, batchId, 'success', null);
  }
  // Each failed try was the oldest waiting batch's.
  for (let at = outageStart.getTime() + 60_000; at < outageEnd.getTime(); at += 6 * 3_600_000) {
    await recordAttempt(db, new Date(at), firstDelayedId ?? null, 'failure', TIMEOUT_ERROR);
  }
  // The heartbeat: a check-in the vendor took every 4 hours, except during the outage (DECISIONS §4),
  // so that the license rule's contact gap sees what the real sender would have left behind.
  const first = now.getTime() - weeks * 7 * DAY_MS;
  const heartbeats: Date[] = [];
  for (let at = first; at < now.getTime() - 3_600_000; at += 4 * 3_600_000) {
    if (at < outageStart.getTime() || at >= outageEnd.getTime()) heartbeats.push(new Date(at));
  }
  await db.query(
    `INSERT INTO telemetry_upload_attempts (attempted_at, kind, outcome, duration_ms)
     SELECT at, 'checkin', 'success', 120 FROM unnest($1::timestamptz[]) AS at`,
    [heartbeats],
  );
}

async function recordAttempt(db: Db, at: Date, batchId: string | null, outcome: string, error: string | null) {
  await db.query(
    `INSERT INTO telemetry_upload_attempts (attempted_at, kind, batch_id, outcome, error, duration_ms)
     VALUES ($1, 'metrics', $2, $3, $4, $5)`,
    [at, batchId, outcome, error, outcome === 'success' ? 240 : 30_000],
  );
}
