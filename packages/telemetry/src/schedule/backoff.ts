import { MAX_BACKOFF_MS, MAX_RETRY_AFTER_MS, MIN_BACKOFF_MS } from '../config/constants.js';
import { withJitter } from './jitter.js';

export interface BackoffInput {
  /** Transient failures in a row, this one included (1 after the first failure). */
  failures: number;
  /** The vendor's Retry-After, honoured as a floor up to 24 h; undefined when it gave none. */
  retryAfterMs?: number | undefined;
  random: () => number;
}

/**
 * How long to wait before the next vendor request after a transient failure (DECISIONS §2):
 * 3 minutes, doubling per failure up to 6 hours, in every phase; jitter after the cap, so that a
 * fleet that failed together does not retry together even at the cap. The vendor's Retry-After
 * wins when it asks for longer, up to 24 hours (a date in 2099 must not stop uploads for good).
 */
export function backoffDelayMs({ failures, retryAfterMs, random }: BackoffInput): number {
  const exponent = Math.min(Math.max(failures - 1, 0), 30);
  const capped = Math.min(MIN_BACKOFF_MS * 2 ** exponent, MAX_BACKOFF_MS);
  const jittered = withJitter(capped, random);
  const vendorAsked =
    retryAfterMs !== undefined && Number.isFinite(retryAfterMs)
      ? Math.min(Math.max(retryAfterMs, 0), MAX_RETRY_AFTER_MS)
      : 0;
  return Math.max(jittered, vendorAsked);
}
