import { describe, expect, it } from 'vitest';
import {
  BOOTSTRAP_CHECK_INTERVAL_MS,
  backoffDelayMs,
  checkIntervalMs,
  isCollectionDue,
  isUploadDue,
  NORMAL_CHECK_INTERVAL_MS,
  nextCheckDelayMs,
  nextUploadAt,
  phaseOf,
  type ScheduleState,
} from '../src/index.js';
import { seededRandom } from '../src/testing/index.js';

const now = new Date('2026-11-23T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);
const DAY = 86_400_000;
const HOUR = 3_600_000;
const intervals = { collectionIntervalDays: 7, uploadIntervalHours: 24 };
const empty: ScheduleState = {
  newestCollectedAt: null,
  oldestBatchAt: null,
  lastUploadAt: null,
  oldestUnsentAt: null,
  pendingCount: 0,
  backoffUntil: null,
  pendingRetry: false,
  lastCheckInAt: null,
  identityEstablished: false,
};

describe('the two phases', () => {
  it('checks every 180 s until the identity exists, every 3600 s after', () => {
    expect(phaseOf(empty)).toBe('bootstrap');
    expect(checkIntervalMs(phaseOf(empty))).toBe(180_000);
    expect(phaseOf({ ...empty, identityEstablished: true })).toBe('normal');
    expect(checkIntervalMs('normal')).toBe(3_600_000);
    expect([BOOTSTRAP_CHECK_INTERVAL_MS, NORMAL_CHECK_INTERVAL_MS]).toEqual([180_000, 3_600_000]);
  });
});

describe('when to collect', () => {
  it('collects with no batch at all', () => {
    expect(isCollectionDue(empty, now, intervals)).toBe(true);
  });
  it('waits until the newest batch is 7 whole days old, to the millisecond', () => {
    expect(isCollectionDue({ ...empty, newestCollectedAt: ago(7 * DAY - 1) }, now, intervals)).toBe(false);
    expect(isCollectionDue({ ...empty, newestCollectedAt: ago(7 * DAY) }, now, intervals)).toBe(true);
  });
});

describe('when to upload', () => {
  it('uploads a pending batch at once when nothing was ever uploaded', () => {
    expect(isUploadDue({ ...empty, pendingCount: 1 }, now, intervals)).toBe(true);
    expect(isUploadDue(empty, now, intervals)).toBe(false);
  });
  it('waits until the last upload is 24 hours old, to the millisecond', () => {
    const state = { ...empty, pendingCount: 1, lastUploadAt: ago(24 * HOUR - 1), identityEstablished: true };
    expect(isUploadDue(state, now, intervals)).toBe(false);
    expect(nextUploadAt(state, now, intervals)).toEqual(new Date(now.getTime() + 1));
    expect(isUploadDue({ ...state, lastUploadAt: ago(24 * HOUR) }, now, intervals)).toBe(true);
  });
  it('counts a check-in as contact: the daily cycle runs with nothing pending, once a day', () => {
    const state = { ...empty, lastUploadAt: ago(10 * DAY), lastCheckInAt: ago(23 * HOUR), identityEstablished: true };
    expect(isUploadDue(state, now, intervals)).toBe(false);
    expect(isUploadDue({ ...state, lastCheckInAt: ago(24 * HOUR) }, now, intervals)).toBe(true);
  });
  it('retries a failed batch once its back-off passes, and not before', () => {
    const state = {
      ...empty,
      pendingCount: 2,
      pendingRetry: true,
      lastUploadAt: ago(HOUR),
      backoffUntil: new Date(now.getTime() + 1),
    };
    expect(isUploadDue(state, now, intervals)).toBe(false);
    expect(nextUploadAt(state, now, intervals)).toEqual(state.backoffUntil);
    expect(isUploadDue({ ...state, backoffUntil: now }, now, intervals)).toBe(true);
  });
});

describe('the back-off', () => {
  const random = seededRandom(7);
  it('starts at 3 minutes and doubles, with at most 5 % jitter, up to the check interval', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7].map((attempts) => backoffDelayMs({ attempts, maxMs: 3_600_000, random }));
    const bases = [180_000, 360_000, 720_000, 1_440_000, 2_880_000, 3_600_000, 3_600_000];
    delays.forEach((delay, i) => {
      expect(delay).toBeGreaterThanOrEqual(Math.max(180_000, bases[i]! * 0.95));
      expect(delay).toBeLessThanOrEqual(Math.min(3_600_000, bases[i]! * 1.05));
    });
  });
  it('never waits longer than the check interval of the phase', () => {
    expect(backoffDelayMs({ attempts: 40, maxMs: 180_000, random })).toBe(180_000);
  });
  it("honours the vendor's Retry-After when it asks for longer", () => {
    expect(backoffDelayMs({ attempts: 1, maxMs: 3_600_000, retryAfterMs: 7_200_000, random })).toBe(7_200_000);
    expect(backoffDelayMs({ attempts: 3, maxMs: 3_600_000, retryAfterMs: 1000, random })).toBeGreaterThan(600_000);
  });
  it('spreads a fleet that failed together', () => {
    const fleet = Array.from({ length: 50 }, (_, i) =>
      backoffDelayMs({ attempts: 2, maxMs: 3_600_000, random: seededRandom(i) }),
    );
    expect(new Set(fleet).size).toBeGreaterThan(40);
  });
});

describe('how long the loop sleeps', () => {
  const random = () => 0.5; // no jitter
  it('sleeps the check interval of the phase when nothing falls due sooner', () => {
    const state = { ...empty, newestCollectedAt: ago(DAY), lastUploadAt: ago(HOUR), identityEstablished: true };
    expect(nextCheckDelayMs(state, now, intervals, random)).toBe(3_600_000);
    expect(nextCheckDelayMs({ ...empty, newestCollectedAt: now, pendingCount: 1 }, now, intervals, random)).toBe(
      180_000,
    );
  });
  it('wakes exactly when a collection, an upload or a back-off falls due first', () => {
    const normal = { ...empty, identityEstablished: true, lastUploadAt: ago(HOUR) };
    expect(nextCheckDelayMs({ ...normal, newestCollectedAt: ago(7 * DAY - 60_000) }, now, intervals, random)).toBe(
      60_000,
    );
    expect(
      nextCheckDelayMs(
        { ...normal, newestCollectedAt: now, lastUploadAt: ago(24 * HOUR - 5000) },
        now,
        intervals,
        random,
      ),
    ).toBe(5000);
    const backoff = {
      ...normal,
      newestCollectedAt: now,
      pendingCount: 1,
      pendingRetry: true,
      backoffUntil: new Date(now.getTime() + 200_000),
    };
    expect(nextCheckDelayMs(backoff, now, intervals, random)).toBe(200_000);
  });
  it('does not spin on something due now that cannot happen (no admin email)', () => {
    const waiting = { ...empty, newestCollectedAt: now, pendingCount: 1 }; // upload due, but it waits for an email
    expect(nextCheckDelayMs(waiting, now, intervals, random)).toBe(180_000);
  });
});
