import type { Queryable } from '@openhands/db';
import type { TelemetrySettings } from '../config/settings.js';
import type { DiagnosisFacts } from '../diagnosis/index.js';
import type { AdminEmail } from '../host/host-port.js';
import { type LicenseStatus, licenseDetailsAt } from '../license/license-state.js';
import type { ScheduleState } from '../storage/schedule-state.js';

/** What the overview query has already read, reused so the diagnosis and `/api/license-status` share one reading. */
export interface DiagnosisInput {
  db: Queryable;
  settings: TelemetrySettings;
  now: Date;
  admin: AdminEmail | undefined;
  state: ScheduleState;
  license: LicenseStatus;
  leader: { stale: boolean; lastSeenAt: string | null } | null;
  /** Whether this build sends at all (a source build never sends to the vendor's real endpoint). */
  sending: { sends: boolean; note: string };
}

/**
 * The facts the diagnosis (packages/telemetry/src/diagnosis) is computed from. The failures are
 * counted in SQL, every one since the last contact, so an outage of weeks reads "793 failed
 * requests", not the length of a page of them.
 */
export async function readDiagnosisFacts(input: DiagnosisInput): Promise<DiagnosisFacts> {
  const { db, settings, now, state } = input;
  const [failures, rejected] = await Promise.all([
    failuresSinceContact(db, state.lastContactAt),
    rejectedSinceAccepted(db),
  ]);
  return {
    now,
    enterprise: settings.isEnterprise,
    endpoint: settings.replicatedApiUrl,
    sending: input.sending,
    adminEmail: input.admin ? { address: input.admin.email, source: input.admin.source } : null,
    sender: input.leader
      ? { alive: !input.leader.stale, lastSeenAt: input.leader.lastSeenAt ? new Date(input.leader.lastSeenAt) : null }
      : null,
    lastContactAt: state.lastContactAt,
    failures,
    rejected,
    pending: { count: state.pendingCount, oldestAt: state.oldestUnsentAt },
    // The same rule as `/api/license-status`, with the date it counts down to.
    license: { ...input.license, expiresAt: licenseDetailsAt(state, settings, now).expiresAt },
  };
}

async function failuresSinceContact(db: Queryable, since: Date | null): Promise<DiagnosisFacts['failures']> {
  const { rows } = await db.query<{
    count: number;
    oldest_at: Date | null;
    at: Date | null;
    kind: 'identity' | 'metrics' | 'checkin' | null;
    error: string | null;
  }>(
    `WITH failures AS (
       SELECT id, attempted_at, kind, error FROM telemetry_upload_attempts
       WHERE outcome = 'failure' AND ($1::timestamptz IS NULL OR attempted_at > $1)
     )
     SELECT (SELECT count(*)::int FROM failures) AS count,
            (SELECT min(attempted_at) FROM failures) AS oldest_at,
            newest.attempted_at AS at, newest.kind, newest.error
     FROM (SELECT 1) AS one
     LEFT JOIN LATERAL (SELECT * FROM failures ORDER BY attempted_at DESC, id DESC LIMIT 1) AS newest ON true`,
    [since],
  );
  const row = rows[0];
  if (!row || row.count === 0 || !row.at || !row.kind || !row.oldest_at) return null;
  return {
    newest: { at: row.at, kind: row.kind, error: row.error ?? '' },
    oldestAt: row.oldest_at,
    count: row.count,
  };
}

async function rejectedSinceAccepted(db: Queryable): Promise<DiagnosisFacts['rejected']> {
  const { rows } = await db.query<{ count: number; oldest_at: Date | null; newest_error: string | null }>(
    `WITH newest_accepted AS (
       SELECT collected_at, seq FROM telemetry_metrics WHERE uploaded_at IS NOT NULL
       ORDER BY collected_at DESC, seq DESC LIMIT 1
     )
     SELECT count(*)::int AS count, min(m.collected_at) AS oldest_at,
            (array_agg(m.last_upload_error ORDER BY m.failed_at DESC))[1] AS newest_error
     FROM telemetry_metrics m
     WHERE m.failed_at IS NOT NULL AND m.uploaded_at IS NULL
       AND NOT EXISTS (SELECT 1 FROM newest_accepted a WHERE (m.collected_at, m.seq) < (a.collected_at, a.seq))`,
  );
  const row = rows[0];
  if (!row || row.count === 0 || !row.oldest_at) return null;
  return { count: row.count, oldestAt: row.oldest_at, newestError: row.newest_error ?? '' };
}
