import type { Queryable } from '@openhands/db';

/** Everything the scheduler and the license warning decide from, read in one round trip. */
export interface ScheduleState {
  newestCollectedAt: Date | null;
  oldestBatchAt: Date | null;
  lastUploadAt: Date | null;
  /** Oldest batch still to send: not uploaded and not rejected. */
  oldestUnsentAt: Date | null;
  pendingCount: number;
  /** The latest back-off time among pending batches; nothing is sent before it. */
  backoffUntil: Date | null;
  /** Some pending batch has failed before (its retry is due once the back-off passes). */
  pendingRetry: boolean;
  lastCheckInAt: Date | null;
  identityEstablished: boolean;
}

export async function readScheduleState(q: Queryable): Promise<ScheduleState> {
  const { rows } = await q.query<ScheduleState>(
    `SELECT
       (SELECT max(collected_at) FROM telemetry_metrics) AS "newestCollectedAt",
       (SELECT min(collected_at) FROM telemetry_metrics) AS "oldestBatchAt",
       (SELECT max(uploaded_at) FROM telemetry_metrics) AS "lastUploadAt",
       p.oldest AS "oldestUnsentAt",
       p.n AS "pendingCount",
       p.backoff AS "backoffUntil",
       p.retry AS "pendingRetry",
       i.last_checkin_at AS "lastCheckInAt",
       (i.customer_id IS NOT NULL AND i.instance_id IS NOT NULL) AS "identityEstablished"
     FROM (
       SELECT min(collected_at) AS oldest, count(*)::int AS n, max(next_attempt_at) AS backoff,
              coalesce(bool_or(upload_attempts > 0), false) AS retry
       FROM telemetry_metrics WHERE uploaded_at IS NULL AND failed_at IS NULL
     ) p
     LEFT JOIN telemetry_identity i ON i.id = 1`,
  );
  return rows[0]!;
}
