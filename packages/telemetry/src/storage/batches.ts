import type { Queryable } from '@openhands/db';
import type { CollectionResult } from '../collection/types.js';

export interface NewBatch {
  collectedAt: Date;
  result: CollectionResult;
}

/**
 * Stores one collection as one row of `telemetry_metrics`. The JSON goes in as text and is cast
 * in SQL: both drivers then pass it through untouched (PGlite would encode a string bound
 * straight to a jsonb parameter as a JSON string).
 */
export async function insertBatch(q: Queryable, batch: NewBatch): Promise<{ id: string }> {
  const { rows } = await q.query<{ id: string }>(
    `INSERT INTO telemetry_metrics (collected_at, metrics_data, collector_errors, collector_durations)
     VALUES ($1, $2::text::jsonb, $3::text::jsonb, $4::text::jsonb)
     RETURNING id`,
    [
      batch.collectedAt,
      JSON.stringify(batch.result.metrics),
      JSON.stringify(batch.result.errors),
      JSON.stringify(batch.result.durations),
    ],
  );
  const row = rows[0];
  if (!row) throw new Error('INSERT INTO telemetry_metrics returned no row');
  return { id: row.id };
}
