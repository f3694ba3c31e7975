import { ManualClock } from '@openhands/telemetry/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalProvider, startLocalProvider } from '../../../scripts/oidc/local-provider.js';
import { createLogger } from '../src/http/logger.js';
import { LogCapture } from './support/log-capture.js';
import { loginAtProvider } from './support/oidc-flow.js';
import { createTestApp, sessionCookie, signIn, type TestApp } from './support/test-app.js';

// Each attack of the access issue ("Why"), tried the way an attacker on the same network would,
// against the server as configured for production. Every one must fail, and none with a 500.

const PUBLIC_URL = 'http://openhands.test';
const ADMIN_TOKEN = 'attack-test-admin-token-0123456789';

describe('an attacker against an enterprise install', () => {
  let provider: LocalProvider;
  let t: TestApp;

  beforeAll(async () => {
    provider = await startLocalProvider({
      redirectUris: [`${PUBLIC_URL}/api/auth/keycloak/callback`],
      postLogoutRedirectUris: [`${PUBLIC_URL}/sign-in`],
      accounts: {
        alice: { email: 'alice@corp.example', emailVerified: true },
        mallory: { email: ' ALICE@Corp.Example ', emailVerified: false },
      },
    });
    t = await createTestApp(
      'pglite',
      {
        GITHUB_APP_CLIENT_ID: 'gh-app',
        ...provider.env,
        OPENHANDS_PUBLIC_URL: PUBLIC_URL,
        OPENHANDS_ADMIN_EMAIL: 'alice@corp.example',
        TELEMETRY_ADMIN_TOKEN: ADMIN_TOKEN,
        OPENHANDS_DEV_SIGN_IN: undefined,
      },
      { telemetryClock: new ManualClock(new Date('2026-11-23T12:00:00Z')) },
    );
  });
  afterAll(async () => {
    await t?.close();
    await provider?.close();
  });

  async function keycloakSignIn(login: string): Promise<string> {
    const start = await t.app.inject({ url: '/api/auth/keycloak/login' });
    const pending = start.cookies.find((c) => c.name === 'oh_oidc')!;
    const callback = await loginAtProvider(start.headers.location as string, login, PUBLIC_URL);
    const finish = await t.app.inject({
      url: `${callback.pathname}${callback.search}`,
      headers: { cookie: `oh_oidc=${pending.value}` },
    });
    const cookie = sessionCookie(finish);
    await t.app.inject({ method: 'POST', url: '/api/tos/accept', headers: { cookie } });
    return cookie;
  }

  it('finds no password-less sign-in', async () => {
    for (const email of ['alice@corp.example', ' ALICE@Corp.Example ']) {
      const response = await t.app.inject({ method: 'POST', url: '/api/auth/dev-sign-in', payload: { email } });
      expect(response.statusCode).toBe(404);
      expect(response.cookies.find((c) => c.name === 'oh_session')).toBeUndefined();
    }
  });

  it("cannot take over the admin with ' ALICE@Corp.Example ' registered unverified at Keycloak", async () => {
    const cookie = await keycloakSignIn('mallory');
    expect((await t.app.inject({ url: '/api/me', headers: { cookie } })).json().user.isAdmin).toBe(false);
    for (const url of ['/api/admin/telemetry', '/api/admin/telemetry/export']) {
      const response = await t.app.inject({ url, headers: { cookie } });
      expect(response.statusCode).toBe(403);
    }
  });

  it('cannot write with the admin cookie from another origin (Origin evil, text/plain, Sec-Fetch-Site)', async () => {
    const cookie = await keycloakSignIn('alice');
    const tries = [
      { 'content-type': 'text/plain', origin: 'https://evil.example' },
      { 'content-type': 'application/json', origin: 'https://evil.example' },
      { 'content-type': 'text/plain', 'sec-fetch-site': 'cross-site' },
      { 'content-type': 'application/json', 'sec-fetch-site': 'same-site', origin: 'https://sub.openhands.test' },
      { 'content-type': 'text/plain', origin: 'null' },
    ];
    for (const url of ['/api/tos/accept', '/api/admin/telemetry/upload', '/api/admin/telemetry/collect']) {
      for (const headers of tries) {
        const response = await t.app.inject({
          method: 'POST',
          url,
          headers: { cookie, host: 'openhands.test', ...headers },
          payload: headers['content-type'] === 'text/plain' ? 'x=1' : '{}',
        });
        expect({ url, headers, status: response.statusCode }).toMatchObject({ status: 403 });
        expect(response.json().error).toBe('cross_origin');
      }
    }
    // The same write from the UI's own origin goes through.
    const own = await t.app.inject({
      method: 'POST',
      url: '/api/tos/accept',
      headers: { cookie, host: 'openhands.test', origin: 'http://openhands.test', 'sec-fetch-site': 'same-origin' },
    });
    expect(own.statusCode).toBe(200);
  });

  it('cannot send a cross-site form body even without Origin: text/plain is not accepted', async () => {
    const cookie = await keycloakSignIn('alice');
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/conversations',
      headers: { cookie, 'content-type': 'text/plain' },
      payload: '{"title":"planted"}',
    });
    expect(response.statusCode).toBe(415);
  });

  it('cannot replay a cookie saved before sign-out', async () => {
    const cookie = await keycloakSignIn('alice');
    expect((await t.app.inject({ url: '/api/me', headers: { cookie } })).statusCode).toBe(200);
    await t.app.inject({ method: 'POST', url: '/api/auth/sign-out', headers: { cookie } });
    for (const url of ['/api/me', '/api/conversations', '/api/admin/telemetry']) {
      expect((await t.app.inject({ url, headers: { cookie } })).statusCode).toBe(401);
    }
  });

  it('cannot read /metrics on the public listener', async () => {
    for (const authorization of [undefined, 'Bearer wrong-token', `Basic ${ADMIN_TOKEN}`]) {
      const response = await t.app.inject({ url: '/metrics', headers: authorization ? { authorization } : {} });
      expect(response.statusCode).toBe(404);
      expect(response.body).not.toContain('# TYPE');
    }
    const cookie = await keycloakSignIn('alice'); // not even the admin's cookie
    expect((await t.app.inject({ url: '/metrics', headers: { cookie } })).statusCode).toBe(404);
    const scraper = await t.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(scraper.statusCode).toBe(200);
  });

  it('sees security headers on every answer: pages, API and errors', async () => {
    for (const url of ['/', '/api/me', '/api/nothing-here', '/healthz']) {
      const { headers } = await t.app.inject({ url });
      expect(headers['content-security-policy']).toContain("default-src 'self'");
      expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(headers['x-content-type-options']).toBe('nosniff');
      expect(headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(headers['referrer-policy']).toBe('no-referrer');
    }
  });
});

