import {
  BOOTSTRAP_CHECK_INTERVAL_MS,
  DAY_MS,
  HEARTBEAT_INTERVAL_MS,
  HOUR_MS,
  JITTER_FRACTION,
  NORMAL_CHECK_INTERVAL_MS,
} from '../config/constants.js';
import type { ScheduleState } from '../storage/schedule-state.js';
import { withJitter } from './jitter.js';

/**
 * The scheduling rules (design §4.3 with DECISIONS §2 and §4), as pure functions of the stored
 * state, so that every boundary is tested without a clock and any replica can tell an admin
 * what happens next. The sender's tick is: collect if `isCollectionDue`; then run an upload
 * cycle if `isUploadDue` (a cycle with no pending batch is a heartbeat-only cycle); then sleep
 * `nextCheckDelayMs`.
 */
export type Phase = 'bootstrap' | 'normal';

export interface Intervals {
  collectionIntervalDays: number;
  /** The daily cycle: the longest time between two upload cycles, even with nothing pending. */
  uploadIntervalHours: number;
}

/** Bootstrap until the vendor knows us (customer and instance ids stored), normal after. */
export function phaseOf(state: Pick<ScheduleState, 'identityEstablished'>): Phase {
  return state.identityEstablished ? 'normal' : 'bootstrap';
}

export function checkIntervalMs(phase: Phase): number {
  return phase === 'normal' ? NORMAL_CHECK_INTERVAL_MS : BOOTSTRAP_CHECK_INTERVAL_MS;
}

/** Collect when there is no batch, or the newest is at least N whole days old. */
export function isCollectionDue(state: ScheduleState, now: Date, intervals: Intervals): boolean {
  if (state.newestCollectedAt === null) return true;
  return now.getTime() - state.newestCollectedAt.getTime() >= intervals.collectionIntervalDays * DAY_MS;
}

export function nextCollectionAt(state: ScheduleState, intervals: Intervals): Date | null {
  if (state.newestCollectedAt === null) return null; // due now
  return new Date(state.newestCollectedAt.getTime() + intervals.collectionIntervalDays * DAY_MS);
}

/** A stored back-off is running: no vendor request before it ends (an admin's "Upload now" excepted). */
export function isBackingOff(state: Pick<ScheduleState, 'backoffUntil'>, now: Date): boolean {
  return state.backoffUntil !== null && state.backoffUntil.getTime() > now.getTime();
}

/**
 * The earliest a heartbeat may go: 4 hours after the last accepted check-in, less the largest
 * jitter. The loop wakes at 4 h ± jitter (`nextCheckDelayMs`), so a wake-up for another reason
 * a few minutes early sends it then rather than making a second trip.
 */
const EARLIEST_HEARTBEAT_MS = Math.round(HEARTBEAT_INTERVAL_MS * (1 - JITTER_FRACTION));

/**
 * A status check-in is due (DECISIONS §4): the vendor knows us and its last accepted check-in is
 * about 4 hours old, or there was none. Independent of the upload interval; a failed check-in is
 * retried when the back-off ends, because it leaves `lastCheckInAt` where it was.
 */
export function isHeartbeatDue(state: ScheduleState, now: Date): boolean {
  if (!state.identityEstablished || isBackingOff(state, now)) return false;
  if (state.lastCheckInAt === null) return true;
  return now.getTime() - state.lastCheckInAt.getTime() >= EARLIEST_HEARTBEAT_MS;
}

/**
 * Run an upload cycle now: a batch waits (it goes out at the check that collected it), or the
 * heartbeat is due, or the last contact is older than the upload interval (the daily cycle).
 * Nothing is tried while a back-off runs: its end is the retry.
 */
export function isUploadDue(state: ScheduleState, now: Date, intervals: Intervals): boolean {
  if (isBackingOff(state, now)) return false;
  if (state.pendingCount > 0) return true;
  if (isHeartbeatDue(state, now)) return true;
  if (state.lastContactAt === null) return false; // nothing to send, nobody to greet yet
  return now.getTime() - state.lastContactAt.getTime() >= intervals.uploadIntervalHours * HOUR_MS;
}

/** When the next upload cycle falls due, without jitter; null when nothing will make it due. */
export function nextUploadAt(state: ScheduleState, now: Date, intervals: Intervals): Date | null {
  if (isBackingOff(state, now)) return state.backoffUntil;
  if (isUploadDue(state, now, intervals)) return now;
  const candidates: number[] = [];
  if (state.identityEstablished && state.lastCheckInAt !== null) {
    candidates.push(state.lastCheckInAt.getTime() + HEARTBEAT_INTERVAL_MS);
  }
  if (state.lastContactAt !== null)
    candidates.push(state.lastContactAt.getTime() + intervals.uploadIntervalHours * HOUR_MS);
  return candidates.length === 0 ? null : new Date(Math.min(...candidates));
}

/**
 * How long the loop sleeps after a check: the phase's check interval (jittered), or less when
 * something falls due sooner: a collection, the heartbeat (4 h ± jitter after the last check-in),
 * the daily cycle or the end of a back-off. What is due now was just tried, so it does not
 * shorten the sleep (an upload waiting for an admin email must not spin).
 */
export function nextCheckDelayMs(state: ScheduleState, now: Date, intervals: Intervals, random: () => number): number {
  const t = now.getTime();
  const candidates = [withJitter(checkIntervalMs(phaseOf(state)), random)];
  const heartbeatAt =
    state.identityEstablished && state.lastCheckInAt !== null
      ? state.lastCheckInAt.getTime() + withJitter(HEARTBEAT_INTERVAL_MS, random)
      : null;
  const dailyAt =
    state.lastContactAt === null ? null : state.lastContactAt.getTime() + intervals.uploadIntervalHours * HOUR_MS;
  const collectionAt = nextCollectionAt(state, intervals)?.getTime() ?? null;
  const backoffAt = state.backoffUntil?.getTime() ?? null;
  for (const at of [collectionAt, heartbeatAt, dailyAt, backoffAt]) {
    if (at !== null && at > t) candidates.push(at - t);
  }
  return Math.min(...candidates);
}
