import type { Queryable } from '@openhands/db';
import { machineFingerprint } from '@openhands/replicated';
import type { PreviewMetric, TelemetryExport, TelemetryPreview } from '../api/schemas.js';
import { REPLICATED_APP_SLUG } from '../config/constants.js';
import type { AdminEmail } from '../host/host-port.js';
import { readIdentity } from '../storage/identity.js';
import { listPending } from '../storage/pending-batches.js';

export interface PayloadInput {
  db: Queryable;
  endpoint: string;
  now: Date;
  admin: AdminEmail | undefined;
  appVersion: string;
  instanceName: string;
}

/** Exactly what the next upload sends: each pending batch as one request, then the check-in. */
export async function readPreview(
  input: PayloadInput & { describe: (key: string) => string | null },
): Promise<TelemetryPreview> {
  const pending = await listPending(input.db);
  return {
    endpoint: input.endpoint,
    adminEmail: input.admin?.email ?? null,
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
      status: 'ready',
      versionLabel: input.appVersion,
      instanceName: input.instanceName,
    },
  };
}

/**
 * The file an air-gapped customer hands to the vendor: the same data an upload would send,
 * with the full admin email, since the admin downloads it for exactly that purpose.
 */
export async function readExport(input: PayloadInput): Promise<TelemetryExport> {
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
