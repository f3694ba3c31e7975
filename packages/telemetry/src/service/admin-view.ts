import type { Queryable } from '@openhands/db';
import { type MetricValue, machineFingerprint } from '@openhands/replicated';
import { DAY_MS, REPLICATED_APP_SLUG } from '../config/constants.js';
import type { TelemetrySettings } from '../config/settings.js';
import { type LicenseStatus, licenseStatusAt } from '../license/license-state.js';
import { nextCollectionAt, nextUploadAt, phaseOf } from '../schedule/rules.js';
import { readIdentity } from '../storage/identity.js';
import { readLeaderRow } from '../storage/leader-row.js';
import { listPending } from '../storage/pending-batches.js';
import { readScheduleState } from '../storage/schedule-state.js';
import { failuresSince } from '../storage/upload-attempts.js';
import { maskEmail } from './logger.js';

/** What an admin sees, read from the database, so any replica answers the same. */
export interface AdminViewInput {
  db: Queryable;
  settings: TelemetrySettings;
  now: Date;
  admin: { email: string; source: string } | undefined;
  processId: string;
  isLeader: boolean;
}

export type BatchStatus = 'pending' | 'uploaded' | 'rejected';

export interface BatchSummary {
  id: string;
  collectedAt: string;
  status: BatchStatus;
  uploadedAt: string | null;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: string | null;
  metricCount: number;
  collectorErrors: Array<{ collector: string; message: string }>;
}

const iso = (date: Date | null | undefined) => date?.toISOString() ?? null;

export async function telemetryOverview(input: AdminViewInput) {
  const { db, settings, now } = input;
  const [state, identity, leader, batches, failures] = await Promise.all([
    readScheduleState(db),
    readIdentity(db),
    readLeaderRow(db),
    recentBatches(db, 20),
    failuresSince(db, new Date(now.getTime() - 90 * DAY_MS), 50),
  ]);
  const license = licenseStatusAt(state, settings, now);
  return {
    enterprise: settings.isEnterprise,
    endpoint: settings.replicatedApiUrl,
    settings: {
      collectionIntervalDays: settings.collectionIntervalDays,
      uploadIntervalHours: settings.uploadIntervalHours,
      warningThresholdDays: settings.warningThresholdDays,
    },
    identity: {
      customerId: identity.customerId,
      instanceId: identity.instanceId,
      installationId: identity.installationId,
      adminEmail: input.admin ? maskEmail(input.admin.email) : null,
      adminEmailSource: input.admin?.source ?? null,
      registeredEmail: identity.adminEmail ? maskEmail(identity.adminEmail) : null,
      registeredAt: identity.customerId ? iso(identity.updatedAt) : null,
    },
    phase: phaseOf(state),
    leader: leader
      ? {
          holder: leader.holder,
          isThisProcess: input.isLeader && leader.holder === input.processId,
          since: iso(leader.acquiredAt),
          lastSeenAt: iso(leader.heartbeatAt),
        }
      : null,
    lastCollection: batches[0] ? { at: batches[0].collectedAt, batchId: batches[0].id } : null,
    lastUpload: state.lastUploadAt ? { at: iso(state.lastUploadAt) } : null,
    lastCheckIn: { at: iso(identity.lastCheckInAt), error: identity.lastCheckInError },
    next: {
      collectionAt: iso(nextCollectionAt(state, settings) ?? now),
      uploadAt: iso(nextUploadAt(state, now, settings)),
      checkAt: iso(leader?.nextCheckAt),
    },
    pendingCount: state.pendingCount,
    backoffUntil: state.backoffUntil && state.backoffUntil > now ? iso(state.backoffUntil) : null,
    license,
    recentBatches: batches,
    recentErrors: failures.map((a) => ({
      at: a.attemptedAt.toISOString(),
      kind: a.kind,
      outcome: a.outcome,
      error: a.error ?? '',
    })),
  };
}

export type TelemetryOverview = Awaited<ReturnType<typeof telemetryOverview>>;

async function recentBatches(db: Queryable, limit: number): Promise<BatchSummary[]> {
  const { rows } = await db.query<{
    id: string;
    collected_at: Date;
    uploaded_at: Date | null;
    failed_at: Date | null;
    attempts: number;
    last_upload_error: string | null;
    next_attempt_at: Date | null;
    metric_count: number;
    collector_errors: Array<{ collector: string; message: string }>;
  }>(
    `SELECT id, collected_at, uploaded_at, failed_at, coalesce(upload_attempts, 0) AS attempts, last_upload_error,
            next_attempt_at, (SELECT count(*) FROM jsonb_object_keys(metrics_data))::int AS metric_count, collector_errors
     FROM telemetry_metrics ORDER BY collected_at DESC, seq DESC LIMIT $1`,
    [limit],
  );
  return rows.map((row) => ({
    id: row.id,
    collectedAt: row.collected_at.toISOString(),
    status: row.uploaded_at ? 'uploaded' : row.failed_at ? 'rejected' : 'pending',
    uploadedAt: iso(row.uploaded_at),
    attempts: row.attempts,
    lastError: row.last_upload_error,
    nextAttemptAt: row.uploaded_at || row.failed_at ? null : iso(row.next_attempt_at),
    metricCount: row.metric_count,
    collectorErrors: row.collector_errors,
  }));
}