describe('an attacker forging X-Forwarded-Proto', () => {
  it('cannot switch the Secure flag unless the request comes through a configured proxy', async () => {
    const direct = await createTestApp('pglite', {});
    const proxied = await createTestApp('pglite', { TRUST_PROXY: '10.0.0.0/8' });
    try {
      const forged = await direct.app.inject({
        method: 'POST',
        url: '/api/auth/dev-sign-in',
        headers: { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'evil.example' },
        payload: { email: 'eve@example.com' },
      });
      expect(forged.cookies.find((c) => c.name === 'oh_session')?.secure).toBeFalsy();

      const fromOutside = await proxied.app.inject({
        method: 'POST',
        url: '/api/auth/dev-sign-in',
        remoteAddress: '203.0.113.9',
        headers: { 'x-forwarded-proto': 'https' },
        payload: { email: 'eve@example.com' },
      });
      expect(fromOutside.cookies.find((c) => c.name === 'oh_session')?.secure).toBeFalsy();

      const fromIngress = await proxied.app.inject({
        method: 'POST',
        url: '/api/auth/dev-sign-in',
        remoteAddress: '10.1.2.3',
        headers: { 'x-forwarded-proto': 'https' },
        payload: { email: 'eve@example.com' },
      });
      expect(fromIngress.cookies.find((c) => c.name === 'oh_session')?.secure).toBe(true);
    } finally {
      await direct.close();
      await proxied.close();
    }
  });
});

