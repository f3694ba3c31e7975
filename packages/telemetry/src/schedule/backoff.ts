import { MIN_BACKOFF_MS } from '../config/constants.js';
import { withJitter } from './jitter.js';

export interface BackoffInput {
  /** Attempts made so far, this one included (1 after the first failure). */
  attempts: number;
  /** The longest wait: the check interval of the current phase. */
  maxMs: number;
  /** The vendor's Retry-After, honoured as a floor even above maxMs. */
  retryAfterMs?: number | undefined;
  random: () => number;
}

/**
 * How long to wait before the next upload attempt: 3 minutes, doubling per attempt, capped at
 * the check interval, with jitter so that a fleet that failed together does not retry together.
 * The vendor's Retry-After wins when it asks for longer.
 */
export function backoffDelayMs({ attempts, maxMs, retryAfterMs, random }: BackoffInput): number {
  const exponent = Math.min(Math.max(attempts - 1, 0), 30);
  const base = Math.min(MIN_BACKOFF_MS * 2 ** exponent, maxMs);
  const jittered = Math.min(Math.max(withJitter(base, random), Math.min(MIN_BACKOFF_MS, maxMs)), maxMs);
  return Math.max(jittered, retryAfterMs ?? 0);
}