export interface PreviewMetric {
  key: string;
  value: MetricValue;
  description: string | null;
}

/** Exactly what the next upload sends: each pending batch as one request, then the check-in. */
export async function telemetryPreview(
  input: AdminViewInput & { appVersion: string; instanceName: string; describe: (key: string) => string | null },
) {
  const pending = await listPending(input.db);
  return {
    endpoint: input.settings.replicatedApiUrl,
    adminEmail: input.admin ? maskEmail(input.admin.email) : null,
    willSend: input.admin !== undefined,
    batches: pending.map((batch) => ({
      id: batch.id,
      collectedAt: batch.collectedAt.toISOString(),
      request: 'POST /application/custom-metrics',
      metrics: Object.entries(batch.metrics)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, value]): PreviewMetric => ({ key, value, description: input.describe(key) })),
    })),
    checkIn: {
      request: 'POST /kots_metrics/license_instance/info',
      status: 'ready' as const,
      versionLabel: input.appVersion,
      instanceName: input.instanceName,
    },
  };
}

/**
 * The file an air-gapped customer hands to the vendor: the same data an upload would send,
 * with the full admin email, since the admin downloads it for exactly that purpose.
 */
export async function telemetryExport(input: AdminViewInput & { appVersion: string }) {
  const [identity, pending] = await Promise.all([readIdentity(input.db), listPending(input.db)]);
  return {
    format: 'openhands-enterprise-telemetry-export/v1',
    exportedAt: input.now.toISOString(),
    app: { slug: REPLICATED_APP_SLUG, version: input.appVersion },
    customer: { email: input.admin?.email ?? null, customerId: identity.customerId },
    instance: {
      instanceId: identity.instanceId,
      installationId: identity.installationId,
      machineFingerprint: machineFingerprint(identity.installationId),
    },
    batches: pending.map((batch) => ({
      id: batch.id,
      collectedAt: batch.collectedAt.toISOString(),
      data: batch.metrics,
    })),
  };
}

export interface HistoryDay {
  date: string;
  collections: number;
  uploadsSucceeded: number;
  uploadsFailed: number;
  /** The license warning showed at the end of that day (or now, for today). */
  warning: boolean;
  warningMessage: string;
}

/** The last `days` days, oldest first: for the admin page's chart. */
export async function telemetryHistory(
  db: Queryable,
  settings: TelemetrySettings,
  now: Date,
  days = 90,
): Promise<HistoryDay[]> {
  const firstDay = startOfUtcDay(new Date(now.getTime() - (days - 1) * DAY_MS));
  const [batches, attempts] = await Promise.all([
    db.query<{ collected_at: Date; uploaded_at: Date | null; failed_at: Date | null }>(
      'SELECT collected_at, uploaded_at, failed_at FROM telemetry_metrics ORDER BY collected_at, seq',
    ),
    db.query<{ day: Date; ok: number; failed: number }>(
      `SELECT date_trunc('day', attempted_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS day,
              count(*) FILTER (WHERE outcome = 'success')::int AS ok,
              count(*) FILTER (WHERE outcome <> 'success')::int AS failed
       FROM telemetry_upload_attempts WHERE kind = 'metrics' AND attempted_at >= $1 GROUP BY 1`,
      [firstDay],
    ),
  ]);
  const attemptsByDay = new Map(attempts.rows.map((row) => [startOfUtcDay(row.day).getTime(), row]));
  const result: HistoryDay[] = [];
  for (let i = 0; i < days; i++) {
    const start = new Date(firstDay.getTime() + i * DAY_MS);
    const end = new Date(Math.min(start.getTime() + DAY_MS - 1, now.getTime()));
    const state = replayedLicenseStatus(batches.rows, settings, end);
    const dayAttempts = attemptsByDay.get(start.getTime());
    result.push({
      date: start.toISOString().slice(0, 10),
      collections: batches.rows.filter(
        (b) => b.collected_at >= start && b.collected_at.getTime() < start.getTime() + DAY_MS,
      ).length,
      uploadsSucceeded: dayAttempts?.ok ?? 0,
      uploadsFailed: dayAttempts?.failed ?? 0,
      warning: state.warn,
      warningMessage: state.message,
    });
  }
  return result;
}

/** The license state as it was at `at`, replayed from the batches' timestamps. */
function replayedLicenseStatus(
  batches: ReadonlyArray<{ collected_at: Date; uploaded_at: Date | null; failed_at: Date | null }>,
  settings: TelemetrySettings,
  at: Date,
): LicenseStatus {
  let lastUploadAt: Date | null = null;
  let oldestBatchAt: Date | null = null;
  let oldestUnsentAt: Date | null = null;
  for (const batch of batches) {
    if (batch.collected_at > at) break;
    oldestBatchAt ??= batch.collected_at;
    const uploaded = batch.uploaded_at !== null && batch.uploaded_at <= at;
    const rejected = batch.failed_at !== null && batch.failed_at <= at;
    if (uploaded && (lastUploadAt === null || batch.uploaded_at! > lastUploadAt)) lastUploadAt = batch.uploaded_at;
    if (!uploaded && !rejected) oldestUnsentAt ??= batch.collected_at;
  }
  return licenseStatusAt({ lastUploadAt, oldestBatchAt, oldestUnsentAt }, settings, at);
}

function startOfUtcDay(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}
