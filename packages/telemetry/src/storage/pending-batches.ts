import type { Queryable } from '@openhands/db';
import type { MetricValue } from '@openhands/replicated';

export interface PendingBatch {
  id: string;
  collectedAt: Date;
  metrics: Record<string, MetricValue>;
  attempts: number;
}

const PENDING = 'uploaded_at IS NULL AND failed_at IS NULL';

/**
 * Takes the oldest pending batch for `holder`, the sender. Claims are tied to the sender, not to
 * a lease: a claim is valid only while its holder is the leader written in `telemetry_leader`, so
 * the batch of a process that died (or lost the lock) is free the moment a new sender writes
 * itself there. Only the oldest pending batch can be taken, so nothing newer is sent while an
 * older one is unsent (the vendor replaces the whole set: order is the vendor's final view).
 * FOR UPDATE (no SKIP LOCKED) makes two claimers at the same instant queue on the row; the
 * second sees the first's claim and gets nothing. `now` and `leaseMs` only stamp `claimed_until`
 * for the admin's eyes.
 */
export async function claimNextBatch(
  q: Queryable,
  holder: string,
  now: Date,
  leaseMs: number,
): Promise<PendingBatch | undefined> {
  const { rows } = await q.query<PendingBatch>(
    `WITH oldest AS (
       SELECT id, claimed_by FROM telemetry_metrics
       WHERE ${PENDING}
       ORDER BY collected_at, seq
       LIMIT 1
       FOR UPDATE
     ), leader AS (SELECT holder FROM telemetry_leader WHERE id = 1)
     UPDATE telemetry_metrics m
     SET claimed_by = $1, claimed_until = $2::timestamptz + make_interval(secs => $3::float8 / 1000)
     FROM oldest
     WHERE m.id = oldest.id
       AND (SELECT holder FROM leader) = $1
       AND (oldest.claimed_by IS NULL OR oldest.claimed_by = $1
            OR oldest.claimed_by IS DISTINCT FROM (SELECT holder FROM leader))
     RETURNING m.id, m.collected_at AS "collectedAt", m.metrics_data AS metrics,
               coalesce(m.upload_attempts, 0) AS attempts`,
    [holder, now, leaseMs],
  );
  return rows[0];
}

/** A new sender frees every claim a previous holder left behind (it died or lost the lock). */
export async function freeForeignClaims(q: Queryable, holder: string): Promise<number> {
  const { affectedRows } = await q.query(
    `UPDATE telemetry_metrics SET claimed_by = NULL, claimed_until = NULL
     WHERE claimed_by IS NOT NULL AND claimed_by <> $1 AND ${PENDING}`,
    [holder],
  );
  return affectedRows;
}

/**
 * Before the vendor knows this installation, a fresh Terms acceptance makes the waiting batch
 * stale (it does not count the new user): the fresh batch replaces the ones never tried, so a
 * burst of acceptances leaves one batch, not one per user.
 */
export async function dropUntriedBatches(q: Queryable, keepId: string): Promise<number> {
  const { affectedRows } = await q.query(
    `DELETE FROM telemetry_metrics
     WHERE id <> $1 AND ${PENDING} AND coalesce(upload_attempts, 0) = 0 AND claimed_by IS NULL`,
    [keepId],
  );
  return affectedRows;
}

export async function markUploaded(q: Queryable, id: string, holder: string, now: Date): Promise<void> {
  await q.query(
    `UPDATE telemetry_metrics
     SET uploaded_at = $3, upload_attempts = coalesce(upload_attempts, 0) + 1, last_upload_error = NULL,
         next_attempt_at = NULL, claimed_by = NULL, claimed_until = NULL, updated_at = $3
     WHERE id = $1 AND claimed_by = $2`,
    [id, holder, now],
  );
}

/** The vendor called the batch invalid: it is final, and must not hold back the others. */
export async function markRejected(q: Queryable, id: string, holder: string, now: Date, error: string): Promise<void> {
  await q.query(
    `UPDATE telemetry_metrics
     SET failed_at = $3, upload_attempts = coalesce(upload_attempts, 0) + 1, last_upload_error = $4,
         next_attempt_at = NULL, claimed_by = NULL, claimed_until = NULL, updated_at = $3
     WHERE id = $1 AND claimed_by = $2`,
    [id, holder, now, error],
  );
}

/** Counts a failed attempt on the batches that took part in it. */
export async function recordFailedAttempt(
  q: Queryable,
  ids: readonly string[],
  now: Date,
  error: string,
): Promise<void> {
  if (ids.length === 0) return;
  await q.query(
    `UPDATE telemetry_metrics
     SET upload_attempts = coalesce(upload_attempts, 0) + 1, last_upload_error = $3, updated_at = $2
     WHERE id = ANY($1::uuid[])`,
    [ids, now, error],
  );
}

/**
 * Puts every pending batch off until `until`, so that order is kept (nothing newer overtakes an
 * older batch in back-off) and a restart resumes the back-off instead of retrying at once.
 */
export async function deferPending(q: Queryable, until: Date, now: Date): Promise<void> {
  await q.query(`UPDATE telemetry_metrics SET next_attempt_at = $1, updated_at = $2 WHERE ${PENDING}`, [until, now]);
}

/** Gives a batch back without counting an attempt (the service stopped mid-request). */
export async function releaseClaim(q: Queryable, id: string, holder: string): Promise<void> {
  await q.query(
    'UPDATE telemetry_metrics SET claimed_by = NULL, claimed_until = NULL WHERE id = $1 AND claimed_by = $2',
    [id, holder],
  );
}

/** Pending batches in sending order, for the admin's preview. */
export async function listPending(q: Queryable): Promise<PendingBatch[]> {
  const { rows } = await q.query<PendingBatch>(
    `SELECT id, collected_at AS "collectedAt", metrics_data AS metrics, coalesce(upload_attempts, 0) AS attempts
     FROM telemetry_metrics WHERE ${PENDING} ORDER BY collected_at, seq`,
  );
  return rows;
}

/** The newest batch before `before`: its durations and errors, which collectors may report on. */
export async function readPreviousBatch(
  q: Queryable,
  before: Date,
): Promise<{
  collectedAt: Date;
  durations: Record<string, number>;
  errors: Array<{ collector: string; message: string }>;
} | null> {
  const { rows } = await q.query<{
    collectedAt: Date;
    durations: Record<string, number>;
    errors: Array<{ collector: string; message: string }>;
  }>(
    `SELECT collected_at AS "collectedAt", collector_durations AS durations, collector_errors AS errors
     FROM telemetry_metrics WHERE collected_at < $1 ORDER BY collected_at DESC, seq DESC LIMIT 1`,
    [before],
  );
  return rows[0] ?? null;
}