describe('an attacker sending bad input', () => {
  let t: TestApp;
  let cookie: string;
  beforeAll(async () => {
    t = await createTestApp('pglite', {});
    cookie = await signIn(t.app, 'tester@example.com');
  });
  afterAll(async () => {
    await t?.close();
  });

  const cursorAt = (t: string) => Buffer.from(JSON.stringify({ t, id: 'x' })).toString('base64url');
  const cases: Array<[string, { method?: 'GET' | 'POST'; url: string; payload?: unknown; signedIn?: boolean }]> = [
    ['a NUL in an email', { method: 'POST', url: '/api/auth/dev-sign-in', payload: { email: 'a\u0000b@example.com' } }],
    ['a NUL in a title', { method: 'POST', url: '/api/conversations', payload: { title: 'x\u0000y' }, signedIn: true }],
    [
      'a NUL in a model name',
      { method: 'POST', url: '/api/conversations', payload: { title: 'ok', llmModel: 'gpt\u0000' }, signedIn: true },
    ],
    ['?limit=1e309', { url: '/api/conversations?limit=1e309', signedIn: true }],
    ['?limit=-1', { url: '/api/conversations?limit=-1', signedIn: true }],
    ['?limit=2.5', { url: '/api/conversations?limit=2.5', signedIn: true }],
    [
      'a cursor in year 275760',
      { url: `/api/conversations?cursor=${cursorAt('+275760-09-13T00:00:00.000Z')}`, signedIn: true },
    ],
    [
      'a cursor before 1970',
      { url: `/api/conversations?cursor=${cursorAt('1969-12-31T00:00:00.000Z')}`, signedIn: true },
    ],
    ['a cursor that is not JSON', { url: '/api/conversations?cursor=%00%00', signedIn: true }],
    [
      'an unknown body field',
      { method: 'POST', url: '/api/conversations', payload: { title: 'x', admin: true }, signedIn: true },
    ],
    ['an unknown query field', { url: '/api/conversations?isAdmin=true', signedIn: true }],
    [
      'an unknown sign-in field',
      { method: 'POST', url: '/api/auth/dev-sign-in', payload: { email: 'a@b.co', role: 'admin' } },
    ],
    ['a number for an email', { method: 'POST', url: '/api/auth/dev-sign-in', payload: '{"email": 1e309}' }],
    ['a returnTo with a NUL', { url: '/api/auth/keycloak/login?returnTo=%2F%00' }],
  ];

  it.each(cases)('%s is a 4xx with {error, message}, never a 500', async (_name, request) => {
    const response = await t.app.inject({
      method: request.method ?? 'GET',
      url: request.url,
      headers: { ...(request.signedIn ? { cookie } : {}), 'content-type': 'application/json' },
      ...(request.payload !== undefined ? { payload: request.payload as object | string } : {}),
    });
    expect(response.statusCode).toBeGreaterThanOrEqual(400);
    expect(response.statusCode).toBeLessThan(500);
    expect(Object.keys(response.json()).sort()).toEqual(['error', 'message']);
  });

  it('a user created by the seed who then signs in is that user, not a 500 (duplicate key on email)', async () => {
    await t.db.query(
      `INSERT INTO user_settings (keycloak_user_id, email) VALUES ('6f1c-seeded', 'Seeded.User@Example.com')`,
    );
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/auth/dev-sign-in',
      payload: { email: 'seeded.user@example.com' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().user.email).toBe('Seeded.User@Example.com');
  });
});

describe('a database outage', () => {
  it('answers 503 with Retry-After, not 500', async () => {
    const t = await createTestApp('pglite', {});
    const cookie = await signIn(t.app, 'outage@example.com');
    await t.db.close();
    try {
      for (const url of ['/api/me', '/api/conversations']) {
        const response = await t.app.inject({ url, headers: { cookie } });
        expect(response.statusCode).toBe(503);
        expect(response.headers['retry-after']).toBe('5');
        expect(response.json().error).toBe('database_unavailable');
      }
      expect((await t.app.inject({ url: '/readyz' })).statusCode).toBe(503);
    } finally {
      await t.app.close();
      t.logs.assertNoLeaks();
    }
  });
});

describe('database errors in the log', () => {
  it('carry the code and the constraint, never the parameters or the detail with an email', async () => {
    const t = await createTestApp('pglite', {});
    try {
      await t.db.query(`INSERT INTO user_settings (keycloak_user_id, email) VALUES ('a', 'dup@example.com')`);
      const error = await t.db
        .query(`INSERT INTO user_settings (keycloak_user_id, email) VALUES ($1, $2)`, ['b', 'DUP@example.com'])
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(error).toBeDefined();
      const capture = new LogCapture();
      createLogger('info', capture).error({ err: error }, 'request failed');
      expect(capture.lines).toHaveLength(1);
      expect(capture.leaks).toEqual([]);
      const logged = JSON.parse(capture.lines[0]!).err;
      expect(logged.code).toBe('23505');
      expect(JSON.stringify(logged)).not.toContain('dup@');
      expect(JSON.stringify(logged)).not.toContain('DUP@');
    } finally {
      await t.close();
    }
  });
});
