import { describe, expect, it } from 'vitest';
import { loadAccessConfig } from '../src/config/access-config.js';
import { ConfigError } from '../src/config/errors.js';
import { startMetricsListener } from '../src/http/metrics-access.js';
import { createTestApp } from './support/test-app.js';

const ENTERPRISE = {
  GITHUB_APP_CLIENT_ID: 'gh',
  KEYCLOAK_SERVER_URL: 'https://sso.acme.example',
  KEYCLOAK_REALM_NAME: 'acme',
};

describe('who may use the development sign-in', () => {
  it.each([
    ['nothing set (a development install)', {}, 'open'],
    [
      'two of the three enterprise settings',
      { GITHUB_APP_CLIENT_ID: 'gh', KEYCLOAK_SERVER_URL: 'https://sso' },
      'open',
    ],
    ['an enterprise install', ENTERPRISE, 'off'],
    ['an enterprise install with blank flag', { ...ENTERPRISE, OPENHANDS_DEV_SIGN_IN: ' ' }, 'off'],
    ['an enterprise install with the flag false', { ...ENTERPRISE, OPENHANDS_DEV_SIGN_IN: 'false' }, 'off'],
    ['an enterprise install with the flag true', { ...ENTERPRISE, OPENHANDS_DEV_SIGN_IN: 'true' }, 'flagged'],
    ['an enterprise install with the flag TRUE', { ...ENTERPRISE, OPENHANDS_DEV_SIGN_IN: 'TRUE' }, 'flagged'],
  ])('%s: %s', (_name, env, expected) => {
    expect(loadAccessConfig(env).devSignIn).toBe(expected);
  });
});

describe('the Keycloak client settings', () => {
  it('builds the realm issuer, without a doubled slash, once the client id is set too', () => {
    expect(loadAccessConfig(ENTERPRISE).keycloak).toBeUndefined();
    expect(
      loadAccessConfig({ ...ENTERPRISE, KEYCLOAK_SERVER_URL: 'https://sso.acme.example/', KEYCLOAK_CLIENT_ID: 'oh' })
        .keycloak,
    ).toEqual({ issuer: 'https://sso.acme.example/realms/acme', clientId: 'oh', clientSecret: undefined });
    expect(
      loadAccessConfig({
        ...ENTERPRISE,
        KEYCLOAK_SERVER_URL: 'https://sso.acme.example/auth',
        KEYCLOAK_CLIENT_ID: 'oh',
        KEYCLOAK_CLIENT_SECRET: 's3',
      }).keycloak,
    ).toEqual({ issuer: 'https://sso.acme.example/auth/realms/acme', clientId: 'oh', clientSecret: 's3' });
  });
});

describe('settings the server refuses, naming the setting', () => {
  it.each([
    ['TRUST_PROXY', { TRUST_PROXY: 'true' }],
    ['TRUST_PROXY', { TRUST_PROXY: '10.0.0.0/33' }],
    ['TRUST_PROXY', { TRUST_PROXY: 'proxy.internal' }],
    ['METRICS_PORT', { METRICS_PORT: '65536' }],
    ['METRICS_PORT', { METRICS_PORT: '94a' }],
    ['OPENHANDS_DEV_SIGN_IN', { OPENHANDS_DEV_SIGN_IN: 'yes please' }],
    ['OPENHANDS_PUBLIC_URL', { OPENHANDS_PUBLIC_URL: 'openhands.example.com' }],
    ['SESSION_IDLE_TIMEOUT_MINUTES', { SESSION_IDLE_TIMEOUT_MINUTES: '0' }],
    ['SESSION_MAX_AGE_HOURS', { SESSION_MAX_AGE_HOURS: '1e3' }],
    ['KEYCLOAK_SERVER_URL', { ...ENTERPRISE, KEYCLOAK_SERVER_URL: 'sso.acme.example', KEYCLOAK_CLIENT_ID: 'oh' }],
    ['KEYCLOAK_REALM_NAME', { ...ENTERPRISE, KEYCLOAK_REALM_NAME: 'a/../b', KEYCLOAK_CLIENT_ID: 'oh' }],
  ])('%s in %o', (name, env) => {
    expect(() => loadAccessConfig(env)).toThrow(ConfigError);
    expect(() => loadAccessConfig(env)).toThrow(new RegExp(`^${name} `));
  });

  it('takes hops and CIDR lists for TRUST_PROXY, off by default', () => {
    expect(loadAccessConfig({}).trustProxy).toBe(false);
    expect(loadAccessConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadAccessConfig({ TRUST_PROXY: '10.0.0.0/8, 192.168.1.7,fd00::/8' }).trustProxy).toEqual([
      '10.0.0.0/8',
      '192.168.1.7',
      'fd00::/8',
    ]);
    expect(loadAccessConfig({}).metricsPort).toBe(9464);
  });
});

describe('an operator who switches the development sign-in on for an enterprise install', () => {
  it('is warned in the log at start', async () => {
    const t = await createTestApp('pglite', { ...ENTERPRISE, OPENHANDS_DEV_SIGN_IN: 'true' });
    try {
      const warnings = t.logs.lines.map((line) => JSON.parse(line)).filter((entry) => entry.level === 40);
      expect(warnings.map((entry) => entry.msg)).toContainEqual(
        expect.stringMatching(/^OPENHANDS_DEV_SIGN_IN=true: anyone/),
      );
    } finally {
      await t.close();
    }
  });
});

describe('the metrics listener (METRICS_PORT)', () => {
  it('serves /metrics and nothing else', async () => {
    const listener = await startMetricsListener({
      port: 0,
      host: '127.0.0.1',
      text: async () => '# TYPE openhands_up gauge\nopenhands_up 1\n',
    });
    try {
      const base = `http://127.0.0.1:${listener.port}`;
      const metrics = await fetch(`${base}/metrics`);
      expect(metrics.status).toBe(200);
      expect(metrics.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
      expect(await metrics.text()).toBe('# TYPE openhands_up gauge\nopenhands_up 1\n');
      for (const path of ['/', '/api/me', '/api/admin/telemetry', '/healthz']) {
        expect((await fetch(`${base}${path}`)).status).toBe(404);
      }
    } finally {
      await listener.close();
    }
  });
});
