/**
 * The schedule and the vendor endpoint, as the host read them from its own configuration (the
 * engine never reads the environment; see apps/server/src/telemetry/settings.ts for the parsing).
 */
export interface TelemetryHostSettings {
  collectionIntervalDays: number;
  uploadIntervalHours: number;
  warningThresholdDays: number;
  /** The vendor endpoint; a local emulator in development and tests. */
  replicatedApiUrl: string;
  /** A bearer token that opens the admin API to automation, when set. */
  adminToken: string | undefined;
}

/** The settings the engine decides from: the host's settings plus the host's enterprise fact. */
export interface TelemetrySettings extends TelemetryHostSettings {
  isEnterprise: boolean;
}

/** The defaults, for hosts that take no configuration. */
export const DEFAULT_TELEMETRY_SETTINGS = {
  collectionIntervalDays: 7,
  uploadIntervalHours: 24,
  warningThresholdDays: 4,
} as const;
