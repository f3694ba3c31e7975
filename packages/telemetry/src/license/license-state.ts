import { DAY_MS } from '../config/constants.js';
import type { TelemetrySettings } from '../config/settings.js';
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
  /** The newest successful upload of any batch. */
  lastUploadAt: Date | null;
  /** The oldest batch collected, sent or not (for "never uploaded"). */
  oldestBatchAt: Date | null;
  /** The oldest batch still waiting to be sent (rejected batches are not waiting). */
  oldestUnsentAt: Date | null;
}

export const NO_WARNING: LicenseStatus = Object.freeze({ warn: false, message: '' });
export const VERIFICATION_PENDING =
  'OpenHands Enterprise license verification pending. Please ensure network connectivity.';
export const LICENSE_EXPIRED = 'Your OpenHands Enterprise license has expired. Please contact support immediately.';

/** Days before the license is considered expired, counted from the oldest unsent batch, after T. */
export const GRACE_DAYS = 30;

export function expiresInMessage(days: number): string {
  return `Your OpenHands Enterprise license will expire in ${days} ${days === 1 ? 'day' : 'days'}. Please contact support if this issue persists.`;
}

/**
 * The license warning, DECISIONS.md §3: the one function behind `/api/license-status`, the
 * service's gauges and the admin page's history. "More than T days" compares exact elapsed time
 * with T × 24 h (T days and one second is more); N, the days left, is whole days rounded down.
 */
export function licenseStatus(input: LicenseInputs): LicenseStatus {
  if (!input.isEnterprise) return NO_WARNING;
  const now = input.now.getTime();
  const threshold = input.thresholdDays * DAY_MS;
  if (input.lastUploadAt === null) {
    if (input.oldestBatchAt === null || now - input.oldestBatchAt.getTime() <= threshold) return NO_WARNING;
    return { warn: true, message: VERIFICATION_PENDING };
  }
  if (now - input.lastUploadAt.getTime() <= threshold) return NO_WARNING;
  if (input.oldestUnsentAt === null) return NO_WARNING;
  const expiresAt = input.oldestUnsentAt.getTime() + threshold + GRACE_DAYS * DAY_MS;
  const daysLeft = Math.floor((expiresAt - now) / DAY_MS);
  return daysLeft > 0 ? { warn: true, message: expiresInMessage(daysLeft) } : { warn: true, message: LICENSE_EXPIRED };
}

/** The license warning from the stored state (the service, the route, /metrics and the history). */
export function licenseStatusAt(
  state: Pick<ScheduleState, 'lastUploadAt' | 'oldestBatchAt' | 'oldestUnsentAt'>,
  settings: Pick<TelemetrySettings, 'isEnterprise' | 'warningThresholdDays'>,
  now: Date,
): LicenseStatus {
  return licenseStatus({
    isEnterprise: settings.isEnterprise,
    now,
    thresholdDays: settings.warningThresholdDays,
    lastUploadAt: state.lastUploadAt,
    oldestBatchAt: state.oldestBatchAt,
    oldestUnsentAt: state.oldestUnsentAt,
  });
}
