import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, launchBrowser, saveScreenshot } from './support/browser.js';
import { horizontalOverflowPx } from './support/in-page.js';
import { type RunningServer, startServer } from './support/server.js';

// The first run of a new installation, as its first user lives it: sign in, accept the Terms,
// start a conversation and find it in the list, against the built server on a fresh database.
describe('first run in a real browser', () => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function openPage(width: number, height: number): Promise<{ page: Page; errors: string[] }> {
    const context = await browser!.newContext({ baseURL: server!.url, viewport: { width, height } });
    const page = await context.newPage();
    return { page, errors: collectPageErrors(page) };
  }

  it('signs in, accepts the Terms, starts a conversation and sees it in the list', async () => {
    const { page, errors } = await openPage(1280, 800);

    await page.goto('/');
    await page.getByRole('heading', { name: 'Development sign-in' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await saveScreenshot(page, 'first-run-1-sign-in');

    await page.getByLabel('Email address').fill('first.admin@example.com');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Terms of Service' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/terms');
    await expectText(page.getByRole('banner'), 'first.admin@example.com');
    await saveScreenshot(page, 'first-run-2-terms');

    await page.getByRole('button', { name: 'Accept' }).click();
    await page.getByRole('heading', { name: 'Conversations', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/conversations');
    await page.getByText('No conversations yet').waitFor();

    await page.getByLabel('Title').fill('Fix the flaky login test');
    await page.getByLabel('Model').selectOption({ label: 'GPT-5' });
    await page.getByRole('button', { name: 'Start conversation' }).click();

    const list = page.getByRole('list', { name: 'Your conversations' });
    await list.getByText('Fix the flaky login test').waitFor();
    const items = list.getByRole('listitem');
    expect(await items.count()).toBe(1);
    await expectText(items.first(), 'GPT-5');
    await saveScreenshot(page, 'first-run-3-conversations');

    // It is stored, not just shown: a reload (a new page view, a new session check) still lists it.
    await page.reload();
    await list.getByText('Fix the flaky login test').waitFor();

    // The first user to accept the Terms is the installation's admin (no OPENHANDS_ADMIN_EMAIL here).
    await page.getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('heading', { name: 'Admin', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Open telemetry' }).waitFor();
    await saveScreenshot(page, 'first-run-4-admin');
    await page.getByRole('link', { name: 'OpenHands Enterprise' }).click();
    await list.getByText('Fix the flaky login test').waitFor();

    await page.setViewportSize({ width: 375, height: 812 });
    await saveScreenshot(page, 'first-run-5-conversations-375px');
    expect(await horizontalOverflowPx(page)).toBeLessThanOrEqual(0);

    expect(errors).toEqual([]);
    await page.context().close();
  });
});

async function expectText(locator: ReturnType<Page['locator']>, text: string): Promise<void> {
  expect(await locator.textContent()).toContain(text);
}
