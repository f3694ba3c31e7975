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
 * Takes the oldest pending batch that nobody is sending, with a lease. The row lock of
 * FOR UPDATE SKIP LOCKED lasts only this statement, so no lock is held during the HTTP request
 * (on the embedded database that would stall every other query); the lease keeps others off.
 */
export async function claimNextBatch(
  q: Queryable,
  holder: string,
  now: Date,
  leaseMs: number,
): Promise<PendingBatch | undefined> {
  const { rows } = await q.query<PendingBatch>(
    `UPDATE telemetry_metrics
     SET claimed_by = $1, claimed_until = $2::timestamptz + make_interval(secs => $3::float8 / 1000)
     WHERE id = (
       SELECT id FROM telemetry_metrics
       WHERE ${PENDING} AND (claimed_until IS NULL OR claimed_until < $2)
       ORDER BY collected_at, seq
       FOR UPDATE SKIP LOCKED
       LIMIT 1
     )
     RETURNING id, collected_at AS "collectedAt", metrics_data AS metrics, coalesce(upload_attempts, 0) AS attempts`,
    [holder, now, leaseMs],
  );
  return rows[0];
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

/** The highest attempt count among pending batches: the exponent of the next back-off. */
export async function maxPendingAttempts(q: Queryable): Promise<number> {
  const { rows } = await q.query<{ n: number }>(
    `SELECT coalesce(max(upload_attempts), 0)::int AS n FROM telemetry_metrics WHERE ${PENDING}`,
  );
  return rows[0]?.n ?? 0;
}

/** Pending batches in sending order, for the admin's preview. */
export async function listPending(q: Queryable): Promise<PendingBatch[]> {
  const { rows } = await q.query<PendingBatch>(
    `SELECT id, collected_at AS "collectedAt", metrics_data AS metrics, coalesce(upload_attempts, 0) AS attempts
     FROM telemetry_metrics WHERE ${PENDING} ORDER BY collected_at, seq`,
  );
  return rows;
}
