/**
 * Faults the emulator injects into the next vendor requests, to show how a client behaves when the
 * vendor or the network misbehaves. A fault applies to `count` requests (default 1), optionally only
 * to those whose path is exactly `path`; faults queue in the order they were injected.
 */
export type Fault = StatusFault | HangFault | DropFault | SlowBodyFault | AcceptThenHangFault;

interface FaultScope {
  /** How many requests it applies to. Default 1. */
  count?: number;
  /** Only requests to this exact path, e.g. `/application/custom-metrics`. Default: any vendor path. */
  path?: string;
}

/** Answer with this status instead of handling the request (the request has no effect). */
export interface StatusFault extends FaultScope {
  kind: 'status';
  status: number;
  /** Sent as `Retry-After`: a number of seconds, or a string sent as is (an HTTP date, say). */
  retryAfter?: number | string;
  /** For the JSON body `{ message, code }`. Defaults name the fault. */
  message?: string;
  code?: string;
  /** A raw body instead of the JSON one (an HTML error page from a gateway, say). */
  body?: string;
  /** With `body`. Default `text/html; charset=utf-8`. */
  contentType?: string;
  /** Sent as `Location` (a redirect to a login page, say). */
  location?: string;
}

/** Handle the request as the vendor would (it takes effect), then never answer. */
export interface AcceptThenHangFault extends FaultScope {
  kind: 'accept-then-hang';
}

/** Never answer; the client has to give up. Closing the emulator does not wait for it. */
export interface HangFault extends FaultScope {
  kind: 'hang';
}

/** Destroy the connection without an answer. */
export interface DropFault extends FaultScope {
  kind: 'drop';
}

/** Handle the request, send the headers at once, then trickle the body over `durationMs`. */
export interface SlowBodyFault extends FaultScope {
  kind: 'slow-body';
  durationMs: number;
}

export type PendingFault = Fault & { remaining: number };

const KINDS = ['status', 'hang', 'drop', 'slow-body', 'accept-then-hang'];

const PORTAL_PAGE =
  '<!doctype html><html><head><title>Guest Wi-Fi</title></head><body><form action="/login">Accept the terms to continue</form></body></html>';

/**
 * What the field answers in the vendor's place, by name (also `{"preset": "<name>"}` over HTTP):
 * a captive portal's 200 page, a redirect to a login page, a gateway's 404 and 502 pages, a proxy
 * asking for credentials, Retry-After as a far date and as garbage, and a vendor that takes the
 * request but never answers.
 */
export const FIELD_FAULTS = {
  'captive-portal': { kind: 'status', status: 200, body: PORTAL_PAGE },
  redirect: { kind: 'status', status: 302, location: 'http://portal.example/login', body: '' },
  'gateway-404': { kind: 'status', status: 404, body: '<html><body><h1>404 Not Found</h1>nginx</body></html>' },
  'gateway-502': { kind: 'status', status: 502, body: '<html><body><h1>502 Bad Gateway</h1>nginx</body></html>' },
  'proxy-407': {
    kind: 'status',
    status: 407,
    body: '<html><body>Proxy Authentication Required</body></html>',
  },
  'retry-after-far-date': { kind: 'status', status: 503, retryAfter: 'Fri, 31 Dec 2099 23:59:59 GMT' },
  'retry-after-garbage': { kind: 'status', status: 503, retryAfter: 'soon-ish' },
  'accept-then-hang': { kind: 'accept-then-hang' },
} as const satisfies Record<string, Fault>;

export type FieldFaultName = keyof typeof FIELD_FAULTS;

/** A named field fault, for `count` requests (default 1), optionally only to `path`. */
export function fieldFault(name: FieldFaultName, scope: FaultScope = {}): Fault {
  return { ...FIELD_FAULTS[name], ...scope } as Fault;
}

/** Checks a fault that arrived as JSON (or from JavaScript without types); throws a TypeError saying what to fix. */
export function checkFault(input: unknown): Fault {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new TypeError('A fault must be an object such as {"kind": "status", "status": 500}.');
  }
  let fault = input as Record<string, unknown>;
  if (fault['preset'] !== undefined) {
    const preset = FIELD_FAULTS[fault['preset'] as FieldFaultName] as Record<string, unknown> | undefined;
    if (preset === undefined || !Object.hasOwn(FIELD_FAULTS, fault['preset'] as string)) {
      throw new TypeError(`Invalid fault: preset must be one of ${Object.keys(FIELD_FAULTS).join(', ')}.`);
    }
    const { preset: _name, ...scope } = fault;
    fault = { ...preset, ...scope };
  }
  const problems: string[] = [];
  if (!KINDS.includes(fault['kind'] as string)) problems.push(`kind must be one of ${KINDS.join(', ')}`);
  if (fault['count'] !== undefined && !isPositiveInteger(fault['count'])) {
    problems.push('count must be a positive whole number');
  }
  if (fault['path'] !== undefined && (typeof fault['path'] !== 'string' || !fault['path'].startsWith('/'))) {
    problems.push('path must be a path starting with /');
  }
  if (fault['kind'] === 'status') {
    const status = fault['status'];
    if (!Number.isInteger(status) || (status as number) < 200 || (status as number) > 599) {
      problems.push('status must be a whole number from 200 to 599');
    }
    const retryAfter = fault['retryAfter'];
    const headerSafe = typeof retryAfter === 'string' && /^[\x20-\x7e]+$/.test(retryAfter);
    if (retryAfter !== undefined && !headerSafe && !isNonNegativeNumber(retryAfter)) {
      problems.push('retryAfter must be a number of seconds or a one-line string such as an HTTP date');
    }
    for (const name of ['message', 'code', 'body', 'contentType', 'location']) {
      if (fault[name] !== undefined && typeof fault[name] !== 'string') problems.push(`${name} must be a string`);
    }
  }
  if (fault['kind'] === 'slow-body' && !isNonNegativeNumber(fault['durationMs'])) {
    problems.push('durationMs must be a number of milliseconds');
  }
  if (problems.length > 0) throw new TypeError(`Invalid fault: ${problems.join('; ')}.`);
  return fault as unknown as Fault;
}

export class FaultQueue {
  #pending: PendingFault[] = [];

  add(faults: readonly Fault[]): void {
    const checked = faults.map(checkFault);
    this.#pending.push(...checked.map((fault) => ({ ...fault, remaining: fault.count ?? 1 })));
  }

  /** The fault for a request to this path, if one is pending; it counts as used. */
  take(path: string): Fault | undefined {
    const index = this.#pending.findIndex((fault) => fault.path === undefined || fault.path === path);
    const fault = this.#pending[index];
    if (fault === undefined) return undefined;
    fault.remaining -= 1;
    if (fault.remaining === 0) this.#pending.splice(index, 1);
    const { remaining: _remaining, ...used } = fault;
    return used;
  }

  clear(): void {
    this.#pending = [];
  }

  list(): PendingFault[] {
    return this.#pending.map((fault) => ({ ...fault }));
  }
}

function isPositiveInteger(value: unknown): boolean {
  return Number.isInteger(value) && (value as number) > 0;
}

function isNonNegativeNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}
