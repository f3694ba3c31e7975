/**
 * The admin telemetry API as the UI reads it: the types come from the schemas the server
 * serializes with (packages/telemetry/src/api/schemas.ts, published as `@openhands/telemetry/api`,
 * which imports nothing but typebox). No copy here: a change to a response shape fails this
 * app's type check wherever the UI reads what changed. Every time is an ISO 8601 string.
 */
export type {
  AttemptKind,
  BatchDetail,
  BatchStatus,
  BatchSummary,
  CollectedBatch,
  CollectNowResult,
  CollectorError,
  Diagnosis,
  HistoryDay,
  MetricValue,
  PreviewBatch,
  PreviewMetric,
  RecentError,
  TelemetryExport,
  TelemetryIdentity,
  TelemetryLeader,
  TelemetryOverview,
  TelemetryPhase,
  TelemetryPreview,
  UploadNowResult,
  UploadOutcome,
  UploadReport,
} from '@openhands/telemetry/api';

/** Strings the UI does not know are shown as they are. */
export type AdminEmailSource = 'env' | 'first_tos_acceptance';
