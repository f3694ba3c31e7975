/**
 * The telemetry engine. `createTelemetry()` returns its three parts: the sender (the one writer),
 * the commands (admin actions, run by the sender) and the queries (read-only answers). The host
 * gives it a HostPort of facts; it never reads the environment. The admin API's schemas and
 * types are also in `@openhands/telemetry/api`, a small entry the web app imports.
 */
export * from './collection/index.js';
export { Commands, type CommandsOptions, TelemetryCommandError } from './commands/commands.js';
export {
  BOOTSTRAP_CHECK_INTERVAL_MS,
  DEFAULT_REPLICATED_API_URL,
  IS_RELEASE_BUILD,
  NORMAL_CHECK_INTERVAL_MS,
  PLACEHOLDER_PUBLISHABLE_KEY,
  REPLICATED_APP_SLUG,
  REPLICATED_PUBLISHABLE_KEY,
} from './config/constants.js';
export {
  DEFAULT_TELEMETRY_SETTINGS,
  type TelemetryHostSettings,
  type TelemetrySettings,
} from './config/settings.js';
export { type CreateTelemetryOptions, createTelemetry, type Telemetry } from './create-telemetry.js';
export { type Diagnosis, type DiagnosisFacts, diagnose } from './diagnosis/index.js';
export type { AdminEmail, HostPort } from './host/host-port.js';
export { LicenseStatusCache } from './http/license-cache.js';
export { type TelemetryPluginOptions, telemetryPlugin } from './http/telemetry-plugin.js';
export {
  expiresInMessage,
  LICENSE_EXPIRED,
  type LicenseInputs,
  type LicenseStatus,
  licenseDetails,
  licenseDetailsAt,
  licenseStatus,
  licenseStatusReplayed,
  NO_WARNING,
  VERIFICATION_PENDING,
} from './license/license-state.js';
export { type Logger, maskEmail } from './log/logger.js';
export { telemetryMigrations } from './migrations.js';
export { Queries } from './queries/queries.js';
export { backoffDelayMs } from './schedule/backoff.js';
export {
  checkIntervalMs,
  isBackingOff,
  isCollectionDue,
  isHeartbeatDue,
  isUploadDue,
  nextCheckDelayMs,
  nextCollectionAt,
  nextUploadAt,
  type Phase,
  phaseOf,
} from './schedule/rules.js';
export type { TelemetryEventName, TelemetryEvents } from './sender/events.js';
export { Sender, type SenderStatus, type TickReport } from './sender/sender.js';
export type { ScheduleState } from './storage/schedule-state.js';
export { type Clock, systemClock, type TimerHandle } from './time/clock.js';
export { type SendingPolicy, sendingPolicy } from './upload/release-guard.js';
export type { UploadCycleReport } from './upload/upload-cycle.js';
