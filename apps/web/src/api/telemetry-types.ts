/**
 * The admin telemetry API as the UI reads it. These mirror the engine's answers
 * (`telemetryOverview`, `telemetryHistory`, `telemetryPreview` in packages/telemetry/src/service/admin-view.ts,
 * and `UploadCycleReport` in packages/telemetry/src/upload/upload-cycle.ts); the UI declares its own
 * copy because it does not depend on the engine. Every time is an ISO 8601 string.
 */

export type TelemetryPhase = 'bootstrap' | 'normal';
export type AdminEmailSource = 'env' | 'first_tos_acceptance';
export type BatchStatus = 'pending' | 'uploaded' | 'rejected';
export type AttemptKind = 'identity' | 'metrics' | 'checkin';
export type MetricValue = string | number | boolean;

export interface TelemetryIdentity {
  customerId: string | null;
  instanceId: string | null;
  installationId: string;
  /** Masked (`a***@example.com`), or null while there is no admin email. */
  adminEmail: string | null;
  /** Strings the UI does not know are shown as they are. */
  adminEmailSource: AdminEmailSource | (string & {}) | null;
  /** The email the vendor's customer was created for, masked. */
  registeredEmail: string | null;
  registeredAt: string | null;
}

export interface TelemetryLeader {
  /** `host:pid:random` of the process that sends. */
  holder: string;
  isThisProcess: boolean;
  since: string | null;
  lastSeenAt: string | null;
}

export interface BatchSummary {
  id: string;
  collectedAt: string;
  status: BatchStatus;
  uploadedAt: string | null;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: string | null;
  metricCount: number;
  collectorErrors: CollectorError[];
}

export interface CollectorError {
  collector: string;
  message: string;
}

export interface RecentError {
  at: string;
  kind: AttemptKind;
  outcome: 'failure' | 'rejected';
  error: string;
}

export interface HistoryDay {
  /** `YYYY-MM-DD`, a UTC day. */
  date: string;
  collections: number;
  uploadsSucceeded: number;
  uploadsFailed: number;
  /** The license warning showed at the end of that day (or now, for today). */
  warning: boolean;
  warningMessage: string;
}

export interface TelemetryOverview {
  enterprise: boolean;
  endpoint: string;
  settings: { collectionIntervalDays: number; uploadIntervalHours: number; warningThresholdDays: number };
  identity: TelemetryIdentity;
  phase: TelemetryPhase;
  leader: TelemetryLeader | null;
  lastCollection: { at: string; batchId: string } | null;
  lastUpload: { at: string | null } | null;
  lastCheckIn: { at: string | null; error: string | null };
  next: { collectionAt: string | null; uploadAt: string | null; checkAt: string | null };
  pendingCount: number;
  backoffUntil: string | null;
  license: { warn: boolean; message: string };
  /** The newest 20 batches, newest first. */
  recentBatches: BatchSummary[];
  /** Failed vendor requests of the last 90 days, newest first (at most 20). */
  recentErrors: RecentError[];
  /** The last 90 days, oldest first. */
  history: HistoryDay[];
}

export interface PreviewMetric {
  key: string;
  value: MetricValue;
  description: string | null;
}

export interface PreviewBatch {
  id: string;
  collectedAt: string;
  /** e.g. `POST /application/custom-metrics`. */
  request: string;
  metrics: PreviewMetric[];
}

/** Exactly what the next upload sends: each pending batch as one request, then the check-in. */
export interface TelemetryPreview {
  endpoint: string;
  adminEmail: string | null;
  willSend: boolean;
  batches: PreviewBatch[];
  checkIn: { request: string; status: string; versionLabel: string; instanceName: string };
}

export interface CollectedBatch {
  id: string;
  collectedAt: string;
  metrics: Record<string, MetricValue>;
  errors: CollectorError[];
  durations: Record<string, number>;
}

export type UploadOutcome = 'uploaded' | 'checked_in' | 'no_admin_email' | 'failed' | 'aborted';

export interface UploadReport {
  outcome: UploadOutcome;
  requests: number;
  sent: Array<{ batchId: string; collectedAt: string; metricCount: number }>;
  rejected: Array<{ batchId: string; error: string }>;
  failure?: { stage: AttemptKind; error: string; retryAt?: string };
  checkIn: 'sent' | 'failed' | 'skipped';
}
