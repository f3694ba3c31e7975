import type { Queryable } from '@openhands/db';

/** Everything the scheduler and the license warning decide from, read in one round trip. */
export interface ScheduleState {
  newestCollectedAt: Date | null;
  /** The oldest batch collected, sent or not. */
  oldestBatchAt: Date | null;
  /** When the vendor last accepted a batch. */
  lastUploadAt: Date | null;
  /** When the vendor last accepted a status check-in (the heartbeat). */
  lastCheckInAt: Date | null;
  /** The last successful vendor contact: a batch or a check-in the vendor accepted (DECISIONS §3). */
  lastContactAt: Date | null;
  /** The oldest batch still waiting to be sent (not accepted, not rejected). */
  oldestUnsentAt: Date | null;
  /**
   * The oldest batch the vendor has not accepted (waiting or rejected) among those collected
   * after the newest accepted batch: the start of the data gap of DECISIONS §3.
   */
  oldestUnacceptedAt: Date | null;
  /** Batches waiting to be sent. */
  pendingCount: number;
  /** No vendor request is made before this time (the stored back-off), except an admin's. */
  backoffUntil: Date | null;
  /** Transient failures since the vendor last accepted something: the back-off's exponent. */
  backoffFailures: number;
  /** The vendor knows us: customer and instance ids are stored. */
  identityEstablished: boolean;
}

export async function readScheduleState(q: Queryable): Promise<ScheduleState> {
  const { rows } = await q.query<ScheduleState>(
    `WITH newest_accepted AS (
       SELECT collected_at, seq FROM telemetry_metrics WHERE uploaded_at IS NOT NULL
       ORDER BY collected_at DESC, seq DESC LIMIT 1
     )
     SELECT
       (SELECT max(collected_at) FROM telemetry_metrics) AS "newestCollectedAt",
       (SELECT min(collected_at) FROM telemetry_metrics) AS "oldestBatchAt",
       u.last_upload AS "lastUploadAt",
       i.last_checkin_at AS "lastCheckInAt",
       greatest(u.last_upload, i.last_checkin_at) AS "lastContactAt",
       p.oldest AS "oldestUnsentAt",
       (SELECT min(m.collected_at) FROM telemetry_metrics m
         WHERE m.uploaded_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM newest_accepted a WHERE (m.collected_at, m.seq) < (a.collected_at, a.seq))
       ) AS "oldestUnacceptedAt",
       p.n AS "pendingCount",
       i.backoff_until AS "backoffUntil",
       coalesce(i.backoff_failures, 0) AS "backoffFailures",
       (i.customer_id IS NOT NULL AND i.instance_id IS NOT NULL) AS "identityEstablished"
     FROM (SELECT max(uploaded_at) AS last_upload FROM telemetry_metrics) u
     CROSS JOIN (
       SELECT min(collected_at) AS oldest, count(*)::int AS n
       FROM telemetry_metrics WHERE uploaded_at IS NULL AND failed_at IS NULL
     ) p
     LEFT JOIN telemetry_identity i ON i.id = 1`,
  );
  return rows[0]!;
}
