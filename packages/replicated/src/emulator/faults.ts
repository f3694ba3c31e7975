/**
 * Faults the emulator injects into the next vendor requests, to show how a client behaves when the
 * vendor or the network misbehaves. A fault applies to `count` requests (default 1), optionally only
 * to those whose path is exactly `path`; faults queue in the order they were injected.
 */
export type Fault = StatusFault | HangFault | DropFault | SlowBodyFault;

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

const KINDS = ['status', 'hang', 'drop', 'slow-body'];

/** Checks a fault that arrived as JSON (or from JavaScript without types); throws a TypeError saying what to fix. */
export function checkFault(input: unknown): Fault {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new TypeError('A fault must be an object such as {"kind": "status", "status": 500}.');
  }
  const fault = input as Record<string, unknown>;
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
    for (const name of ['message', 'code', 'body', 'contentType']) {
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
