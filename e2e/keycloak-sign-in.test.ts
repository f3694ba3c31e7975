import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findLeak } from '../apps/server/test/support/log-capture.js';
import { freePort } from '../scripts/lib/free-port.mjs';
import { type LocalProvider, startLocalProvider } from '../scripts/oidc/local-provider.js';
import { collectPageErrors, launchBrowser, saveScreenshot } from './support/browser.js';
import { type RunningServer, startServer } from './support/server.js';

// An enterprise install as a customer runs it: sign-in only through the Keycloak realm (here a
// real OpenID provider on this machine), against the built server, in Debian's chromium.
describe('Keycloak sign-in in a real browser', () => {
  let provider: LocalProvider | undefined;
  let server: RunningServer | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    provider = await startLocalProvider({
      redirectUris: [`${url}/api/auth/keycloak/callback`],
      postLogoutRedirectUris: [`${url}/sign-in`],
      accounts: {
        alice: { email: 'alice@corp.example', emailVerified: true, name: 'Alice Admin' },
        bob: { email: 'bob@corp.example', emailVerified: true, name: 'Bob User' },
      },
    });
    server = await startServer({ port, env: { GITHUB_APP_CLIENT_ID: 'acme-github-app', ...provider.env } });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await provider?.close();
  });

  /** A fresh browser profile that records uncaught errors and every CSP violation on our pages. */
  async function openContext(): Promise<{ context: BrowserContext; page: Page; errors: string[]; csp: string[] }> {
    const context = await browser!.newContext({ baseURL: server!.url, viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const csp: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) csp.push(`${page.url()}: ${message.text()}`);
    });
    return { context, page, errors: collectPageErrors(page), csp };
  }

  async function signInAtProvider(page: Page, login: string): Promise<void> {
    await page.goto('/');
    await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
    expect(await page.getByLabel('Email address').count()).toBe(0); // no password-less door
    await saveScreenshot(page, 'keycloak-0-sign-in');
    await page.getByRole('link', { name: 'Sign in with Keycloak' }).click();
    // The provider's own login page, on its own origin.
    await page.locator('input[name="login"]').waitFor();
    expect(new URL(page.url()).origin).toBe(provider!.serverUrl);
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill('correct horse battery staple');
    await page.getByRole('button', { name: 'Sign-in' }).click();
  }

  it('signs the admin in through the realm, accepts the Terms, opens the admin area, and signs out for good', async () => {
    const { context, page, errors, csp } = await openContext();
    await signInAtProvider(page, 'alice');
    await page.getByRole('heading', { name: 'Terms of Service' }).waitFor();
    expect(new URL(page.url()).origin).toBe(server!.url);
    await page.getByRole('banner').getByText('alice@corp.example').waitFor();
    await saveScreenshot(page, 'keycloak-1-terms');

    await page.getByRole('button', { name: 'Accept' }).click();
    await page.getByRole('heading', { name: 'Conversations', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('heading', { name: 'Admin', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Open telemetry' }).click();
    await page.waitForURL('**/admin/telemetry');
    await saveScreenshot(page, 'keycloak-2-admin-telemetry');

    const saved = (await context.cookies()).find((cookie) => cookie.name === 'oh_session');
    expect(saved?.httpOnly).toBe(true);
    const replay = { cookie: `oh_session=${saved!.value}` };
    expect((await fetch(`${server!.url}/api/me`, { headers: replay })).status).toBe(200);

    // Sign-out ends the session here and at the provider, which asks, then sends the browser back.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    expect((await fetch(`${server!.url}/api/me`, { headers: replay })).status).toBe(401);

    // The provider's session ended too: signing in again asks for the login again.
    await page.getByRole('link', { name: 'Sign in with Keycloak' }).click();
    await page.locator('input[name="login"]').waitFor();

    expect(errors).toEqual([]);
    expect(csp).toEqual([]);
    await context.close();
  });

  it('keeps a second user, who is not the admin, out of the admin area', async () => {
    const { context, page, errors, csp } = await openContext();
    await signInAtProvider(page, 'bob');
    await page.getByRole('heading', { name: 'Terms of Service' }).waitFor();
    await page.getByRole('button', { name: 'Accept' }).click();
    await page.getByRole('heading', { name: 'Conversations', level: 1 }).waitFor();
    expect(await page.getByRole('link', { name: 'Admin' }).count()).toBe(0);

    await page.goto('/admin/telemetry');
    await page.getByRole('heading', { name: 'Admins only', level: 1 }).waitFor();
    const status = await page.evaluate(async () => (await fetch('/api/admin/telemetry')).status);
    expect(status).toBe(403);
    await saveScreenshot(page, 'keycloak-3-not-admin');

    expect(errors).toEqual([]);
    expect(csp).toEqual([]);
    await context.close();
  });

  it('enforces the CSP: the listener above does see a violation when one happens', async () => {
    const { context, page, csp } = await openContext();
    await page.goto('/sign-in');
    await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
    const ran = await page.evaluate(async () => {
      const planted = document.createElement('script');
      planted.textContent = 'window.__planted = true;';
      document.head.append(planted);
      await new Promise((resolve) => setTimeout(resolve, 50));
      return (window as unknown as { __planted?: boolean }).__planted === true;
    });
    expect(ran).toBe(false);
    await expect.poll(() => csp.length).toBeGreaterThan(0);
    await context.close();
  });

  it("left no email address and no token in the server's log through all of the above", () => {
    const leaks = server!
      .output()
      .split('\n')
      .filter((line) => findLeak(line) !== undefined);
    expect(leaks).toEqual([]);
  });
});
