import { describe, expect, test } from 'vitest';
import {
  parseRetryAfterMs,
  ReplicatedAbortedError,
  ReplicatedApiError,
  ReplicatedAuthError,
  ReplicatedForbiddenError,
  ReplicatedInvalidResponseError,
  ReplicatedNetworkError,
  ReplicatedRateLimitedError,
  ReplicatedValidationError,
  type VendorVerdict,
  vendorVerdict,
} from '../src/index.js';

const METRICS = 'POST /application/custom-metrics';
const CUSTOMER = 'POST /v3/customer';
const HOUR = 3_600_000;
/** A vendor answer: its own JSON unless `html`. */
const json = (status: number, retryAfterMs?: number) => ({
  status,
  vendorMessage: undefined,
  vendorCode: undefined,
  retryAfterMs,
  vendorJson: true,
});
const html = (status: number, retryAfterMs?: number) => ({ ...json(status, retryAfterMs), vendorJson: false });
const network = (timedOut: boolean) =>
  new ReplicatedNetworkError(METRICS, {
    origin: 'https://replicated.app',
    timeoutMs: 1,
    timedOut,
    reason: 'x',
    cause: null,
  });

// The one policy of DECISIONS §2, as a table: what each outcome of a vendor request means.
describe('vendorVerdict', () => {
  test.each<[string, unknown, VendorVerdict]>([
    ['the call returned (a 2xx with the vendor JSON)', undefined, { verdict: 'accepted' }],
    [
      'JSON 400: the vendor says the batch is invalid',
      new ReplicatedApiError(METRICS, json(400)),
      { verdict: 'reject' },
    ],
    ['JSON 422', new ReplicatedApiError(METRICS, json(422)), { verdict: 'reject' }],
    ['JSON 422 ignores a Retry-After', new ReplicatedApiError(METRICS, json(422, 9)), { verdict: 'reject' }],
    ['our own check refused the data', new ReplicatedValidationError('x', ['y']), { verdict: 'reject' }],
    ['401', new ReplicatedAuthError(METRICS, json(401)), { verdict: 'reregister' }],
    [
      '401 from something that is not the vendor',
      new ReplicatedAuthError(METRICS, html(401)),
      { verdict: 'reregister' },
    ],
    ['JSON 404 for our instance', new ReplicatedApiError(METRICS, json(404)), { verdict: 'reregister' }],
    ['JSON 404 to the customer call', new ReplicatedApiError(CUSTOMER, json(404)), { verdict: 'retry' }],
    ["a gateway's HTML 404", new ReplicatedApiError(METRICS, html(404)), { verdict: 'retry' }],
    ["a gateway's HTML 400", new ReplicatedApiError(METRICS, html(400)), { verdict: 'retry' }],
    ['a 302 redirect', new ReplicatedApiError(METRICS, html(302)), { verdict: 'retry' }],
    ["a proxy's 407", new ReplicatedApiError(METRICS, html(407)), { verdict: 'retry' }],
    ['JSON 403 (license expired)', new ReplicatedForbiddenError(METRICS, json(403)), { verdict: 'retry' }],
    ['JSON 408', new ReplicatedApiError(METRICS, json(408)), { verdict: 'retry' }],
    ['JSON 409', new ReplicatedApiError(METRICS, json(409)), { verdict: 'retry' }],
    ['429 without Retry-After', new ReplicatedRateLimitedError(METRICS, json(429)), { verdict: 'retry' }],
    [
      '429 with Retry-After',
      new ReplicatedRateLimitedError(METRICS, json(429, 5_000)),
      { verdict: 'retry', retryAfterMs: 5_000 },
    ],
    ['JSON 500', new ReplicatedApiError(METRICS, json(500)), { verdict: 'retry' }],
    [
      'HTML 503 with Retry-After',
      new ReplicatedApiError(METRICS, html(503, 60_000)),
      { verdict: 'retry', retryAfterMs: 60_000 },
    ],
    [
      'Retry-After of 2 days is capped at 24 h',
      new ReplicatedApiError(METRICS, json(503, 48 * HOUR)),
      { verdict: 'retry', retryAfterMs: 24 * HOUR },
    ],
    [
      'Retry-After of 10^20 s is capped at 24 h',
      new ReplicatedRateLimitedError(METRICS, json(429, 1e23)),
      { verdict: 'retry', retryAfterMs: 24 * HOUR },
    ],
    ['a captive portal 200 page', new ReplicatedInvalidResponseError(METRICS, 200, 'x'), { verdict: 'retry' }],
    ['a network failure', network(false), { verdict: 'retry' }],
    ['a timeout', network(true), { verdict: 'retry' }],
    ['an abort by the caller', new ReplicatedAbortedError(METRICS, null), { verdict: 'aborted' }],
    ['something that is not ours', new TypeError('boom'), { verdict: 'retry' }],
    ['a thrown string', 'boom', { verdict: 'retry' }],
  ])('%s', (_name, outcome, expected) => {
    expect(vendorVerdict(outcome)).toEqual(expected);
  });
});

describe('parseRetryAfterMs', () => {
  const sentAt = 'Sat, 01 Mar 2025 12:00:00 GMT';

  test('delay-seconds, fractions included', () => {
    expect(parseRetryAfterMs('120', null)).toBe(120_000);
    expect(parseRetryAfterMs(' 0 ', null)).toBe(0);
    expect(parseRetryAfterMs('1.5', null)).toBe(1_500);
  });

  test('an HTTP date is measured from the answer’s Date header', () => {
    expect(parseRetryAfterMs('Sat, 01 Mar 2025 12:01:30 GMT', sentAt, 0)).toBe(90_000);
  });

  test('without a Date header, from the local clock', () => {
    const now = Date.parse(sentAt);
    expect(parseRetryAfterMs('Sat, 01 Mar 2025 12:00:10 GMT', null, now)).toBe(10_000);
    expect(parseRetryAfterMs('Sat, 01 Mar 2025 12:00:10 GMT', 'not a date', now)).toBe(10_000);
  });

  test('a date in the past means now', () => {
    expect(parseRetryAfterMs('Sat, 01 Mar 2025 11:00:00 GMT', sentAt)).toBe(0);
  });

  test('absent or unreadable is undefined', () => {
    expect(parseRetryAfterMs(null, sentAt)).toBeUndefined();
    expect(parseRetryAfterMs('soon', sentAt)).toBeUndefined();
    expect(parseRetryAfterMs('soon-ish', sentAt)).toBeUndefined();
    expect(parseRetryAfterMs('-5', sentAt)).toBeUndefined();
  });
});
