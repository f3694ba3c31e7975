import { DEFAULT_REPLICATED_API_URL } from './constants.js';

export type Env = Readonly<Record<string, string | undefined>>;

export interface TelemetrySettings {
  collectionIntervalDays: number;
  uploadIntervalHours: number;
  warningThresholdDays: number;
  /** The vendor endpoint; a local emulator in development and tests. */
  replicatedApiUrl: string;
  /** A bearer token that opens the admin API to automation, when set. */
  adminToken: string | undefined;
  /** GITHUB_APP_CLIENT_ID, KEYCLOAK_SERVER_URL and KEYCLOAK_REALM_NAME all set (design §4.4.1). */
  isEnterprise: boolean;
}

/** A setting that was ignored, and why: logged at start by name and value. */
export interface SettingProblem {
  name: string;
  value: string;
  problem: string;
}

const DEFAULTS = { collectionIntervalDays: 7, uploadIntervalHours: 24, warningThresholdDays: 4 };

/**
 * Reads the telemetry settings. A bad value never stops the server: it is reported and the
 * default used, because an operator's typo must not take the product down (DECISIONS §4).
 */
export function readTelemetrySettings(env: Env): { settings: TelemetrySettings; problems: SettingProblem[] } {
  const problems: SettingProblem[] = [];
  const positiveInt = (name: string, fallback: number, max: number): number => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > max) {
      problems.push({ name, value: raw, problem: `must be a whole number from 1 to ${max}; using ${fallback}` });
      return fallback;
    }
    return Number(raw);
  };
  const apiUrl = env.REPLICATED_API_URL?.trim() || DEFAULT_REPLICATED_API_URL;
  let replicatedApiUrl = apiUrl;
  if (!/^https?:\/\/[^\s/]+/.test(apiUrl)) {
    problems.push({
      name: 'REPLICATED_API_URL',
      value: apiUrl,
      problem: `must be an http(s) URL; using ${DEFAULT_REPLICATED_API_URL}`,
    });
    replicatedApiUrl = DEFAULT_REPLICATED_API_URL;
  }
  const nonEmpty = (name: string) => !!env[name]?.trim();
  return {
    settings: {
      collectionIntervalDays: positiveInt('TELEMETRY_COLLECTION_INTERVAL_DAYS', DEFAULTS.collectionIntervalDays, 365),
      uploadIntervalHours: positiveInt('TELEMETRY_UPLOAD_INTERVAL_HOURS', DEFAULTS.uploadIntervalHours, 24 * 30),
      warningThresholdDays: positiveInt('TELEMETRY_WARNING_THRESHOLD_DAYS', DEFAULTS.warningThresholdDays, 365),
      replicatedApiUrl: replicatedApiUrl.replace(/\/+$/, ''),
      adminToken: env.TELEMETRY_ADMIN_TOKEN?.trim() || undefined,
      isEnterprise:
        nonEmpty('GITHUB_APP_CLIENT_ID') && nonEmpty('KEYCLOAK_SERVER_URL') && nonEmpty('KEYCLOAK_REALM_NAME'),
    },
    problems,
  };
}
