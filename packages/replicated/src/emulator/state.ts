import type { AppStatus, MetricValue } from '../protocol.js';
import type { PendingFault } from './faults.js';

/**
 * What the emulator shows of what it received, as `GET /_emulator/state` answers it and `state()`
 * returns it: plain JSON, times as ISO strings, secrets masked.
 */
export interface EmulatorState {
  startedAt: string;
  customers: CustomerView[];
  instances: InstanceView[];
  /** The current set of each instance (the last one received replaces the previous). */
  metricSets: MetricSetView[];
  /** One per value that changed, in arrival order. */
  events: MetricEventView[];
  checkIns: CheckInView[];
  /** Requests to the vendor API, oldest first (the emulator's own pages are not logged). */
  requests: RequestLogEntry[];
  faults: PendingFault[];
}

export interface CustomerView {
  id: string;
  email: string;
  name: string | null;
  channel: string;
  appSlug: string;
  /** Masked: the first characters only. */
  serviceToken: string;
  createdAt: string;
  instanceIds: string[];
}

export interface InstanceView {
  id: string;
  customerId: string;
  machineFingerprint: string;
  appStatus: AppStatus;
  versionLabel: string | null;
  instanceName: string | null;
  /** Instance tags other than the name (e.g. `copied_from_instance`). */
  tags: Record<string, string>;
  createdAt: string;
  lastMetricsAt: string | null;
  lastCheckInAt: string | null;
}

export interface MetricSetView {
  instanceId: string;
  data: Record<string, MetricValue>;
  receivedAt: string;
}

export interface MetricEventView {
  instanceId: string;
  key: string;
  /** `null` when the key is new. */
  previous: MetricValue | null;
  value: MetricValue;
  at: string;
}

export interface CheckInView {
  instanceId: string;
  appStatus: AppStatus;
  versionLabel: string | null;
  instanceName: string | null;
  force: boolean;
  at: string;
}

export interface RequestLogEntry {
  method: string;
  path: string;
  /** `null` when no answer was sent: a hang the client gave up on, or a dropped connection. */
  status: number | null;
  at: string;
  durationMs: number | null;
  /** The `Authorization` header, masked. */
  authorization: string | null;
  /** The vendor error code of a refused request. */
  errorCode: string | null;
  /** The injected fault that shaped the answer, if any. */
  fault: string | null;
}

/** Enough of a secret to tell two apart on a page, not enough to use it. */
export function maskSecret(secret: string): string {
  return secret.length > 8 ? `${secret.slice(0, 4)}…` : '…';
}

export function maskAuthorization(header: string | undefined): string | null {
  if (header === undefined) return null;
  const bearer = /^Bearer\s+(.*)$/i.exec(header);
  return bearer ? `Bearer ${maskSecret(bearer[1] ?? '')}` : maskSecret(header);
}
