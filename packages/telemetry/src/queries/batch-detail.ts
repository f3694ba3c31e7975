import type { Queryable } from '@openhands/db';
import type { BatchDetail } from '../api/schemas.js';

/**
 * One stored batch, with the metrics exactly as they were (or will be) sent: what an admin opens
 * from the batch list to see a past payload. Undefined for an id no batch has.
 */
export async function readBatchDetail(db: Queryable, id: string): Promise<BatchDetail | undefined> {
  const { rows } = await db.query<{
    id: string;
    collected_at: Date;
    uploaded_at: Date | null;
    failed_at: Date | null;
    metrics_data: BatchDetail['data'];
    collector_errors: BatchDetail['collectorErrors'];
  }>(
    `SELECT id, collected_at, uploaded_at, failed_at, metrics_data, collector_errors
     FROM telemetry_metrics WHERE id = $1`,
    [id],
  );
  const row = rows[0];
  if (!row) return undefined;
  return {
    id: row.id,
    collectedAt: row.collected_at.toISOString(),
    status: row.uploaded_at ? 'uploaded' : row.failed_at ? 'rejected' : 'pending',
    uploadedAt: row.uploaded_at?.toISOString() ?? null,
    request: 'POST /application/custom-metrics',
    data: row.metrics_data,
    collectorErrors: row.collector_errors ?? [],
  };
}
