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

  /** `isRejection` tells a final refusal of the request (recorded as rejected) from a failure. */
  async call<T>(
    kind: AttemptKind,
    batchId: string | null,
    request: () => Promise<T>,
    isRejection: (error: unknown) => boolean = () => false,
  ): Promise<T> {
    this.requests += 1;
    const startedAt = this.now();
    const started = performance.now();
    try {
      const result = await request();
      await this.record(kind, batchId, 'success', null, startedAt, started);
      return result;
    } catch (error) {
      if ((error as { code?: string }).code !== 'REPLICATED_ERR_ABORTED') {
        const outcome = isRejection(error) ? 'rejected' : 'failure';
        await this.record(kind, batchId, outcome, (error as Error).message, startedAt, started);
      }
      throw error;
    }
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
