import type { Queryable } from '@openhands/db';
import type { BatchSummary, TelemetryLeader, TelemetryOverview } from '../api/schemas.js';
import { DAY_MS } from '../config/constants.js';
import type { TelemetrySettings } from '../config/settings.js';
import { diagnose } from '../diagnosis/index.js';
import type { AdminEmail } from '../host/host-port.js';
import { licenseStatusAt } from '../license/license-state.js';
import { checkIntervalMs, nextCollectionAt, nextUploadAt, type Phase, phaseOf } from '../schedule/rules.js';
import { readIdentity } from '../storage/identity.js';
import { type LeaderRow, readLeaderRow } from '../storage/leader-row.js';
import { readScheduleState } from '../storage/schedule-state.js';
import { failuresSince } from '../storage/upload-attempts.js';
import { sendingPolicy } from '../upload/release-guard.js';
import { readDiagnosisFacts } from './diagnosis-facts.js';

export interface OverviewInput {
  db: Queryable;
  settings: TelemetrySettings;
  now: Date;
  admin: AdminEmail | undefined;
  /** This process, to tell the admin whether the sender is the replica that answers. */
  self: { processId: string; isLeader: boolean };
}

const iso = (date: Date | null | undefined) => date?.toISOString() ?? null;

/** What an admin sees, read from the database, so any replica answers the same. */
export async function readOverview(input: OverviewInput): Promise<Omit<TelemetryOverview, 'history'>> {
  const { db, settings, now } = input;
  const [state, identity, leader, batches, failures] = await Promise.all([
    readScheduleState(db),
    readIdentity(db),
    readLeaderRow(db),
    recentBatches(db, 20),
    failuresSince(db, new Date(now.getTime() - 90 * DAY_MS), 50),
  ]);
  const phase = phaseOf(state);
  const license = licenseStatusAt(state, settings, now);
  const describedLeader = leader ? describeLeader(leader, phase, now, input.self) : null;
  const sending = sendingPolicy(settings.replicatedApiUrl);
  const facts = await readDiagnosisFacts({
    db,
    settings,
    now,
    admin: input.admin,
    state,
    license,
    leader: describedLeader,
    sending,
  });
  return {
    enterprise: settings.isEnterprise,
    sending,
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
      adminEmail: input.admin?.email ?? null,
      adminEmailSource: input.admin?.source ?? null,
      registeredEmail: identity.adminEmail,
      registeredAt: identity.customerId ? iso(identity.updatedAt) : null,
      copiedFromInstanceId: identity.copiedFromInstanceId,
      copiedAt: iso(identity.copiedAt),
    },
    phase,
    leader: describedLeader,
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
    diagnosis: diagnose(facts),
    recentBatches: batches,
    recentErrors: failures.map((a) => ({
      at: a.attemptedAt.toISOString(),
      kind: a.kind,
      outcome: a.outcome === 'rejected' ? 'rejected' : 'failure',
      error: a.error ?? '',
    })),
  };
}

/**
 * The sender as the leader row names it. A sender checks in at every check; one silent for two
 * check intervals is marked stale: the process named is probably gone, and a replica takes over
 * at its next attempt (within a minute on a PostgreSQL server).
 */
export function describeLeader(
  leader: LeaderRow,
  phase: Phase,
  now: Date,
  self: { processId: string; isLeader: boolean },
): TelemetryLeader {
  const silentMs = now.getTime() - leader.heartbeatAt.getTime();
  const stale = silentMs > 2 * checkIntervalMs(phase);
  return {
    holder: leader.holder,
    isThisProcess: self.isLeader && leader.holder === self.processId,
    since: iso(leader.acquiredAt),
    lastSeenAt: iso(leader.heartbeatAt),
    stale,
    staleMessage: stale
      ? `The sender ${leader.holder} has not checked in for ${Math.round(silentMs / 60_000)} minutes ` +
        `(it checks every ${Math.round(checkIntervalMs(phase) / 60_000)}); it has probably stopped, and no ` +
        'other replica has taken over yet.'
      : null,
  };
}

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
