import { PATHS } from '../protocol.js';
import { isReplicatedError } from './errors.js';

/**
 * What a vendor request's outcome means, decided in ONE place (DECISIONS §2; OpenTelemetry's
 * `isExportRetryable` is the model):
 * - `accepted`: a 2xx carrying the vendor's JSON (the client returns normally only then);
 * - `reject`: the vendor's own JSON validation error (400 or 422), or our own check refused the
 *   data before sending; for a batch, it is final;
 * - `reregister`: 401, or the vendor's JSON 404 for our customer or instance: get the customer
 *   and instance again, once;
 * - `retry`: everything else (an HTML page, a redirect, a proxy's 407, a gateway's 4xx/5xx, 403,
 *   429, a captive portal's 200, a timeout, a refused connection): keep the data, back off;
 *   `retryAfterMs` is the vendor's Retry-After, capped at 24 hours, when it sent a readable one;
 * - `aborted`: the caller gave up on purpose (shutdown); not the vendor's answer at all.
 */
export type VendorVerdict =
  | { verdict: 'accepted' }
  | { verdict: 'reject' }
  | { verdict: 'reregister' }
  | { verdict: 'retry'; retryAfterMs?: number }
  | { verdict: 'aborted' };

/** The longest wait a Retry-After may impose: a date in 2099 must not stop uploads for good. */
export const MAX_RETRY_AFTER_MS = 24 * 3_600_000;

/** The verdict on a call's outcome: `undefined` when it returned, else what it threw. */
export function vendorVerdict(error: unknown): VendorVerdict {
  if (error === undefined) return { verdict: 'accepted' };
  if (!isReplicatedError(error)) return { verdict: 'retry' };
  switch (error.code) {
    case 'REPLICATED_ERR_ABORTED':
      return { verdict: 'aborted' };
    case 'REPLICATED_ERR_VALIDATION':
      return { verdict: 'reject' };
    case 'REPLICATED_ERR_NETWORK':
    case 'REPLICATED_ERR_INVALID_RESPONSE':
      return { verdict: 'retry' };
    case 'REPLICATED_ERR_AUTH':
      return { verdict: 'reregister' };
    case 'REPLICATED_ERR_FORBIDDEN':
    case 'REPLICATED_ERR_RATE_LIMITED':
    case 'REPLICATED_ERR_API': {
      if (error.vendorJson && (error.status === 400 || error.status === 422)) return { verdict: 'reject' };
      if (error.vendorJson && error.status === 404 && error.operation !== `POST ${PATHS.customer}`) {
        return { verdict: 'reregister' };
      }
      return retryAfter(error.retryAfterMs);
    }
  }
}

function retryAfter(ms: number | undefined): VendorVerdict {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return { verdict: 'retry' };
  return { verdict: 'retry', retryAfterMs: Math.min(ms, MAX_RETRY_AFTER_MS) };
}
