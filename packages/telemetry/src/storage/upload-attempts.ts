import type { Queryable } from '@openhands/db';

export type AttemptKind = 'identity' | 'metrics' | 'checkin';
export type AttemptOutcome = 'success' | 'failure' | 'rejected';

export interface UploadAttempt {
  attemptedAt: Date;
  kind: AttemptKind;
  batchId: string | null;
  outcome: AttemptOutcome;
  error: string | null;
  durationMs: number;
}

export async function recordAttempt(q: Queryable, attempt: UploadAttempt): Promise<void> {
  await q.query(
    `INSERT INTO telemetry_upload_attempts (attempted_at, kind, batch_id, outcome, error, duration_ms)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [
      attempt.attemptedAt,
      attempt.kind,
      attempt.batchId,
      attempt.outcome,
      attempt.error,
      Math.round(attempt.durationMs),
    ],
  );
}

/** Failed and rejected attempts since `since`, newest first: the errors an admin should see. */
export async function failuresSince(q: Queryable, since: Date, limit: number): Promise<UploadAttempt[]> {
  const { rows } = await q.query<UploadAttempt>(
    `SELECT attempted_at AS "attemptedAt", kind, batch_id AS "batchId", outcome, error, duration_ms AS "durationMs"
     FROM telemetry_upload_attempts WHERE attempted_at >= $1 AND outcome <> 'success'
     ORDER BY attempted_at DESC, id DESC LIMIT $2`,
    [since, limit],
  );
  return rows;
}

/** Drops attempts older than `before` (the retention of 90 days); returns how many went. */
export async function pruneAttempts(q: Queryable, before: Date): Promise<number> {
  const { rows } = await q.query<{ n: number }>(
    `WITH gone AS (DELETE FROM telemetry_upload_attempts WHERE attempted_at < $1 RETURNING 1)
     SELECT count(*)::int AS n FROM gone`,
    [before],
  );
  return rows[0]?.n ?? 0;
}
