export * from './collection/index.js';
export {
  BOOTSTRAP_CHECK_INTERVAL_MS,
  DEFAULT_REPLICATED_API_URL,
  NORMAL_CHECK_INTERVAL_MS,
  REPLICATED_APP_SLUG,
  REPLICATED_PUBLISHABLE_KEY,
} from './config/constants.js';
export { type Env, readTelemetrySettings, type SettingProblem, type TelemetrySettings } from './config/settings.js';
export { LicenseStatusCache } from './http/license-cache.js';
export { type TelemetryPluginOptions, telemetryPlugin } from './http/telemetry-plugin.js';
export {
  expiresInMessage,
  LICENSE_EXPIRED,
  type LicenseInputs,
  type LicenseStatus,
  licenseStatus,
  NO_WARNING,
  VERIFICATION_PENDING,
} from './license/license-state.js';
export { telemetryMigrations } from './migrations.js';
export { backoffDelayMs } from './schedule/backoff.js';
export {
  checkIntervalMs,
  isCollectionDue,
  isUploadDue,
  nextCheckDelayMs,
  nextCollectionAt,
  nextUploadAt,
  type Phase,
  phaseOf,
} from './schedule/rules.js';
export type { HistoryDay, TelemetryOverview } from './service/admin-view.js';
export type { TelemetryEventName, TelemetryEvents } from './service/events.js';
export { type Logger, maskEmail } from './service/logger.js';
export { metricDescriber } from './service/metric-descriptions.js';
export {
  type TelemetryHost,
  TelemetryService,
  type TelemetryServiceOptions,
  type TickReport,
} from './service/telemetry-service.js';
export type { ScheduleState } from './storage/schedule-state.js';
export { type Clock, systemClock, type TimerHandle } from './time/clock.js';
export type { UploadCycleReport } from './upload/upload-cycle.js';
