import Type, { type Static } from 'typebox';
import { DiagnosisSchema } from '../diagnosis/schema.js';

export { DiagnosisSchema };

/**
 * The admin API's answers, declared once. Fastify validates and serializes each route's response
 * with these schemas, and the web app imports the `Static` types from `@openhands/telemetry/api`
 * (this folder imports nothing but typebox): a shape changed here changes the server's output and
 * fails the web's type check wherever the UI reads a field that moved. Every time is ISO 8601.
 */
const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const IsoTime = Type.String({ description: 'ISO 8601 time' });

export const MetricValueSchema = Type.Union([Type.String(), Type.Number(), Type.Boolean()]);
export const PhaseSchema = Type.Union([Type.Literal('bootstrap'), Type.Literal('normal')]);
export const BatchStatusSchema = Type.Union([
  Type.Literal('pending'),
  Type.Literal('uploaded'),
  Type.Literal('rejected'),
]);
export const AttemptKindSchema = Type.Union([
  Type.Literal('identity'),
  Type.Literal('metrics'),
  Type.Literal('checkin'),
]);
export const CollectorErrorSchema = Type.Object({ collector: Type.String(), message: Type.String() });

export const LicenseStatusSchema = Type.Object({ warn: Type.Boolean(), message: Type.String() });

export const BatchSummarySchema = Type.Object({
  id: Type.String(),
  collectedAt: IsoTime,
  status: BatchStatusSchema,
  uploadedAt: Nullable(IsoTime),
  attempts: Type.Integer(),
  lastError: Nullable(Type.String()),
  nextAttemptAt: Nullable(IsoTime),
  metricCount: Type.Integer(),
  collectorErrors: Type.Array(CollectorErrorSchema),
});

export const RecentErrorSchema = Type.Object({
  at: IsoTime,
  kind: AttemptKindSchema,
  outcome: Type.Union([Type.Literal('failure'), Type.Literal('rejected')]),
  error: Type.String(),
});

export const HistoryDaySchema = Type.Object({
  /** `YYYY-MM-DD`, a UTC day. */
  date: Type.String(),
  collections: Type.Integer(),
  uploadsSucceeded: Type.Integer(),
  uploadsFailed: Type.Integer(),
  /** The license warning showed at the end of that day (or now, for today). */
  warning: Type.Boolean(),
  warningMessage: Type.String(),
});

export const LeaderSchema = Type.Object({
  /** `host:pid:random` of the process that sends. */
  holder: Type.String(),
  isThisProcess: Type.Boolean(),
  since: Nullable(IsoTime),
  lastSeenAt: Nullable(IsoTime),
  /** No check-in for two check intervals: the process named here is probably gone. */
  stale: Type.Boolean(),
  /** Why it is stale, in a sentence; null when it is not. */
  staleMessage: Nullable(Type.String()),
});

export const IdentitySchema = Type.Object({
  customerId: Nullable(Type.String()),
  instanceId: Nullable(Type.String()),
  installationId: Type.String(),
  /** In full (this is the admin's own page: a typo must be visible), or null while there is no admin email. */
  adminEmail: Nullable(Type.String()),
  adminEmailSource: Nullable(Type.String()),
  /** The email the vendor's customer was created for, in full. */
  registeredEmail: Nullable(Type.String()),
  registeredAt: Nullable(IsoTime),
  /** On a copied or restored database: the instance of the installation it came from, and when that was seen. */
  copiedFromInstanceId: Nullable(Type.String()),
  copiedAt: Nullable(IsoTime),
});

/** Whether this build sends, and where (a source build never sends to the vendor's real endpoint). */
export const SendingSchema = Type.Object({
  releaseBuild: Type.Boolean(),
  sends: Type.Boolean(),
  endpoint: Type.String(),
  /** One sentence, as the start line says it. */
  note: Type.String(),
});

export const TelemetryOverviewSchema = Type.Object({
  enterprise: Type.Boolean(),
  endpoint: Type.String(),
  sending: SendingSchema,
  settings: Type.Object({
    collectionIntervalDays: Type.Integer(),
    uploadIntervalHours: Type.Integer(),
    warningThresholdDays: Type.Integer(),
  }),
  identity: IdentitySchema,
  phase: PhaseSchema,
  leader: Nullable(LeaderSchema),
  lastCollection: Nullable(Type.Object({ at: IsoTime, batchId: Type.String() })),
  lastUpload: Nullable(Type.Object({ at: Nullable(IsoTime) })),
  lastCheckIn: Type.Object({ at: Nullable(IsoTime), error: Nullable(Type.String()) }),
  next: Type.Object({ collectionAt: Nullable(IsoTime), uploadAt: Nullable(IsoTime), checkAt: Nullable(IsoTime) }),
  pendingCount: Type.Integer(),
  backoffUntil: Nullable(IsoTime),
  license: LicenseStatusSchema,
  /** What is wrong, if anything, from the same stored facts as `license` (packages/telemetry/src/diagnosis). */
  diagnosis: DiagnosisSchema,
  /** The newest 20 batches, newest first. */
  recentBatches: Type.Array(BatchSummarySchema),
  /** Failed vendor requests of the last 90 days, newest first (at most 50). */
  recentErrors: Type.Array(RecentErrorSchema),
  /** The last 90 days, oldest first. */
  history: Type.Array(HistoryDaySchema),
});

export const PreviewMetricSchema = Type.Object({
  key: Type.String(),
  value: MetricValueSchema,
  description: Nullable(Type.String()),
});

