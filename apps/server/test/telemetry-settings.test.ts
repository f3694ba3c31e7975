import { DEFAULT_REPLICATED_API_URL } from '@openhands/telemetry';
import { describe, expect, it } from 'vitest';
import { collectorFacts, isEnterpriseInstall, readTelemetrySettings } from '../src/telemetry/settings.js';

describe('the telemetry settings', () => {
  it('defaults to 7 days, 24 hours and 4 days, the vendor endpoint and no admin token', () => {
    const { settings, problems } = readTelemetrySettings({});
    expect(settings).toEqual({
      collectionIntervalDays: 7,
      uploadIntervalHours: 24,
      warningThresholdDays: 4,
      replicatedApiUrl: DEFAULT_REPLICATED_API_URL,
      adminToken: undefined,
    });
    expect(problems).toEqual([]);
  });

  it('reads valid values, ignoring blanks around them', () => {
    const { settings } = readTelemetrySettings({
      TELEMETRY_COLLECTION_INTERVAL_DAYS: ' 14 ',
      TELEMETRY_UPLOAD_INTERVAL_HOURS: '12',
      TELEMETRY_WARNING_THRESHOLD_DAYS: '10',
      REPLICATED_API_URL: 'http://127.0.0.1:8787/',
      TELEMETRY_ADMIN_TOKEN: ' s3cret ',
    });
    expect(settings).toMatchObject({
      collectionIntervalDays: 14,
      uploadIntervalHours: 12,
      warningThresholdDays: 10,
      replicatedApiUrl: 'http://127.0.0.1:8787',
      adminToken: 's3cret',
    });
  });

  const bad: Array<[string, string, string]> = [
    ['TELEMETRY_COLLECTION_INTERVAL_DAYS', 'seven', 'must be a whole number from 1 to 365; using 7'],
    ['TELEMETRY_COLLECTION_INTERVAL_DAYS', '0', 'must be a whole number from 1 to 365; using 7'],
    ['TELEMETRY_COLLECTION_INTERVAL_DAYS', '-3', 'must be a whole number from 1 to 365; using 7'],
    ['TELEMETRY_UPLOAD_INTERVAL_HOURS', '1.5', 'must be a whole number from 1 to 720; using 24'],
    ['TELEMETRY_UPLOAD_INTERVAL_HOURS', '100000', 'must be a whole number from 1 to 720; using 24'],
    ['TELEMETRY_WARNING_THRESHOLD_DAYS', '4d', 'must be a whole number from 1 to 365; using 4'],
    ['REPLICATED_API_URL', 'replicated.app', 'must be an http(s) URL; using https://replicated.app'],
  ];
  it.each(bad)('reports %s=%s by name and value and uses the default', (name, value, problem) => {
    const { settings, problems } = readTelemetrySettings({ [name]: value });
    expect(problems).toEqual([{ name, value, problem }]);
    expect(settings).toMatchObject(readTelemetrySettings({}).settings);
  });

  it('calls an install OpenHands Enterprise only when all three enterprise settings are set', () => {
    const all = { GITHUB_APP_CLIENT_ID: 'a', KEYCLOAK_SERVER_URL: 'b', KEYCLOAK_REALM_NAME: 'c' };
    expect(isEnterpriseInstall(all)).toBe(true);
    for (const missing of Object.keys(all)) {
      expect(isEnterpriseInstall({ ...all, [missing]: '' })).toBe(false);
      expect(isEnterpriseInstall({ ...all, [missing]: '   ' })).toBe(false);
    }
  });

  it('gives the collectors facts about the SSO settings, never their values; blank settings are unset', () => {
    for (const [env, githubAppConfigured, keycloakConfigured] of [
      [{}, false, false],
      [{ GITHUB_APP_CLIENT_ID: '  ', KEYCLOAK_SERVER_URL: 'https://sso' }, false, false],
      [{ KEYCLOAK_SERVER_URL: 'https://sso', KEYCLOAK_REALM_NAME: '' }, false, false],
      [{ GITHUB_APP_CLIENT_ID: 'x', KEYCLOAK_SERVER_URL: 'https://sso', KEYCLOAK_REALM_NAME: 'oh' }, true, true],
    ] as const) {
      expect(collectorFacts(env)).toEqual({ githubAppConfigured, keycloakConfigured });
    }
  });
});
