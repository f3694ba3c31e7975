import { BOOTSTRAP_CHECK_INTERVAL_MS, DAY_MS, HOUR_MS, NORMAL_CHECK_INTERVAL_MS } from '../config/constants.js';
import type { ScheduleState } from '../storage/schedule-state.js';
import { withJitter } from './jitter.js';

/**
 * The scheduling rules of design §4.3, as pure functions of the stored state, so that every
 * boundary is tested without a clock and any replica can tell an admin what happens next.
 */
export type Phase = 'bootstrap' | 'normal';

export interface Intervals {
  collectionIntervalDays: number;
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

/**
 * Upload when nothing was ever sent and a batch waits (first visibility), when a failed upload's
 * back-off has passed, or when the last successful contact with the vendor (an upload or a
 * check-in) is at least the upload interval old: that cycle sends the pending batches, if any,
 * and the heartbeat check-in. Nothing is tried while a back-off runs.
 */
export function isUploadDue(state: ScheduleState, now: Date, intervals: Intervals): boolean {
  if (state.backoffUntil !== null && state.backoffUntil.getTime() > now.getTime()) return false;
  if (state.pendingCount > 0 && (state.lastUploadAt === null || state.pendingRetry)) return true;
  const lastContact = latest(state.lastUploadAt, state.lastCheckInAt);
  if (lastContact === null) return false; // nothing to send yet
  return now.getTime() - lastContact.getTime() >= intervals.uploadIntervalHours * HOUR_MS;
}

export function nextUploadAt(state: ScheduleState, now: Date, intervals: Intervals): Date | null {
  if (state.backoffUntil !== null && state.backoffUntil.getTime() > now.getTime()) return state.backoffUntil;
  if (isUploadDue(state, now, intervals)) return now;
  const lastContact = latest(state.lastUploadAt, state.lastCheckInAt);
  return lastContact === null ? null : new Date(lastContact.getTime() + intervals.uploadIntervalHours * HOUR_MS);
}

/**
 * How long the loop sleeps after a check: the phase's check interval (jittered), or less when
 * something falls due sooner: a collection, an upload or the end of a back-off. What is due now
 * was just tried, so it does not shorten the sleep (an upload waiting for an email must not spin).
 */
export function nextCheckDelayMs(state: ScheduleState, now: Date, intervals: Intervals, random: () => number): number {
  const candidates = [withJitter(checkIntervalMs(phaseOf(state)), random)];
  for (const at of [nextCollectionAt(state, intervals), nextUploadAt(state, now, intervals), state.backoffUntil]) {
    if (at && at.getTime() > now.getTime()) candidates.push(at.getTime() - now.getTime());
  }
  return Math.min(...candidates);
}

function latest(a: Date | null, b: Date | null): Date | null {
  if (a === null) return b;
  if (b === null) return a;
  return a.getTime() >= b.getTime() ? a : b;
}
