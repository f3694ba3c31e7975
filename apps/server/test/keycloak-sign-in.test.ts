import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../scripts/lib/free-port.mjs';
import { type LocalProvider, startLocalProvider } from '../../../scripts/oidc/local-provider.js';
import { KeycloakClient } from '../src/auth/keycloak.js';
import { createLogger } from '../src/http/logger.js';
import { loginAtProvider } from './support/oidc-flow.js';
import { createTestApp, sessionCookie, type TestApp } from './support/test-app.js';

// The browser's address of the server under test: the provider sends users back here.
const PUBLIC_URL = 'http://openhands.test';

const ACCOUNTS = {
  alice: { email: 'alice@corp.example', emailVerified: true },
  bob: { email: 'bob@corp.example', emailVerified: true },
  // Registered at Keycloak with Alice's address, never verified it.
  mallory: { email: 'ALICE@Corp.Example', emailVerified: false },
  carol: { email: 'carol@corp.example', emailVerified: false },
};

describe('sign-in through a Keycloak realm (a real OpenID provider on this machine)', () => {
  let provider: LocalProvider;
  let t: TestApp;

  beforeAll(async () => {
    provider = await startLocalProvider({
      redirectUris: [`${PUBLIC_URL}/api/auth/keycloak/callback`],
      postLogoutRedirectUris: [`${PUBLIC_URL}/sign-in`],
      accounts: ACCOUNTS,
    });
    t = await createTestApp('pglite', {
      GITHUB_APP_CLIENT_ID: 'gh-app',
      ...provider.env,
      OPENHANDS_PUBLIC_URL: PUBLIC_URL,
      OPENHANDS_DEV_SIGN_IN: undefined,
    });
  });
  afterAll(async () => {
    await t?.close();
    await provider?.close();
  });

  /** The whole redirect dance: our login route, the provider's login page, our callback. */
  async function signInAs(login: keyof typeof ACCOUNTS, returnTo = '/conversations') {
    const start = await t.app.inject({ url: `/api/auth/keycloak/login?returnTo=${encodeURIComponent(returnTo)}` });
    expect(start.statusCode).toBe(302);
    const pending = start.cookies.find((c) => c.name === 'oh_oidc');
    expect(pending).toBeDefined();
    const callback = await loginAtProvider(start.headers.location as string, login, PUBLIC_URL);
    const finish = await t.app.inject({
      url: `${callback.pathname}${callback.search}`,
      headers: { cookie: `oh_oidc=${pending!.value}` },
    });
    return finish;
  }

  async function me(cookie: string) {
    return t.app.inject({ url: '/api/me', headers: { cookie } });
  }

  it('offers Keycloak and no password-less door on an enterprise install', async () => {
    const options = await t.app.inject({ url: '/api/auth/options' });
    expect(options.json()).toEqual({
      keycloak: { issuer: `${provider.serverUrl}/realms/openhands`, ready: true, problem: null },
      devSignIn: 'off',
    });
    const dev = await t.app.inject({
      method: 'POST',
      url: '/api/auth/dev-sign-in',
      payload: { email: 'alice@corp.example' },
    });
    expect(dev.statusCode).toBe(404);
    expect(dev.json().error).toBe('dev_sign_in_disabled');
  });

  it('sends the browser to the realm with PKCE (S256), a state and a nonce', async () => {
    const start = await t.app.inject({ url: '/api/auth/keycloak/login' });
    const url = new URL(start.headers.location as string);
    expect(`${url.origin}${url.pathname}`).toBe(`${provider.serverUrl}/realms/openhands/auth`);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get('state')).toBeTruthy();
    expect(url.searchParams.get('nonce')).toBeTruthy();
    expect(url.searchParams.get('redirect_uri')).toBe(`${PUBLIC_URL}/api/auth/keycloak/callback`);
    expect(url.searchParams.get('scope')).toBe('openid email profile');
  });

  it('signs Alice in, back to where she was going; her verified email makes her the admin once she accepts the Terms', async () => {
    const finish = await signInAs('alice', '/admin');
    expect(finish.statusCode).toBe(302);
    expect(finish.headers.location).toBe('/admin');
    const cookie = sessionCookie(finish);
    expect((await me(cookie)).json().user).toMatchObject({ email: 'alice@corp.example', isAdmin: false });
    await t.app.inject({ method: 'POST', url: '/api/tos/accept', headers: { cookie } });
    expect((await me(cookie)).json().user).toMatchObject({ email: 'alice@corp.example', isAdmin: true });

    // The same person signing in again is the same user (matched by sub).
    const again = sessionCookie(await signInAs('alice'));
    expect((await me(again)).json().user.id).toBe((await me(cookie)).json().user.id);
  });

  it("never gives Alice's account or admin rights to an unverified claim of her address", async () => {
    const cookie = sessionCookie(await signInAs('mallory'));
    await t.app.inject({ method: 'POST', url: '/api/tos/accept', headers: { cookie } });
    const mallory = (await me(cookie)).json().user;
    expect(mallory.isAdmin).toBe(false);
    expect(mallory.email).toBeNull(); // the address belongs to another user; it is not stored twice
    const admin = await t.app.inject({ url: '/api/admin/telemetry', headers: { cookie } });
    expect([401, 403, 404]).toContain(admin.statusCode);
  });

  it('lets a user with an unverified email in, but never as the admin', async () => {
    const cookie = sessionCookie(await signInAs('carol'));
    await t.app.inject({ method: 'POST', url: '/api/tos/accept', headers: { cookie } });
    expect((await me(cookie)).json().user).toMatchObject({ email: 'carol@corp.example', isAdmin: false });
  });

  it('hands a user created elsewhere (the seed) over to their Keycloak identity, without a 500', async () => {
    await t.db.query(
      `INSERT INTO user_settings (keycloak_user_id, email, email_verified, accepted_tos)
       VALUES ('seed-user-17', 'Bob@Corp.Example', true, now())`,
    );
    await t.db.query(
      `INSERT INTO conversation_metadata (conversation_id, user_id, title) VALUES ('c-bob-1', 'seed-user-17', 'Seeded')`,
    );
    const finish = await signInAs('bob');
    expect(finish.statusCode).toBe(302);
    const cookie = sessionCookie(finish);
    const list = await t.app.inject({ url: '/api/conversations', headers: { cookie } });
    expect(list.json().conversations.map((c: { title: string }) => c.title)).toEqual(['Seeded']);
  });

  it('signs out at the provider too, and the old cookie is refused', async () => {
    const cookie = sessionCookie(await signInAs('alice'));
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/sign-out', headers: { cookie } });
    expect(out.statusCode).toBe(200);
    const logout = new URL(out.json().logoutUrl);
    expect(`${logout.origin}${logout.pathname}`).toBe(`${provider.serverUrl}/realms/openhands/session/end`);
    expect(logout.searchParams.get('post_logout_redirect_uri')).toBe(`${PUBLIC_URL}/sign-in`);
    expect(logout.searchParams.get('id_token_hint')).toBeTruthy();
    expect((await me(cookie)).statusCode).toBe(401);
  });

  it('sends a callback without its sign-in cookie (another browser, a replay) back to the sign-in page', async () => {
    const start = await t.app.inject({ url: '/api/auth/keycloak/login' });
    const callback = await loginAtProvider(start.headers.location as string, 'alice', PUBLIC_URL);
    const finish = await t.app.inject({ url: `${callback.pathname}${callback.search}` });
    expect(finish.statusCode).toBe(302);
    expect(finish.headers.location).toMatch(/^\/sign-in\?error=/);
    expect(finish.cookies.find((c) => c.name === 'oh_session')).toBeUndefined();
  });

  it('never redirects off the server after sign-in (no open redirect)', async () => {
    for (const returnTo of ['https://evil.example/', '//evil.example/x', '/\\evil.example']) {
      const finish = await signInAs('bob', returnTo);
      expect(finish.headers.location).toBe('/');
    }
  });
});