export const PreviewBatchSchema = Type.Object({
  id: Type.String(),
  collectedAt: IsoTime,
  /** e.g. `POST /application/custom-metrics`. */
  request: Type.String(),
  metrics: Type.Array(PreviewMetricSchema),
});

/** Exactly what the next upload sends: each pending batch as one request, then the check-in. */
export const TelemetryPreviewSchema = Type.Object({
  endpoint: Type.String(),
  adminEmail: Nullable(Type.String()),
  willSend: Type.Boolean(),
  batches: Type.Array(PreviewBatchSchema),
  checkIn: Type.Object({
    request: Type.String(),
    status: Type.Literal('ready'),
    versionLabel: Type.String(),
    instanceName: Type.String(),
  }),
});

/** The file an air-gapped customer hands to the vendor. */
export const TelemetryExportSchema = Type.Object({
  format: Type.Literal('openhands-enterprise-telemetry-export/v1'),
  exportedAt: IsoTime,
  app: Type.Object({ slug: Type.String(), version: Type.String() }),
  customer: Type.Object({ email: Nullable(Type.String()), customerId: Nullable(Type.String()) }),
  instance: Type.Object({
    instanceId: Nullable(Type.String()),
    installationId: Type.String(),
    machineFingerprint: Type.String(),
  }),
  batches: Type.Array(
    Type.Object({ id: Type.String(), collectedAt: IsoTime, data: Type.Record(Type.String(), MetricValueSchema) }),
  ),
});

export const CollectedBatchSchema = Type.Object({
  id: Type.String(),
  collectedAt: IsoTime,
  metrics: Type.Record(Type.String(), MetricValueSchema),
  errors: Type.Array(CollectorErrorSchema),
  durations: Type.Record(Type.String(), Type.Number()),
});

export const CollectNowResultSchema = Type.Object({ batch: CollectedBatchSchema });

export const UploadOutcomeSchema = Type.Union([
  Type.Literal('uploaded'),
  Type.Literal('checked_in'),
  Type.Literal('no_admin_email'),
  Type.Literal('failed'),
  Type.Literal('aborted'),
]);

export const UploadReportSchema = Type.Object({
  outcome: UploadOutcomeSchema,
  requests: Type.Integer(),
  sent: Type.Array(Type.Object({ batchId: Type.String(), collectedAt: IsoTime, metricCount: Type.Integer() })),
  rejected: Type.Array(Type.Object({ batchId: Type.String(), error: Type.String() })),
  failure: Type.Optional(
    Type.Object({ stage: AttemptKindSchema, error: Type.String(), retryAt: Type.Optional(IsoTime) }),
  ),
  checkIn: Type.Union([Type.Literal('sent'), Type.Literal('failed'), Type.Literal('skipped')]),
  /** The stored identity belongs to another installation (a copied database): a new one was made. */
  copyDetected: Type.Optional(Type.Object({ fromInstanceId: Nullable(Type.String()) })),
  /** Upload attempts older than 90 days removed in this cycle. */
  prunedAttempts: Type.Integer(),
});

export const UploadNowResultSchema = Type.Object({ upload: UploadReportSchema });

/** One stored batch with its metrics as sent (the body of the metrics request is `{ data }`). */
export const BatchDetailSchema = Type.Object({
  id: Type.String(),
  collectedAt: IsoTime,
  status: BatchStatusSchema,
  uploadedAt: Nullable(IsoTime),
  /** e.g. `POST /application/custom-metrics`. */
  request: Type.String(),
  data: Type.Record(Type.String(), MetricValueSchema),
  collectorErrors: Type.Array(CollectorErrorSchema),
});

/** Every error of the admin API: a stable code and a sentence for a person. */
export const ApiErrorSchema = Type.Object({ error: Type.String(), message: Type.String() });

export type MetricValue = Static<typeof MetricValueSchema>;
export type TelemetryPhase = Static<typeof PhaseSchema>;
export type BatchStatus = Static<typeof BatchStatusSchema>;
export type AttemptKind = Static<typeof AttemptKindSchema>;
export type CollectorError = Static<typeof CollectorErrorSchema>;
export type LicenseStatusBody = Static<typeof LicenseStatusSchema>;
export type BatchSummary = Static<typeof BatchSummarySchema>;
export type RecentError = Static<typeof RecentErrorSchema>;
export type HistoryDay = Static<typeof HistoryDaySchema>;
export type TelemetryLeader = Static<typeof LeaderSchema>;
export type TelemetryIdentity = Static<typeof IdentitySchema>;
export type Sending = Static<typeof SendingSchema>;
export type TelemetryOverview = Static<typeof TelemetryOverviewSchema>;
export type PreviewMetric = Static<typeof PreviewMetricSchema>;
export type PreviewBatch = Static<typeof PreviewBatchSchema>;
export type TelemetryPreview = Static<typeof TelemetryPreviewSchema>;
export type TelemetryExport = Static<typeof TelemetryExportSchema>;
export type CollectedBatch = Static<typeof CollectedBatchSchema>;
export type CollectNowResult = Static<typeof CollectNowResultSchema>;
export type UploadOutcome = Static<typeof UploadOutcomeSchema>;
export type UploadReport = Static<typeof UploadReportSchema>;
export type UploadNowResult = Static<typeof UploadNowResultSchema>;
export type ApiErrorBody = Static<typeof ApiErrorSchema>;
export type Diagnosis = Static<typeof DiagnosisSchema>;
export type BatchDetail = Static<typeof BatchDetailSchema>;
