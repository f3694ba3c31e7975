import { describe, expect, it } from 'vitest';
import { BOOTSTRAP_CHECK_INTERVAL_MS, NORMAL_CHECK_INTERVAL_MS } from '../src/config/constants.js';
import { backoffDelayMs } from '../src/schedule/backoff.js';
import {
  checkIntervalMs,
  isCollectionDue,
  isHeartbeatDue,
  isUploadDue,
  nextCheckDelayMs,
  nextUploadAt,
  phaseOf,
} from '../src/schedule/rules.js';
import type { ScheduleState } from '../src/storage/schedule-state.js';
import { seededRandom } from '../src/testing/index.js';

const now = new Date('2026-11-23T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);
const DAY = 86_400_000;
const HOUR = 3_600_000;
const MINUTE = 60_000;
const intervals = { collectionIntervalDays: 7, uploadIntervalHours: 24 };
const empty: ScheduleState = {
  newestCollectedAt: null,
  oldestBatchAt: null,
  lastUploadAt: null,
  lastCheckInAt: null,
  lastContactAt: null,
  oldestUnsentAt: null,
  oldestUnacceptedAt: null,
  pendingCount: 0,
  backoffUntil: null,
  backoffFailures: 0,
  identityEstablished: false,
};
/** Running normally: the vendor knows us, last check-in and last upload `ms` ago. */
const known = (contactAgo: number): ScheduleState => ({
  ...empty,
  identityEstablished: true,
  newestCollectedAt: ago(DAY),
  lastUploadAt: ago(DAY),
  lastCheckInAt: ago(contactAgo),
  lastContactAt: ago(contactAgo),
});

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

describe('when to upload (DECISIONS §4: send when there is something to send)', () => {
  it('sends a pending batch at the check that collected it, whatever the last contact', () => {
    expect(isUploadDue({ ...empty, pendingCount: 1 }, now, intervals)).toBe(true);
    expect(isUploadDue({ ...known(10 * HOUR), pendingCount: 1 }, now, intervals)).toBe(true);
    expect(isUploadDue({ ...known(MINUTE), pendingCount: 1 }, now, intervals)).toBe(true);
    expect(isUploadDue(empty, now, intervals)).toBe(false);
  });
  it('tries nothing while a back-off runs, and retries when it ends', () => {
    const state = {
      ...known(5 * HOUR),
      pendingCount: 2,
      backoffFailures: 3,
      backoffUntil: new Date(now.getTime() + 1),
    };
    expect(isUploadDue(state, now, intervals)).toBe(false);
    expect(isHeartbeatDue(state, now)).toBe(false);
    expect(nextUploadAt(state, now, intervals)).toEqual(state.backoffUntil);
    expect(isUploadDue({ ...state, backoffUntil: now }, now, intervals)).toBe(true);
  });
  it('keeps the daily cycle: a contact older than the upload interval runs one even with nothing pending', () => {
    const quiet = { ...known(MINUTE), identityEstablished: false };
    expect(isUploadDue({ ...quiet, lastContactAt: ago(24 * HOUR - 1) }, now, intervals)).toBe(false);
    expect(isUploadDue({ ...quiet, lastContactAt: ago(24 * HOUR) }, now, intervals)).toBe(true);
  });
});

describe('the heartbeat (DECISIONS §4: a check-in at least every 4 h, independent of the upload interval)', () => {
  it('is due at 4 h less the largest jitter (3 h 48 min) after the last accepted check-in', () => {
    expect(isHeartbeatDue(known(3 * HOUR + 48 * MINUTE - 1), now)).toBe(false);
    expect(isHeartbeatDue(known(3 * HOUR + 48 * MINUTE), now)).toBe(true);
    expect(isUploadDue(known(3 * HOUR + 48 * MINUTE), now, intervals)).toBe(true);
    expect(isUploadDue(known(3 * HOUR), now, { ...intervals, uploadIntervalHours: 720 })).toBe(false);
    expect(isUploadDue(known(4 * HOUR), now, { ...intervals, uploadIntervalHours: 720 })).toBe(true);
  });
  it('is due at once when the vendor knows us and no check-in was ever accepted', () => {
    expect(isHeartbeatDue({ ...known(HOUR), lastCheckInAt: null }, now)).toBe(true);
    expect(isHeartbeatDue(empty, now)).toBe(false); // nobody to check in as yet
  });
  it('wakes the loop at 4 h ± 5 % after the last check-in, never later than 4 h 12 min', () => {
    for (const r of [0, 0.25, 0.5, 0.75, 0.999]) {
      const delay = nextCheckDelayMs(known(3 * HOUR + 30 * MINUTE), now, intervals, () => r);
      // The hourly check (jittered) or the heartbeat, whichever is first: 30 min ± 12 min here.
      expect(delay).toBeGreaterThanOrEqual(18 * MINUTE);
      expect(delay).toBeLessThanOrEqual(42 * MINUTE);
    }
  });
});

describe('the back-off (DECISIONS §2)', () => {
  const random = seededRandom(7);
  it('starts at 3 minutes and doubles up to 6 hours, jitter after the cap', () => {
    const bases = [180_000, 360_000, 720_000, 1_440_000, 2_880_000, 5_760_000, 11_520_000, 21_600_000, 21_600_000];
    bases.forEach((base, i) => {
      const delay = backoffDelayMs({ failures: i + 1, random });
      expect(delay).toBeGreaterThanOrEqual(base * 0.95);
      expect(delay).toBeLessThanOrEqual(base * 1.05);
    });
    expect(backoffDelayMs({ failures: 1000, random: () => 0.999 })).toBeGreaterThan(21_600_000); // jitter above the cap
    expect(backoffDelayMs({ failures: 1000, random: () => 0 })).toBe(20_520_000);
  });
  it("honours the vendor's Retry-After when it asks for longer, up to 24 hours", () => {
    expect(backoffDelayMs({ failures: 1, retryAfterMs: 7_200_000, random })).toBe(7_200_000);
    expect(backoffDelayMs({ failures: 1, retryAfterMs: 30 * DAY, random })).toBe(24 * HOUR);
    expect(backoffDelayMs({ failures: 1, retryAfterMs: Number.POSITIVE_INFINITY, random: () => 0.5 })).toBe(180_000);
    expect(backoffDelayMs({ failures: 3, retryAfterMs: 1000, random })).toBeGreaterThan(600_000);
  });
  it('spreads a fleet that failed together', () => {
    const fleet = Array.from({ length: 50 }, (_, i) => backoffDelayMs({ failures: 2, random: seededRandom(i) }));
    expect(new Set(fleet).size).toBeGreaterThan(40);
  });
});

describe('how long the loop sleeps', () => {
  const random = () => 0.5; // no jitter
  it('sleeps the check interval of the phase when nothing falls due sooner', () => {
    expect(nextCheckDelayMs(known(HOUR), now, intervals, random)).toBe(3_600_000);
    expect(nextCheckDelayMs({ ...empty, newestCollectedAt: now, pendingCount: 1 }, now, intervals, random)).toBe(
      180_000,
    );
  });
  it('wakes exactly when a collection, a heartbeat or a back-off falls due first', () => {
    expect(
      nextCheckDelayMs({ ...known(MINUTE), newestCollectedAt: ago(7 * DAY - 60_000) }, now, intervals, random),
    ).toBe(60_000);
    expect(nextCheckDelayMs(known(4 * HOUR - 5000), now, intervals, random)).toBe(5000);
    const backoff = { ...known(MINUTE), pendingCount: 1, backoffUntil: new Date(now.getTime() + 200_000) };
    expect(nextCheckDelayMs(backoff, now, intervals, random)).toBe(200_000);
  });
  it('does not spin on something due now that cannot happen (no admin email)', () => {
    const waiting = { ...empty, newestCollectedAt: now, pendingCount: 1 }; // upload due, but it waits for an email
    expect(nextCheckDelayMs(waiting, now, intervals, random)).toBe(180_000);
  });
});
