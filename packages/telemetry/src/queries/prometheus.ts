import type { Queryable } from '@openhands/db';
import type { TelemetrySettings } from '../config/settings.js';
import { licenseStatusAt } from '../license/license-state.js';
import { phaseOf } from '../schedule/rules.js';
import { readScheduleState } from '../storage/schedule-state.js';

export interface PrometheusInput {
  db: Queryable;
  settings: TelemetrySettings;
  now: Date;
  isLeader: boolean;
  counters: { collections: Record<string, number>; uploads: Record<string, number> };
}

/** The service's state in the Prometheus text format (version 0.0.4). */
export async function renderPrometheus(input: PrometheusInput): Promise<string> {
  const state = await readScheduleState(input.db);
  const license = licenseStatusAt(state, input.settings, input.now);
  const phase = phaseOf(state);
  const seconds = (date: Date | null) => (date ? date.getTime() / 1000 : 0);
  const lines: string[] = [];
  const metric = (name: string, type: 'counter' | 'gauge', help: string, samples: Array<[string, number]>) => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of samples) lines.push(`${name}${labels} ${value}`);
  };
  metric(
    'openhands_telemetry_collections_total',
    'counter',
    'Telemetry collections run by this process, by result (partial: some collector failed).',
    Object.entries(input.counters.collections).map(([result, n]) => [`{result="${result}"}`, n]),
  );
  metric(
    'openhands_telemetry_uploads_total',
    'counter',
    'Batch uploads by this process, by result (failure: a cycle that ended in back-off).',
    Object.entries(input.counters.uploads).map(([result, n]) => [`{result="${result}"}`, n]),
  );
  metric('openhands_telemetry_pending_batches', 'gauge', 'Batches collected and not yet sent.', [
    ['', state.pendingCount],
  ]);
  metric(
    'openhands_telemetry_oldest_pending_batch_age_seconds',
    'gauge',
    'Age of the oldest batch not yet sent (0: none).',
    [['', state.oldestUnsentAt ? Math.max(0, (input.now.getTime() - state.oldestUnsentAt.getTime()) / 1000) : 0]],
  );
  metric(
    'openhands_telemetry_last_successful_upload_timestamp_seconds',
    'gauge',
    'Unix time of the newest successful batch upload (0: never).',
    [['', seconds(state.lastUploadAt)]],
  );
  metric(
    'openhands_telemetry_last_vendor_contact_timestamp_seconds',
    'gauge',
    'Unix time of the newest request the vendor accepted (a batch or a check-in; 0: never).',
    [['', seconds(state.lastContactAt)]],
  );
  metric(
    'openhands_telemetry_phase',
    'gauge',
    'The scheduling phase: bootstrap (checks every 180 s) or normal (hourly).',
    [
      ['{phase="bootstrap"}', phase === 'bootstrap' ? 1 : 0],
      ['{phase="normal"}', phase === 'normal' ? 1 : 0],
    ],
  );
  metric('openhands_telemetry_leader', 'gauge', '1 when this process is the one that sends.', [
    ['', input.isLeader ? 1 : 0],
  ]);
  metric('openhands_telemetry_license_warning', 'gauge', '1 while the license warning banner shows.', [
    ['', license.warn ? 1 : 0],
  ]);
  return `${lines.join('\n')}\n`;
}
