import type { Queryable } from '@openhands/db';
import { type AttemptKind, type AttemptOutcome, recordAttempt } from '../storage/upload-attempts.js';

/**
 * Counts and logs every request to the vendor: the count proves the cycle's request budget,
 * the log is the admin's history of what was sent and what failed.
 */
export class RequestRecorder {
  requests = 0;

  constructor(
    private readonly db: Queryable,
    private readonly now: () => Date,
  ) {}

  async call<T>(kind: AttemptKind, batchId: string | null, request: () => Promise<T>): Promise<T> {
    this.requests += 1;
    const startedAt = this.now();
    const started = performance.now();
    try {
      const result = await request();
      await this.record(kind, batchId, 'success', null, startedAt, started);
      return result;
    } catch (error) {
      if ((error as { code?: string }).code !== 'REPLICATED_ERR_ABORTED') {
        await this.record(kind, batchId, 'failure', (error as Error).message, startedAt, started);
      }
      throw error;
    }
  }

  /** A failure that turned out to be final for its batch (the vendor called it invalid). */
  async markLastRejected(kind: AttemptKind, batchId: string, error: string): Promise<void> {
    await this.db.query(
      `UPDATE telemetry_upload_attempts SET outcome = 'rejected', error = $3
       WHERE id = (SELECT max(id) FROM telemetry_upload_attempts WHERE kind = $1 AND batch_id = $2)`,
      [kind, batchId, error],
    );
  }

  private async record(
    kind: AttemptKind,
    batchId: string | null,
    outcome: AttemptOutcome,
    error: string | null,
    attemptedAt: Date,
    started: number,
  ): Promise<void> {
    await recordAttempt(this.db, {
      attemptedAt,
      kind,
      batchId,
      outcome,
      error,
      durationMs: performance.now() - started,
    });
  }
}
