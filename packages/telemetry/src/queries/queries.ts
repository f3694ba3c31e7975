import type { Db } from '@openhands/db';
import type { BatchDetail, TelemetryExport, TelemetryOverview, TelemetryPreview } from '../api/schemas.js';
import type { TelemetrySettings } from '../config/settings.js';
import type { HostPort } from '../host/host-port.js';
import { type LicenseStatus, licenseStatusAt } from '../license/license-state.js';
import type { SenderStatus } from '../sender/sender.js';
import { readScheduleState } from '../storage/schedule-state.js';
import type { Clock } from '../time/clock.js';
import { readBatchDetail } from './batch-detail.js';
import { telemetryHistory } from './history.js';
import { readOverview } from './overview.js';
import { readExport, readPreview } from './payload.js';
import { renderPrometheus } from './prometheus.js';

export interface QueriesOptions {
  db: Db;
  host: HostPort;
  settings: TelemetrySettings;
  clock: Clock;
  /** This process's sender, for "is this the sender" and the per-process counters. */
  sender: SenderStatus;
  /** The one-line description of a metric key, for the preview. */
  describeMetric: (key: string) => string | null;
}

/**
 * Everything an admin or a monitoring system reads. Read-only and answered from the database,
 * so every replica answers the same; the shapes are the API's schemas (src/api/schemas.ts).
 */
export class Queries {
  constructor(private readonly o: QueriesOptions) {}

  now(): Date {
    return this.o.clock.now();
  }

  async overview(): Promise<TelemetryOverview> {
    const { db, settings, host, sender } = this.o;
    const now = this.now();
    const [overview, history] = await Promise.all([
      readOverview({
        db,
        settings,
        now,
        admin: await host.adminEmail(),
        self: { processId: sender.processId, isLeader: sender.isLeader },
      }),
      telemetryHistory(db, settings, now),
    ]);
    return { ...overview, history };
  }

  history(days = 90) {
    return telemetryHistory(this.o.db, this.o.settings, this.now(), days);
  }

  async preview(): Promise<TelemetryPreview> {
    return readPreview({ ...(await this.payloadInput()), describe: this.o.describeMetric });
  }

  /** One stored batch with its metrics, sent or not; undefined for an unknown id. */
  batch(id: string): Promise<BatchDetail | undefined> {
    return readBatchDetail(this.o.db, id);
  }

  async exportFile(): Promise<TelemetryExport> {
    return readExport(await this.payloadInput());
  }

  /** The license warning now, from the stored state. */
  async licenseStatus(): Promise<LicenseStatus> {
    return licenseStatusAt(await readScheduleState(this.o.db), this.o.settings, this.now());
  }

  /** This process's view in the Prometheus text format, for `/metrics`. */
  prometheusText(): Promise<string> {
    const { db, settings, sender } = this.o;
    return renderPrometheus({ db, settings, now: this.now(), isLeader: sender.isLeader, counters: sender.counters });
  }

  private async payloadInput() {
    const { db, host, settings } = this.o;
    return {
      db,
      endpoint: settings.replicatedApiUrl,
      now: this.now(),
      admin: await host.adminEmail(),
      appVersion: host.appVersion,
      instanceName: host.instanceName,
    };
  }
}
