import type { Queryable } from '@openhands/db';
import type { HistoryDay } from '../api/schemas.js';
import { DAY_MS } from '../config/constants.js';
import type { TelemetrySettings } from '../config/settings.js';
import { licenseStatusReplayed } from '../license/license-state.js';

/** The last `days` days, oldest first: for the admin page's chart. */
export async function telemetryHistory(
  db: Queryable,
  settings: TelemetrySettings,
  now: Date,
  days = 90,
): Promise<HistoryDay[]> {
  const firstDay = startOfUtcDay(new Date(now.getTime() - (days - 1) * DAY_MS));
  const [batches, attempts, checkIns] = await Promise.all([
    db.query<{ collectedAt: Date; uploadedAt: Date | null }>(
      'SELECT collected_at AS "collectedAt", uploaded_at AS "uploadedAt" FROM telemetry_metrics ORDER BY collected_at, seq',
    ),
    db.query<{ day: Date; ok: number; failed: number }>(
      `SELECT date_trunc('day', attempted_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS day,
              count(*) FILTER (WHERE kind = 'metrics' AND outcome = 'success')::int AS ok,
              count(*) FILTER (WHERE outcome <> 'success')::int AS failed
       FROM telemetry_upload_attempts
       -- A failed registration is a failed upload to the admin: nothing reached the vendor that day.
       WHERE kind IN ('metrics', 'identity') AND attempted_at >= $1 GROUP BY 1`,
      [firstDay],
    ),
    db.query<{ at: Date }>(
      `SELECT attempted_at AS at FROM telemetry_upload_attempts WHERE kind = 'checkin' AND outcome = 'success'`,
    ),
  ]);
  const checkInTimes = checkIns.rows.map((row) => row.at);
  const attemptsByDay = new Map(attempts.rows.map((row) => [startOfUtcDay(row.day).getTime(), row]));
  const result: HistoryDay[] = [];
  for (let i = 0; i < days; i++) {
    const start = new Date(firstDay.getTime() + i * DAY_MS);
    const end = new Date(Math.min(start.getTime() + DAY_MS - 1, now.getTime()));
    const state = licenseStatusReplayed(batches.rows, checkInTimes, settings, end);
    const dayAttempts = attemptsByDay.get(start.getTime());
    result.push({
      date: start.toISOString().slice(0, 10),
      collections: batches.rows.filter(
        (b) => b.collectedAt >= start && b.collectedAt.getTime() < start.getTime() + DAY_MS,
      ).length,
      uploadsSucceeded: dayAttempts?.ok ?? 0,
      uploadsFailed: dayAttempts?.failed ?? 0,
      warning: state.warn,
      warningMessage: state.message,
    });
  }
  return result;
}

function startOfUtcDay(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}
