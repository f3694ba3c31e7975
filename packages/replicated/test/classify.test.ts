import { describe, expect, test } from 'vitest';
import {
  classifyError,
  parseRetryAfterMs,
  ReplicatedAbortedError,
  ReplicatedApiError,
  ReplicatedAuthError,
  ReplicatedForbiddenError,
  ReplicatedInvalidResponseError,
  ReplicatedNetworkError,
  ReplicatedRateLimitedError,
  ReplicatedValidationError,
} from '../src/index.js';

const OP = 'POST /application/custom-metrics';
const answer = (status: number, retryAfterMs?: number) => ({
  status,
  vendorMessage: undefined,
  vendorCode: undefined,
  retryAfterMs,
});
const network = (timedOut: boolean) =>
  new ReplicatedNetworkError(OP, {
    origin: 'https://replicated.app',
    timeoutMs: 1,
    timedOut,
    reason: 'x',
    cause: null,
  });

describe('classifyError', () => {
  test.each([
    ['401', new ReplicatedAuthError(OP, answer(401)), { retryable: false, reauthenticate: true }],
    ['403', new ReplicatedForbiddenError(OP, answer(403)), { retryable: false, reauthenticate: false }],
    [
      '429 with Retry-After',
      new ReplicatedRateLimitedError(OP, answer(429, 5_000)),
      { retryable: true, retryAfterMs: 5_000, reauthenticate: false },
    ],
    ['429 without', new ReplicatedRateLimitedError(OP, answer(429)), { retryable: true, reauthenticate: false }],
    ['400', new ReplicatedApiError(OP, answer(400)), { retryable: false, reauthenticate: false }],
    ['404', new ReplicatedApiError(OP, answer(404)), { retryable: false, reauthenticate: false }],
    ['408', new ReplicatedApiError(OP, answer(408)), { retryable: true, reauthenticate: false }],
    [
      '422 ignores a Retry-After',
      new ReplicatedApiError(OP, answer(422, 9)),
      { retryable: false, reauthenticate: false },
    ],
    ['500', new ReplicatedApiError(OP, answer(500)), { retryable: true, reauthenticate: false }],
    [
      '503 with Retry-After',
      new ReplicatedApiError(OP, answer(503, 60_000)),
      { retryable: true, retryAfterMs: 60_000, reauthenticate: false },
    ],
    ['a network failure', network(false), { retryable: true, reauthenticate: false }],
    ['a timeout', network(true), { retryable: true, reauthenticate: false }],
    ['an invalid 2xx', new ReplicatedInvalidResponseError(OP, 200, 'x'), { retryable: true, reauthenticate: false }],
    ['an abort', new ReplicatedAbortedError(OP, null), { retryable: false, reauthenticate: false }],
    ['a validation error', new ReplicatedValidationError('x', ['y']), { retryable: false, reauthenticate: false }],
    ['something that is not ours', new TypeError('boom'), { retryable: true, reauthenticate: false }],
    ['a thrown string', 'boom', { retryable: true, reauthenticate: false }],
  ])('%s', (_name, error, expected) => {
    expect(classifyError(error)).toEqual(expected);
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
    expect(parseRetryAfterMs('-5', sentAt)).toBeUndefined();
  });
});
