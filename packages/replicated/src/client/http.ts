import { type Dispatcher, fetch, type Response } from 'undici';
import {
  ReplicatedAbortedError,
  ReplicatedApiError,
  ReplicatedAuthError,
  ReplicatedForbiddenError,
  ReplicatedInvalidResponseError,
  ReplicatedNetworkError,
  ReplicatedRateLimitedError,
  redactSecrets,
  type VendorAnswer,
} from './errors.js';
import { parseRetryAfterMs } from './retry-after.js';

/** What every request of one client shares. */
export interface Transport {
  /** Without a trailing slash; may carry a path prefix. */
  baseUrl: string;
  /** For messages: scheme, host and port only, never credentials from the URL. */
  origin: string;
  timeoutMs: number;
  userAgent: string;
  dispatcher: Dispatcher;
}

export interface JsonRequest {
  path: string;
  headers: Record<string, string>;
  body: unknown;
  signal: AbortSignal | undefined;
  /** Values to scrub from anything quoted in an error message. */
  secrets: readonly string[];
}

export interface JsonAnswer {
  status: number;
  /** The vendor's JSON object (a 2xx without one is an error, see `postJson`). */
  body: Record<string, unknown>;
}

const VENDOR_MESSAGE_MAX_CHARS = 500;

/**
 * One POST with a JSON body. The timeout covers the whole exchange, body included, so that a vendor
 * trickling its answer cannot hold the caller past `timeoutMs`. Only a 2xx carrying a JSON object
 * served as JSON returns (DECISIONS §2): a captive portal's `200 text/html` or a redirect (never
 * followed: it leads to a login page, not to the vendor) is an error like any other non-2xx.
 */
export async function postJson(transport: Transport, request: JsonRequest): Promise<JsonAnswer> {
  const operation = `POST ${request.path}`;
  if (request.signal?.aborted) throw new ReplicatedAbortedError(operation, request.signal.reason);

  const timeout = AbortSignal.timeout(transport.timeoutMs);
  const signal = request.signal ? AbortSignal.any([timeout, request.signal]) : timeout;
  let response: Response;
  let text: string;
  try {
    response = await fetch(`${transport.baseUrl}${request.path}`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json',
        'User-Agent': transport.userAgent,
        ...request.headers,
      },
      body: JSON.stringify(request.body),
      signal,
      redirect: 'manual',
      dispatcher: transport.dispatcher,
    });
    text = await response.text();
  } catch (error) {
    if (request.signal?.aborted) throw new ReplicatedAbortedError(operation, request.signal.reason);
    throw new ReplicatedNetworkError(operation, {
      origin: transport.origin,
      timeoutMs: transport.timeoutMs,
      timedOut: timeout.aborted,
      reason: redactSecrets(describeTransportFailure(error), request.secrets),
      cause: error,
    });
  }

  const { status, headers } = response;
  const body = isJsonType(headers.get('content-type')) ? parseJsonObject(text) : undefined;
  if (status >= 200 && status < 300) {
    if (body === undefined) throw new ReplicatedInvalidResponseError(operation, status, "the vendor's JSON answer");
    return { status, body };
  }
  throw vendorError(operation, {
    status,
    vendorMessage: vendorText(body?.['message'], request.secrets),
    vendorCode: vendorText(body?.['code'], request.secrets),
    retryAfterMs: parseRetryAfterMs(headers.get('retry-after'), headers.get('date')),
    vendorJson: body !== undefined,
  });
}

/** `application/json` or a `+json` type, parameters aside. */
function isJsonType(contentType: string | null): boolean {
  const type = contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || type.endsWith('+json');
}

function vendorError(operation: string, answer: VendorAnswer): Error {
  switch (answer.status) {
    case 401:
      return new ReplicatedAuthError(operation, answer);
    case 403:
      return new ReplicatedForbiddenError(operation, answer);
    case 429:
      return new ReplicatedRateLimitedError(operation, answer);
    default:
      return new ReplicatedApiError(operation, answer);
  }
}

/** The body as a JSON object, or undefined: an empty, non-JSON or non-object body is not the vendor's. */
function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
      return parsed as Record<string, unknown>;
  } catch {
    // An HTML page from a gateway or a portal carries nothing we can use.
  }
  return undefined;
}

function vendorText(value: unknown, secrets: readonly string[]): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const text = redactSecrets(String(value), secrets);
  return text.length > VENDOR_MESSAGE_MAX_CHARS ? `${text.slice(0, VENDOR_MESSAGE_MAX_CHARS)}…` : text;
}

/** undici reports "fetch failed" and keeps the useful part (ECONNREFUSED, "other side closed") in `cause`. */
function describeTransportFailure(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    parts.push(typeof code === 'string' ? `${current.message} (${code})` : current.message);
    current = current.cause;
  }
  return parts.length > 0 ? parts.join(': ') : String(error);
}
