import { isReplicatedError } from './errors.js';

/** What a caller that retries (the engine's uploader) should do about a failed call. */
export interface ErrorClassification {
  /** Sending the same request again later may succeed. */
  retryable: boolean;
  /** The vendor's `Retry-After`, when it gave one; a floor for the next attempt. */
  retryAfterMs?: number;
  /** The service token is no longer accepted: get or create the customer again before retrying. */
  reauthenticate: boolean;
}

/**
 * Decides retryability in one place (as OpenTelemetry's exporters do): 408, 429, 5xx, transport
 * failures and timeouts are transient; 401 asks for new credentials; 400 and the rest of 4xx mean
 * the request itself is wrong and would fail again. A 2xx without the expected fields is treated as
 * transient, since it is usually a proxy or a captive portal answering in the vendor's place. Errors
 * that are not ours are retryable too: a retry with back-off is harmless, dropping data is not.
 */
export function classifyError(error: unknown): ErrorClassification {
  if (!isReplicatedError(error)) return { retryable: true, reauthenticate: false };

  switch (error.code) {
    case 'REPLICATED_ERR_AUTH':
      return { retryable: false, reauthenticate: true };
    case 'REPLICATED_ERR_RATE_LIMITED':
      return withRetryAfter({ retryable: true, reauthenticate: false }, error.retryAfterMs);
    case 'REPLICATED_ERR_API': {
      const transient = error.status === 408 || error.status >= 500;
      return withRetryAfter(
        { retryable: transient, reauthenticate: false },
        transient ? error.retryAfterMs : undefined,
      );
    }
    case 'REPLICATED_ERR_NETWORK':
    case 'REPLICATED_ERR_INVALID_RESPONSE':
      return { retryable: true, reauthenticate: false };
    case 'REPLICATED_ERR_FORBIDDEN':
    case 'REPLICATED_ERR_ABORTED':
    case 'REPLICATED_ERR_VALIDATION':
      return { retryable: false, reauthenticate: false };
  }
}

function withRetryAfter(classification: ErrorClassification, retryAfterMs: number | undefined): ErrorClassification {
  return retryAfterMs === undefined ? classification : { ...classification, retryAfterMs };
}
