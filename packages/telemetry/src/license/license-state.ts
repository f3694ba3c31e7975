import { DAY_MS } from '../config/constants.js';

/** What the rule needs of the settings and the host. */
export interface LicenseSettings {
  isEnterprise: boolean;
  /** T: TELEMETRY_WARNING_THRESHOLD_DAYS. */
  warningThresholdDays: number;
}

import type { ScheduleState } from '../storage/schedule-state.js';

export interface LicenseStatus {
  warn: boolean;
  message: string;
}

export interface LicenseInputs {
  isEnterprise: boolean;
  now: Date;
  /** T: TELEMETRY_WARNING_THRESHOLD_DAYS. */
  thresholdDays: number;
  /** The last successful vendor contact: a batch or a check-in the vendor accepted. */
  lastContactAt: Date | null;
  /** The oldest batch collected, sent or not (the contact gap before any contact). */
  oldestBatchAt: Date | null;
  /**
   * The oldest batch the vendor has not accepted (waiting or rejected) among those collected
   * after the newest accepted batch (the data gap).
   */
  oldestUnacceptedAt: Date | null;
}

export const NO_WARNING: LicenseStatus = Object.freeze({ warn: false, message: '' });
export const VERIFICATION_PENDING =
  'OpenHands Enterprise license verification pending. Please ensure network connectivity.';
export const LICENSE_EXPIRED = 'Your OpenHands Enterprise license has expired. Please contact support immediately.';

/** Days the license lasts after the threshold is passed, counted from the anchor. */
export const GRACE_DAYS = 30;

export function expiresInMessage(days: number): string {
  return `Your OpenHands Enterprise license will expire in ${days} ${days === 1 ? 'day' : 'days'}. Please contact support if this issue persists.`;
}

/**
 * The license warning, DECISIONS.md §3: the one function behind `/api/license-status`, the
 * service, `/metrics` and the admin page's history. Two gaps measure how long the vendor has gone
 * without hearing from the installation: the contact gap (since the last accepted batch or
 * check-in) and the data gap (since the oldest batch it has not accepted, rejected ones included,
 * collected after the newest accepted one). "More than T days" compares exact elapsed time with
 * T × 24 h; N, the days left, is rounded up (a part day counts as a day).
 */
export function licenseStatus(input: LicenseInputs): LicenseStatus {
  return licenseDetails(input).status;
}

/** The warning with the date it counts down to (null when there is none, or before any contact). */
export interface LicenseDetails {
  status: LicenseStatus;
  expiresAt: Date | null;
}

export function licenseDetails(input: LicenseInputs): LicenseDetails {
  if (!input.isEnterprise) return { status: NO_WARNING, expiresAt: null };
  const now = input.now.getTime();
  const threshold = input.thresholdDays * DAY_MS;
  const contactFrom = input.lastContactAt ?? input.oldestBatchAt;
  const contactGap = contactFrom === null ? 0 : now - contactFrom.getTime();
  const dataGap = input.oldestUnacceptedAt === null ? 0 : now - input.oldestUnacceptedAt.getTime();
  if (contactGap <= threshold && dataGap <= threshold) return { status: NO_WARNING, expiresAt: null };
  if (input.lastContactAt === null) return { status: { warn: true, message: VERIFICATION_PENDING }, expiresAt: null };

  const anchor = (input.oldestUnacceptedAt ?? input.lastContactAt).getTime();
  const expiresAt = new Date(anchor + threshold + GRACE_DAYS * DAY_MS);
  const remaining = expiresAt.getTime() - now;
  if (remaining <= 0) return { status: { warn: true, message: LICENSE_EXPIRED }, expiresAt };
  return { status: { warn: true, message: expiresInMessage(Math.ceil(remaining / DAY_MS)) }, expiresAt };
}

/** The license warning from the stored state (the service, the route, /metrics). */
export function licenseStatusAt(
  state: Pick<ScheduleState, 'lastContactAt' | 'oldestBatchAt' | 'oldestUnacceptedAt'>,
  settings: LicenseSettings,
  now: Date,
): LicenseStatus {
  return licenseStatus({
    isEnterprise: settings.isEnterprise,
    now,
    thresholdDays: settings.warningThresholdDays,
    lastContactAt: state.lastContactAt,
    oldestBatchAt: state.oldestBatchAt,
    oldestUnacceptedAt: state.oldestUnacceptedAt,
  });
}

export interface BatchTimes {
  collectedAt: Date;
  /** When the vendor accepted it; a rejected or waiting batch counts alike (not accepted). */
  uploadedAt: Date | null;
}

/**
 * The license warning as it was at `at`, replayed from the batches (in collection order) and the
 * times of successful check-ins: the admin page's history. Same rule, older facts.
 */
export function licenseStatusReplayed(
  batches: readonly BatchTimes[],
  checkIns: readonly Date[],
  settings: LicenseSettings,
  at: Date,
): LicenseStatus {
  let lastContactAt: Date | null = null;
  for (const checkIn of checkIns) {
    if (checkIn <= at && (lastContactAt === null || checkIn > lastContactAt)) lastContactAt = checkIn;
  }
  let oldestBatchAt: Date | null = null;
  let oldestUnacceptedAt: Date | null = null;
  for (const batch of batches) {
    if (batch.collectedAt > at) break;
    oldestBatchAt ??= batch.collectedAt;
    const accepted = batch.uploadedAt !== null && batch.uploadedAt <= at;
    if (accepted) {
      oldestUnacceptedAt = null; // only batches after the newest accepted one count
      if (lastContactAt === null || batch.uploadedAt! > lastContactAt) lastContactAt = batch.uploadedAt;
    } else {
      oldestUnacceptedAt ??= batch.collectedAt;
    }
  }
  return licenseStatusAt({ lastContactAt, oldestBatchAt, oldestUnacceptedAt }, settings, at);
}

/** `licenseDetails` from the stored state: the warning and the date it counts down to. */
export function licenseDetailsAt(
  state: Pick<ScheduleState, 'lastContactAt' | 'oldestBatchAt' | 'oldestUnacceptedAt'>,
  settings: LicenseSettings,
  now: Date,
): LicenseDetails {
  return licenseDetails({
    isEnterprise: settings.isEnterprise,
    now,
    thresholdDays: settings.warningThresholdDays,
    lastContactAt: state.lastContactAt,
    oldestBatchAt: state.oldestBatchAt,
    oldestUnacceptedAt: state.oldestUnacceptedAt,
  });
}
