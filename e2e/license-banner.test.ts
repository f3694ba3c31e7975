import type { Browser, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, launchBrowser, saveScreenshot } from './support/browser.js';
import { horizontalOverflowPx, iconsAriaHidden, lookOf, storedEntries } from './support/in-page.js';
import { type RunningServer, startServer } from './support/server.js';

const WARNING =
  'Your OpenHands Enterprise license will expire in 26 days. Please contact support if this issue persists.';

// What the banner looks like and does in a real browser, on real pages of the built server. Only
// the license answer is substituted, at the browser's network layer: making the real server warn
// takes days of failed uploads, which the server's own tests cover with an injected clock.
describe('license warning banner in a real browser', () => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    // An admin nobody here signs in as, so that every user of these tests sees the non-admin pages.
    server = await startServer({ env: { OPENHANDS_ADMIN_EMAIL: 'it-team@example.com' } });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function openWarningPage(width: number, height: number): Promise<{ page: Page; errors: string[] }> {
    const context = await browser!.newContext({ baseURL: server!.url, viewport: { width, height } });
    await context.route('**/api/license-status', (route: Route) =>
      route.fulfill({
        status: 200,
        contentType: 'application/json',
        body: JSON.stringify({ warn: true, message: WARNING }),
      }),
    );
    const page = await context.newPage();
    return { page, errors: collectPageErrors(page) };
  }

  it('is a red bar with white text at the very top, dismissed for one page view only', async () => {
    const { page, errors } = await openWarningPage(1280, 800);
    await page.goto('/sign-in');

    const banner = page.getByRole('alert');
    await banner.getByText(WARNING).waitFor();
    const look = await lookOf(banner);
    expect(look).toEqual({ background: 'rgb(185, 28, 28)', color: 'rgb(255, 255, 255)', top: 0, width: 1280 });
    // The warning sign and the dismiss cross are both drawings that screen readers skip.
    expect(await iconsAriaHidden(banner)).toEqual(['true', 'true']);
    await saveScreenshot(page, 'banner-1-sign-in');

    // On every page: through sign-in and the Terms to the conversations, the same bar stays on top.
    await page.getByLabel('Email address').fill('second.user@example.com');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Terms of Service' }).waitFor();
    expect(await banner.textContent()).toContain(WARNING);
    await page.getByRole('button', { name: 'Accept' }).click();
    await page.getByRole('heading', { name: 'Conversations', level: 1 }).waitFor();
    expect(await banner.textContent()).toContain(WARNING);

    await page.getByRole('button', { name: 'Dismiss license warning' }).click();
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(await storedEntries(page)).toBe(0);

    await page.reload();
    await banner.getByText(WARNING).waitFor();
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('fits a 375 px screen on every page', async () => {
    const { page, errors } = await openWarningPage(375, 812);
    await page.goto('/sign-in');
    await page.getByRole('alert').getByText(WARNING).waitFor();
    await saveScreenshot(page, 'banner-2-sign-in-375px');
    await expectNoSidewaysScroll(page);

    await page.getByLabel('Email address').fill('third.user.with.a.long.address@example.com');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Terms of Service' }).waitFor();
    await saveScreenshot(page, 'banner-3-terms-375px');
    await expectNoSidewaysScroll(page);

    await page.getByRole('button', { name: 'Accept' }).click();
    await page.getByRole('heading', { name: 'Conversations', level: 1 }).waitFor();
    await page.getByText('No conversations yet').waitFor();
    await saveScreenshot(page, 'banner-4-conversations-375px');
    await expectNoSidewaysScroll(page);

    // Not the admin: the admin area says so.
    await page.goto('/admin');
    await page.getByRole('heading', { name: 'Admins only' }).waitFor();
    await saveScreenshot(page, 'banner-5-admins-only-375px');
    await expectNoSidewaysScroll(page);

    expect(errors).toEqual([]);
    await page.context().close();
  });
});

async function expectNoSidewaysScroll(page: Page): Promise<void> {
  expect(await horizontalOverflowPx(page)).toBeLessThanOrEqual(0);
}
