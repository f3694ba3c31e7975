import {
  DEFAULT_REPLICATED_API_URL,
  DEFAULT_TELEMETRY_SETTINGS,
  type TelemetryHostSettings,
} from '@openhands/telemetry';

export type Env = Readonly<Record<string, string | undefined>>;

/** A setting that was ignored, and why: logged at start by name and value. */
export interface SettingProblem {
  name: string;
  value: string;
  problem: string;
}

/**
 * Reads the telemetry settings from the host's environment (the engine never sees it). A bad
 * value never stops the server: it is reported and the default used, because an operator's typo
 * must not take the product down (DECISIONS §4).
 */
export function readTelemetrySettings(env: Env): { settings: TelemetryHostSettings; problems: SettingProblem[] } {
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
  const defaults = DEFAULT_TELEMETRY_SETTINGS;
  return {
    settings: {
      collectionIntervalDays: positiveInt('TELEMETRY_COLLECTION_INTERVAL_DAYS', defaults.collectionIntervalDays, 365),
      uploadIntervalHours: positiveInt('TELEMETRY_UPLOAD_INTERVAL_HOURS', defaults.uploadIntervalHours, 24 * 30),
      warningThresholdDays: positiveInt('TELEMETRY_WARNING_THRESHOLD_DAYS', defaults.warningThresholdDays, 365),
      replicatedApiUrl: replicatedApiUrl.replace(/\/+$/, ''),
      adminToken: env.TELEMETRY_ADMIN_TOKEN?.trim() || undefined,
    },
    problems,
  };
}

/** The host's enterprise rule (design §4.4.1): GitHub App and Keycloak both configured. */
export function isEnterpriseInstall(env: Env): boolean {
  const set = (name: string) => !!env[name]?.trim();
  return set('GITHUB_APP_CLIENT_ID') && set('KEYCLOAK_SERVER_URL') && set('KEYCLOAK_REALM_NAME');
}

/** What the collectors may know of the host's configuration: facts, never the values themselves. */
export function collectorFacts(env: Env): Record<string, boolean> {
  const set = (name: string) => !!env[name]?.trim();
  return {
    githubAppConfigured: set('GITHUB_APP_CLIENT_ID'),
    keycloakConfigured: set('KEYCLOAK_SERVER_URL') && set('KEYCLOAK_REALM_NAME'),
  };
}
