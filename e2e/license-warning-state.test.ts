import { type Emulator, startEmulator } from '@openhands/replicated/emulator';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, launchBrowser, saveScreenshot } from './support/browser.js';
import { storedEntries } from './support/in-page.js';
import { type RunningServer, startServer } from './support/server.js';
import { createServerDatabase, ENTERPRISE_ENV, type ServerDatabase } from './support/telemetry-db.js';

const ADMIN = 'it-admin@acme.example';
const TOKEN = 'e2e-admin-token-0123456789';
const PENDING = /license verification pending/i;
const HOUR_MS = 3_600_000;

interface Sent {
  batchId: string;
  collectedAt: string;
}

// The banner with nothing substituted: a real server on a real PostgreSQL whose only batch was
// collected five days ago and never reached the vendor, because the vendor (the emulator) answers
// every request with 503. Then the vendor comes back, an upload goes through, and the page's next
// hourly poll (reached with the browser's clock) removes the banner.
describe('license warning from a real warning state', () => {
  let database: ServerDatabase | undefined;
  let emulator: Emulator | undefined;
  let server: RunningServer | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    database = await createServerDatabase();
    await database.db.query(
      `INSERT INTO telemetry_metrics (collected_at, metrics_data) VALUES (now() - interval '5 days', '{"total_users": 1}')`,
    );
    emulator = await startEmulator();
    emulator.injectFaults({ kind: 'status', status: 503, count: 10_000 });
    server = await startServer({
      databaseUrl: database.url,
      env: {
        ...ENTERPRISE_ENV,
        REPLICATED_API_URL: emulator.url,
        OPENHANDS_ADMIN_EMAIL: ADMIN,
        TELEMETRY_ADMIN_TOKEN: TOKEN,
      },
    });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await emulator?.close();
    await database?.drop();
  });

  async function expectBanner(page: Page): Promise<void> {
    await page.getByRole('alert').filter({ hasText: PENDING }).waitFor({ timeout: 10_000 });
  }

  it('shows on every page, is dismissed for one page view, and goes once an upload succeeds', async () => {
    const context = await browser!.newContext({ baseURL: server!.url, viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const errors = collectPageErrors(page);
    const licenseChecks: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/api/license-status') licenseChecks.push(request.url());
    });
    // Before the first page loads, so that every timer of the app runs on this clock.
    await page.clock.install();

    await page.goto('/sign-in');
    await page.getByRole('heading', { name: 'Development sign-in' }).waitFor();
    await expectBanner(page);
    await saveScreenshot(page, 'warning-1-sign-in');

    await page.getByLabel('Email address').fill(ADMIN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Terms of Service' }).waitFor();
    await expectBanner(page);

    await page.getByRole('button', { name: 'Accept' }).click();
    await page.getByRole('heading', { name: 'Conversations', level: 1 }).waitFor();
    await expectBanner(page);

    // The admin's banner leads to the diagnosis, which says why: the vendor's service fails.
    await page.getByRole('alert').getByRole('link', { name: 'See details' }).click();
    await page.getByRole('heading', { name: 'Telemetry', level: 2 }).waitFor();
    await expectBanner(page);
    const diagnosis = page.getByRole('region', { name: "The vendor's service is failing" });
    await diagnosis.getByText('Every user sees the license warning (verification pending)').waitFor();
    expect(await diagnosis.textContent()).toContain('HTTP 503');
    await page
      .getByRole('list', { name: 'Last errors, newest first' })
      .getByText(/HTTP 503/)
      .first()
      .waitFor();
    await saveScreenshot(page, 'warning-2-admin-telemetry');

    await page.getByRole('link', { name: 'OpenHands Enterprise' }).click();
    await page.getByRole('heading', { name: 'Conversations', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Dismiss license warning' }).click();
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(await storedEntries(page)).toBe(0);

    await page.reload();
    await page.getByRole('heading', { name: 'Conversations', level: 1 }).waitFor();
    await expectBanner(page);
    await saveScreenshot(page, 'warning-3-conversations');

    // The vendor is back: an upload (as automation would run it) sends the five-day-old batch.
    emulator!.reset();
    const response = await fetch(`${server!.url}/api/admin/telemetry/upload`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(response.status).toBe(200);
    const { upload } = (await response.json()) as { upload: { outcome: string; checkIn: string; sent: Sent[] } };
    expect(upload).toMatchObject({ outcome: 'uploaded', checkIn: 'sent' });
    // Oldest first: the five-day-old batch (then whatever the server collected since it started).
    expect(Date.now() - Date.parse(upload.sent[0]!.collectedAt)).toBeGreaterThan(4 * 24 * HOUR_MS);
    const vendor = emulator!.state();
    expect(vendor.customers.map((customer) => customer.email)).toEqual([ADMIN]);
    const metricRequests = vendor.requests.filter((request) => request.path === '/application/custom-metrics');
    expect(metricRequests.map((request) => request.status)).toEqual(upload.sent.map(() => 200));
    expect(vendor.events.find((event) => event.key === 'total_users')).toMatchObject({ previous: null, value: 1 });
    expect(await (await fetch(`${server!.url}/api/license-status`)).json()).toEqual({ warn: false, message: '' });

    // The open page learns it at its next hourly poll, not before.
    expect(await page.getByRole('alert').count()).toBe(1);
    const polls = licenseChecks.length;
    await page.clock.runFor(HOUR_MS);
    await page.getByRole('alert').waitFor({ state: 'detached', timeout: 10_000 });
    expect(licenseChecks.length).toBe(polls + 1);
    expect(await page.getByRole('heading', { name: 'Conversations', level: 1 }).count()).toBe(1);

    expect(errors).toEqual([]);
    await context.close();
  });
});
