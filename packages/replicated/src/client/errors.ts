/**
 * The catalogue of Replicated errors. Each message says what went wrong and what to do about it,
 * because these end up in an operator's log. No message ever carries the publishable key or a
 * service token: vendor text and transport causes are scrubbed of both before they are quoted.
 */
export type ReplicatedErrorCode =
  | 'REPLICATED_ERR_AUTH'
  | 'REPLICATED_ERR_FORBIDDEN'
  | 'REPLICATED_ERR_RATE_LIMITED'
  | 'REPLICATED_ERR_API'
  | 'REPLICATED_ERR_NETWORK'
  | 'REPLICATED_ERR_ABORTED'
  | 'REPLICATED_ERR_INVALID_RESPONSE'
  | 'REPLICATED_ERR_VALIDATION';

export class ReplicatedError extends Error {
  readonly code: ReplicatedErrorCode;
  /** The call that failed, e.g. `POST /v3/customer`; undefined when nothing was sent. */
  readonly operation: string | undefined;

  constructor(
    code: ReplicatedErrorCode,
    message: string,
    operation: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ReplicatedError';
    this.code = code;
    this.operation = operation;
  }
}

/** What the vendor said in a non-2xx answer; `message` and `code` come from its JSON body when it has one. */
export interface VendorAnswer {
  status: number;
  vendorMessage: string | undefined;
  vendorCode: string | undefined;
  /** From `Retry-After` (seconds or an HTTP date), when the answer carried a readable one. */
  retryAfterMs: number | undefined;
  /** The body was a JSON object served as JSON: the vendor's own answer, not a proxy's or gateway's page. */
  vendorJson: boolean;
}

/** Any answer of 400 or above. */
export abstract class ReplicatedHttpError extends ReplicatedError implements VendorAnswer {
  readonly status: number;
  readonly vendorMessage: string | undefined;
  readonly vendorCode: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly vendorJson: boolean;

  constructor(code: ReplicatedErrorCode, message: string, operation: string, answer: VendorAnswer) {
    super(code, message, operation);
    this.status = answer.status;
    this.vendorMessage = answer.vendorMessage;
    this.vendorCode = answer.vendorCode;
    this.retryAfterMs = answer.retryAfterMs;
    this.vendorJson = answer.vendorJson;
  }
}

function quoteVendor(answer: VendorAnswer): string {
  if (answer.vendorMessage === undefined) return '';
  const code = answer.vendorCode === undefined ? '' : ` [${answer.vendorCode}]`;
  return `: "${answer.vendorMessage}"${code}`;
}

/** 401: the service token (or the publishable key, for the customer call) is not accepted. */
export class ReplicatedAuthError extends ReplicatedHttpError {
  declare readonly code: 'REPLICATED_ERR_AUTH';

  constructor(operation: string, answer: VendorAnswer) {
    super(
      'REPLICATED_ERR_AUTH',
      `Replicated rejected the credentials of ${operation} (HTTP 401${quoteVendor(answer)}). ` +
        'The service token is unknown or revoked, or the publishable key is wrong: get or create the customer again ' +
        'to obtain a fresh service token, and check the publishable key built into the source.',
      operation,
      answer,
    );
    this.name = 'ReplicatedAuthError';
  }
}

/** 403: the vendor knows the caller and refuses it, typically an expired license. */
export class ReplicatedForbiddenError extends ReplicatedHttpError {
  declare readonly code: 'REPLICATED_ERR_FORBIDDEN';

  constructor(operation: string, answer: VendorAnswer) {
    super(
      'REPLICATED_ERR_FORBIDDEN',
      `Replicated refused ${operation} (HTTP 403${quoteVendor(answer)}): the license is expired or this customer ` +
        'may not use the application. Renew the license with the vendor; sending again will not help.',
      operation,
      answer,
    );
    this.name = 'ReplicatedForbiddenError';
  }
}

/** 429: slow down; `retryAfterMs` says for how long when the vendor said so. */
export class ReplicatedRateLimitedError extends ReplicatedHttpError {
  declare readonly code: 'REPLICATED_ERR_RATE_LIMITED';

  constructor(operation: string, answer: VendorAnswer) {
    const wait =
      answer.retryAfterMs === undefined
        ? 'Retry later with back-off.'
        : `Wait ${Math.ceil(answer.retryAfterMs / 1000)} s (Retry-After) before the next request.`;
    super(
      'REPLICATED_ERR_RATE_LIMITED',
      `Replicated is rate limiting ${operation} (HTTP 429${quoteVendor(answer)}). ${wait}`,
      operation,
      answer,
    );
    this.name = 'ReplicatedRateLimitedError';
  }
}

/** Any other answer that is not a 2xx: a 3xx redirect, or 400 and above. */
export class ReplicatedApiError extends ReplicatedHttpError {
  declare readonly code: 'REPLICATED_ERR_API';

