import { readFile } from 'node:fs/promises';
import { type Emulator, startEmulator } from '@openhands/replicated/emulator';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, launchBrowser, saveScreenshot } from './support/browser.js';
import { elementsPastRightEdge, horizontalOverflowPx } from './support/in-page.js';
import { type RunningServer, startServer } from './support/server.js';
import {
  createServerDatabase,
  ENTERPRISE_ENV,
  type ServerDatabase,
  seedReportingHistory,
} from './support/telemetry-db.js';
import { waitUntil } from './support/wait.js';

const ADMIN = 'ada.lovelace@acme.example';

interface CollectAnswer {
  batch: { id: string; collectedAt: string; metrics: Record<string, string | number | boolean> };
}

// The admin telemetry page on the built server, fed by the real admin API: an installation with three
// months of reporting behind it (one week-long outage), whose first user becomes the admin by accepting
// the Terms. Collect now and Upload now go through the real sender to the emulated vendor.
describe('admin telemetry page in a real browser', () => {
  let database: ServerDatabase | undefined;
  let emulator: Emulator | undefined;
  let server: RunningServer | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    database = await createServerDatabase();
    await seedReportingHistory(database.db, new Date());
    emulator = await startEmulator();
    server = await startServer({
      databaseUrl: database.url,
      env: { ...ENTERPRISE_ENV, REPLICATED_API_URL: emulator.url },
    });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await emulator?.close();
    await database?.drop();
  });

  async function openPage(width: number, height: number): Promise<{ page: Page; errors: string[] }> {
    const context = await browser!.newContext({
      baseURL: server!.url,
      viewport: { width, height },
      acceptDownloads: true,
    });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    return { page, errors: collectPageErrors(page) };
  }

  it('shows the identity and the next payload; Collect now adds a batch and Upload now sends it', async () => {
    const { page, errors } = await openPage(1280, 900);

    await page.goto('/sign-in');
    await page.getByLabel('Email address').fill(ADMIN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Accept' }).click();
    await page.getByRole('heading', { name: 'Conversations', level: 1 }).waitFor();

    // Accepting the Terms made this user the admin and told the sender, which registers at once.
    const customer = await waitUntil('the vendor to know the admin', () => emulator!.state().customers[0]);
    expect(customer.email).toBe(ADMIN);
    await waitUntil('the first check-in', () => emulator!.state().checkIns[0]);

    await page.getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name: 'Telemetry' }).click();
    const identity = page.getByRole('region', { name: 'Identity' });
    await identity.getByText(customer.id).waitFor();
    // In full, on the admin's own page, with where it came from.
    expect(await identity.textContent()).toContain(ADMIN);
    expect(await identity.textContent()).toContain('From the first user to accept the Terms');
    const schedule = page.getByRole('region', { name: 'Schedule' });
    expect(await schedule.textContent()).toContain('Normal: checking hourly');
    expect(await schedule.textContent()).toContain('This server process');

    // Three months of history (the seeded weeks, and the batch collected afresh for the first upload),
    // counted in the chart's accessible summary exactly as the database holds it.
    const stored = await storedCounts(database!);
    expect(stored.batches).toBe(14);
    const chart = page.getByRole('region', { name: 'Last 90 days' }).getByRole('img');
    expect(await chart.getAttribute('aria-label')).toMatch(
      new RegExp(
        `^Last 90 days: ${stored.batches} collections, ${stored.sent} successful uploads, 32 failed uploads\\. ` +
          'The license warning showed on \\d+ days: \\w+ \\d+ to \\w+ \\d+\\.$',
      ),
    );
    const batches = page.getByRole('list', { name: 'Batches, newest first' }).getByRole('listitem');
    expect(await batches.count()).toBe(stored.batches);

    const preview = page.getByRole('region', { name: 'Next payload' });
    await preview.getByText('No batch is waiting: the next upload only checks in with the vendor.').waitFor();

    const collected = page.waitForResponse((response) => response.url().endsWith('/api/admin/telemetry/collect'));
    await page.getByRole('button', { name: 'Collect now' }).click();
    const { batch } = (await (await collected).json()) as CollectAnswer;
    const status = page.getByRole('status').filter({ hasText: /^Collected \d+ metrics at / });
    await status.waitFor();
    await batches.nth(stored.batches).waitFor();
    expect(await batches.first().textContent()).toContain('Waiting to be sent with the next upload');

    // The preview is the batch, key by key, each with its description.
    const rows = preview.getByRole('table').getByRole('row');
    await rows.nth(1).waitFor();
    expect(await rows.count()).toBe(Object.keys(batch.metrics).length + 1);
    const activeUsers = preview.getByRole('row').filter({ has: page.getByText('active_users', { exact: true }) });
    expect(await activeUsers.textContent()).toContain('Users who have accepted the Terms of Service.');
    expect(await activeUsers.getByRole('cell').textContent()).toBe(String(batch.metrics.active_users));

    // The download is the export an air-gapped customer hands over; the session cookie went with it.
    const downloading = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Download payload' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/^openhands-telemetry-\d{4}-\d{2}-\d{2}\.json$/);
    const exported = JSON.parse(await readFile(await download.path(), 'utf8'));
    expect(exported).toMatchObject({ format: 'openhands-enterprise-telemetry-export/v1', customer: { email: ADMIN } });
    expect(exported.batches).toEqual([{ id: batch.id, collectedAt: batch.collectedAt, data: batch.metrics }]);

    await page.mouse.move(0, 0);
    await saveScreenshot(page, 'admin-telemetry-1-collected');

    const metricRequestsBefore = sentMetricSets(emulator!);
    await page.getByRole('button', { name: 'Upload now' }).click();
    await page.getByRole('status').filter({ hasText: 'Sent 1 batch to the vendor and checked in.' }).waitFor();
    expect(sentMetricSets(emulator!)).toBe(metricRequestsBefore + 1);
    expect(emulator!.state().metricSets.map((set) => set.data)).toEqual([batch.metrics]);
    await preview.getByText('No batch is waiting: the next upload only checks in with the vendor.').waitFor();
    expect(await batches.first().textContent()).toContain('Sent');
    // The sent batch's payload, as it went to the vendor, from the server.
    await batches.first().getByText('Raw JSON').click();
    const body = batches.first().getByRole('figure', { name: /^Body of POST \/application\/custom-metrics/ });
    expect(JSON.parse((await body.locator('pre').textContent()) ?? '')).toEqual({ data: batch.metrics });
    await saveScreenshot(page, 'admin-telemetry-2-uploaded');

    await page.setViewportSize({ width: 375, height: 812 });
    await page.getByRole('region', { name: 'Next payload' }).waitFor();
    await saveScreenshot(page, 'admin-telemetry-3-375px');
    expect(await elementsPastRightEdge(page)).toEqual([]);
    expect(await horizontalOverflowPx(page)).toBeLessThanOrEqual(0);

    expect(errors).toEqual([]);
    await page.context().close();
  });
});

async function storedCounts(database: ServerDatabase): Promise<{ batches: number; sent: number }> {
  const { rows } = await database.db.query<{ batches: number; sent: number }>(
    `SELECT (SELECT count(*)::int FROM telemetry_metrics) AS batches,
            (SELECT count(*)::int FROM telemetry_upload_attempts WHERE kind = 'metrics' AND outcome = 'success') AS sent`,
  );
  return rows[0]!;
}

function sentMetricSets(emulator: Emulator): number {
  return emulator
    .state()
    .requests.filter((request) => request.path === '/application/custom-metrics' && request.status === 200).length;
}