describe('an unreachable Keycloak', () => {
  it('does not stop the server: /readyz is about the database, sign-in answers 503 naming the issuer', async () => {
    const t = await createTestApp('pglite', {
      GITHUB_APP_CLIENT_ID: 'gh-app',
      KEYCLOAK_SERVER_URL: 'http://127.0.0.1:9',
      KEYCLOAK_REALM_NAME: 'acme',
      KEYCLOAK_CLIENT_ID: 'openhands',
      OPENHANDS_DEV_SIGN_IN: undefined,
    });
    try {
      expect((await t.app.inject({ url: '/readyz' })).statusCode).toBe(200);
      const login = await t.app.inject({ url: '/api/auth/keycloak/login' });
      expect(login.statusCode).toBe(503);
      expect(login.json()).toMatchObject({ error: 'sign_in_unavailable' });
      expect(login.json().message).toContain('http://127.0.0.1:9/realms/acme');
      const options = (await t.app.inject({ url: '/api/auth/options' })).json();
      expect(options.keycloak.ready).toBe(false);
      expect(options.devSignIn).toBe('off');
    } finally {
      await t.close();
    }
  });
});

describe('a Keycloak that comes up after the server', () => {
  it('is found at the first sign-in after the retry pause, without a restart', async () => {
    const port = await freePort();
    let nowMs = Date.parse('2026-11-23T12:00:00Z');
    const client = new KeycloakClient(
      { issuer: `http://127.0.0.1:${port}/realms/openhands`, clientId: 'openhands', clientSecret: undefined },
      createLogger('silent'),
      () => nowMs,
    );
    await expect(client.ready()).rejects.toMatchObject({ statusCode: 503, code: 'sign_in_unavailable' });
    const provider = await startLocalProvider({ port, redirectUris: [], postLogoutRedirectUris: [], accounts: {} });
    try {
      nowMs += 4_000; // within the pause: the last answer stands, the provider is not asked
      await expect(client.ready()).rejects.toMatchObject({ statusCode: 503 });
      nowMs += 1_000;
      const configuration = await client.ready();
      expect(configuration.serverMetadata().issuer).toBe(`http://127.0.0.1:${port}/realms/openhands`);
    } finally {
      await provider.close();
    }
  });
});