  constructor(operation: string, answer: VendorAnswer) {
    const advice = !answer.vendorJson
      ? "The answer is not the vendor's JSON: a proxy, gateway or captive portal answered in its place. " +
        'Check REPLICATED_API_URL and the proxy settings (HTTPS_PROXY, NO_PROXY); it is retried with back-off.'
      : answer.status === 400 || answer.status === 422
        ? 'The vendor refused the request as invalid: fix what is sent, the same request will fail again.'
        : 'The vendor side failed: it is retried with back-off.';
    super(
      'REPLICATED_ERR_API',
      `Replicated answered HTTP ${answer.status} to ${operation}${quoteVendor(answer)}. ${advice}`,
      operation,
      answer,
    );
    this.name = 'ReplicatedApiError';
  }
}

/** The request did not get a complete answer: refused connection, DNS, reset, dropped socket or timeout. */
export class ReplicatedNetworkError extends ReplicatedError {
  declare readonly code: 'REPLICATED_ERR_NETWORK';
  readonly timedOut: boolean;

  constructor(
    operation: string,
    detail: { origin: string; timeoutMs: number; timedOut: boolean; reason: string; cause: unknown },
  ) {
    const message = detail.timedOut
      ? `${operation} to ${detail.origin} got no complete answer within ${detail.timeoutMs} ms. ` +
        'Check that this server can reach the Replicated endpoint (firewall, HTTPS_PROXY, NO_PROXY), or raise timeoutMs.'
      : `${operation} to ${detail.origin} failed before an answer arrived (${detail.reason}). ` +
        'Check DNS, the firewall and the proxy settings (HTTPS_PROXY, HTTP_PROXY, NO_PROXY); the request may be retried.';
    super('REPLICATED_ERR_NETWORK', message, operation, { cause: detail.cause });
    this.name = 'ReplicatedNetworkError';
    this.timedOut = detail.timedOut;
  }
}

/** The caller's signal fired; the request was abandoned on purpose. */
export class ReplicatedAbortedError extends ReplicatedError {
  declare readonly code: 'REPLICATED_ERR_ABORTED';

  constructor(operation: string, cause: unknown) {
    super(
      'REPLICATED_ERR_ABORTED',
      `${operation} was aborted by the caller before Replicated answered. Nothing to fix unless the abort was unexpected; ` +
        'the vendor may or may not have received the request, so send it again later.',
      operation,
      { cause },
    );
    this.name = 'ReplicatedAbortedError';
  }
}

/** A 2xx whose body lacks what the call needs (an empty or non-JSON body counts as `{}`). */
export class ReplicatedInvalidResponseError extends ReplicatedError {
  declare readonly code: 'REPLICATED_ERR_INVALID_RESPONSE';
  readonly status: number;

  constructor(operation: string, status: number, missing: string) {
    super(
      'REPLICATED_ERR_INVALID_RESPONSE',
      `Replicated answered HTTP ${status} to ${operation} without ${missing}. The base URL may not point at Replicated, ` +
        'or a proxy answered in its place: check the endpoint and the proxy settings.',
      operation,
    );
    this.name = 'ReplicatedInvalidResponseError';
    this.status = status;
  }
}

/** Arguments the client refuses before sending anything. */
export class ReplicatedValidationError extends ReplicatedError {
  declare readonly code: 'REPLICATED_ERR_VALIDATION';
  readonly issues: readonly string[];

  constructor(subject: string, issues: readonly string[]) {
    super(
      'REPLICATED_ERR_VALIDATION',
      `Invalid ${subject}: ${issues.join('; ')}. Fix these before calling again; nothing was sent to Replicated.`,
      undefined,
    );
    this.name = 'ReplicatedValidationError';
    this.issues = issues;
  }
}

/** Every error this package throws; narrowing on `code` gives the specific class. */
export type AnyReplicatedError =
  | ReplicatedAuthError
  | ReplicatedForbiddenError
  | ReplicatedRateLimitedError
  | ReplicatedApiError
  | ReplicatedNetworkError
  | ReplicatedAbortedError
  | ReplicatedInvalidResponseError
  | ReplicatedValidationError;

export function isReplicatedError(error: unknown): error is AnyReplicatedError;
export function isReplicatedError<C extends ReplicatedErrorCode>(
  error: unknown,
  code: C,
): error is Extract<AnyReplicatedError, { code: C }>;
export function isReplicatedError(error: unknown, code?: ReplicatedErrorCode): boolean {
  return error instanceof ReplicatedError && (code === undefined || error.code === code);
}

/** Replaces every occurrence of a secret in text that is about to be quoted in an error message. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let redacted = text;
  for (const secret of secrets) {
    if (secret.length > 0) redacted = redacted.split(secret).join('[redacted]');
  }
  return redacted;
}
