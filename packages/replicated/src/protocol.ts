/**
 * The wire facts of Replicated's publishable-key protocol that the client and the emulator must
 * agree on. Kept in one place so that a change to the protocol is a change to one file; the
 * rules each side enforces on values stay with that side, so a bug in one is caught by the other.
 */

export const DEFAULT_BASE_URL = 'https://replicated.app';

export const PATHS = {
  customer: '/v3/customer',
  instance: '/v3/instance',
  customMetrics: '/application/custom-metrics',
  checkIn: '/kots_metrics/license_instance/info',
} as const;

/** Header names as the vendor reads them (HTTP header names are case-insensitive on the wire). */
export const HEADERS = {
  instanceId: 'X-Replicated-InstanceID',
  clusterId: 'X-Replicated-ClusterID',
  appStatus: 'X-Replicated-AppStatus',
  versionLabel: 'X-Replicated-VersionLabel',
  instanceTagData: 'X-Replicated-InstanceTagData',
} as const;

/** The five documented status values, lower case on the wire. The Python SDK's `running` is not one of them. */
export const APP_STATUSES = ['ready', 'updating', 'degraded', 'unavailable', 'missing'] as const;

export type AppStatus = (typeof APP_STATUSES)[number];

export function isAppStatus(value: unknown): value is AppStatus {
  return typeof value === 'string' && (APP_STATUSES as readonly string[]).includes(value);
}

export const PUBLISHABLE_KEY_PREFIX = 'replicated_pk_';

/** snake_case or camelCase: letters, digits and underscores; the vendor refuses hyphens. */
export const METRIC_KEY_PATTERN = /^[A-Za-z0-9_]+$/;

export type MetricValue = number | string | boolean;

/** The decoded `X-Replicated-InstanceTagData` header. */
export interface InstanceTagData {
  force: boolean;
  /** `name` is the instance's name; other tags (e.g. `copied_from_instance`) are shown beside it. */
  tags: { name: string } & Record<string, string>;
}

export function encodeInstanceTagData(tagData: InstanceTagData): string {
  return Buffer.from(JSON.stringify(tagData), 'utf8').toString('base64');
}
