import { type Emulator, startEmulator } from '@openhands/replicated/emulator';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, launchBrowser, saveScreenshot } from './support/browser.js';
import { elementsPastRightEdge, horizontalOverflowPx, lookOf } from './support/in-page.js';
import { type RunningServer, startServer } from './support/server.js';
import { createServerDatabase, ENTERPRISE_ENV, type ServerDatabase } from './support/telemetry-db.js';
import { waitUntil } from './support/wait.js';

const ADMIN = 'it-admin.with-a-long-name@acme-corporation.example';
const TOKEN = 'e2e-admin-token-cockpit-0123456789';

// The admin's cockpit in each warning state, produced for real: a server on PostgreSQL whose vendor
// (the emulator) drops every connection, then refuses the installation with 403, then the same a
// month later (the license has expired). Each state is looked at on a desktop and a phone, in the
// light and the dark theme: the banner's "See details" leads to the diagnosis, the diagnosis names
// the cause, the endpoint, since when and the expiry, the admin's email shows in full, and nothing
// runs past the right edge.

const VIEWS = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
] as const;
const THEMES = ['light', 'dark'] as const;

interface Overview {
  diagnosis: { state: string; headline: string };
}

describe('the admin cockpit in every warning state', () => {
  let database: ServerDatabase | undefined;
  let emulator: Emulator | undefined;
  let server: RunningServer | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    database = await createServerDatabase();
    // A week ago the vendor took a batch; the one collected six days ago is still waiting.
    await database.db.query(
      `INSERT INTO telemetry_metrics (collected_at, metrics_data, uploaded_at, upload_attempts)
       VALUES (now() - interval '7 days', '{"total_users": 3}', now() - interval '7 days' + interval '1 minute', 1),
              (now() - interval '6 days', '{"total_users": 4}', NULL, 0)`,
    );
    emulator = await startEmulator();
    emulator.injectFaults({ kind: 'drop', count: 100_000 });
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

  /** Asks the sender to upload now (as automation would), then waits for the diagnosis to be `state`. */
  async function reachState(state: string): Promise<Overview> {
    const headers = { authorization: `Bearer ${TOKEN}` };
    const upload = await fetch(`${server!.url}/api/admin/telemetry/upload`, { method: 'POST', headers });
    expect(upload.status).toBe(200);
    return waitUntil(`the diagnosis "${state}"`, async () => {
      const overview = (await (await fetch(`${server!.url}/api/admin/telemetry`, { headers })).json()) as Overview;
      return overview.diagnosis.state === state ? overview : undefined;
    });
  }

  async function signIn(page: Page): Promise<void> {
    await page.goto('/sign-in');
    await page.getByLabel('Email address').fill(ADMIN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const accept = page.getByRole('button', { name: 'Accept' });
    const conversations = page.getByRole('heading', { name: 'Conversations', level: 1 });
    await accept.or(conversations).first().waitFor();
    if (await accept.isVisible()) await accept.click();
    await conversations.waitFor();
    // A conversation card, so that the phone check covers its date (which used to run past the card).
    const list = page.getByRole('list', { name: 'Your conversations' }).getByRole('listitem');
    if ((await list.count()) === 0) {
      await page.getByLabel('Title').fill('Migrate the billing service to the new queue consumer');
      await page.getByRole('button', { name: 'Start conversation' }).click();
      await list.first().waitFor();
    }
  }

  /** From the banner to the diagnosis in each view and theme; returns the diagnosis text of the last. */
  async function lookAtEveryView(label: string, headline: string): Promise<string> {
    const context = await browser!.newContext({ baseURL: server!.url, viewport: VIEWS[0] });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const errors = collectPageErrors(page);
    await signIn(page);
    let text = '';
    for (const view of VIEWS) {
      for (const theme of THEMES) {
        await page.setViewportSize({ width: view.width, height: view.height });
        await page.emulateMedia({ colorScheme: theme });
        await page.goto('/conversations');
        const banner = page.getByRole('alert');
        await banner.waitFor();
        await page.getByRole('list', { name: 'Your conversations' }).getByRole('listitem').first().waitFor();
        expect(await overflowOf(page), `${label} ${view.name} ${theme}: conversations`).toEqual([]);

        await banner.getByRole('link', { name: 'See details' }).click();
        await page.waitForURL('**/admin/telemetry#diagnosis');
        const diagnosis = page.getByRole('region', { name: headline });
        await diagnosis.waitFor();
        // It is what the admin lands on, in view and focused, even on a phone.
        await waitUntil(
          'the diagnosis in view with the focus',
          async () => (await inViewAndFocused(diagnosis)) || undefined,
        );
        text = (await diagnosis.textContent()) ?? '';
        const identity = page.getByRole('region', { name: 'Identity' });
        await identity.getByText(ADMIN, { exact: true }).waitFor();
        expect(await overflowOf(page), `${label} ${view.name} ${theme}: admin telemetry`).toEqual([]);
        const background = (await lookOf(page.locator('body'))).background;
        expect(background, `${theme} background`).toBe(theme === 'dark' ? 'rgb(15, 17, 21)' : 'rgb(245, 246, 248)');
        await page.mouse.move(0, 0);
        await saveScreenshot(page, `cockpit-${label}-${view.name}-${theme}`, { fullPage: false });
      }
    }
    expect(errors).toEqual([]);
    await context.close();
    return text;
  }

  it('cannot reach the vendor: names the cause, the endpoint, since when and the expiry date', async () => {
    await reachState('unreachable');
    const text = await lookAtEveryView('unreachable', 'Cannot reach the vendor');
    expect(text).toContain(`Cannot reach the vendor at ${emulator!.url}: the connection was reset, since`);
    expect(text).toMatch(/Every user sees the license warning: the license expires on .+ \(28 days left\)\./);
    expect(text).toContain('How to fix this');
  });

  it('serves the guide the diagnosis links to, and the metrics dictionary the page names', async () => {
    const context = await browser!.newContext({ baseURL: server!.url, viewport: VIEWS[1] });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const errors = collectPageErrors(page);
    const blocked: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) blocked.push(message.text());
    });
    await signIn(page);
    await page.goto('/admin/telemetry');
    await page.getByRole('link', { name: /How to fix this/ }).click();
    await page.waitForURL(/\/docs\/troubleshooting#[a-z-]+$/);
    const anchor = new URL(page.url()).hash.slice(1);
    expect(await page.locator(`[id="${anchor}"]`).count()).toBe(1);
    // Long command lines scroll inside their code blocks; the page itself does not scroll sideways.
    expect(await horizontalOverflowPx(page)).toBeLessThanOrEqual(0);

    await page.goto('/admin/telemetry');
    await page.getByRole('link', { name: 'metrics dictionary' }).click();
    await page.getByRole('heading', { name: 'Metrics dictionary', level: 1 }).waitFor();
    expect(await page.getByRole('cell', { name: 'total_users', exact: true }).count()).toBe(1);
    await saveScreenshot(page, 'cockpit-metrics-dictionary-phone', { fullPage: false });
    expect(blocked).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('the vendor refuses (403): says refused, with its message, and never "cannot be reached"', async () => {
    emulator!.clearFaults();
    emulator!.injectFaults({
      kind: 'status',
      status: 403,
      message: 'License expired',
      code: 'forbidden',
      count: 100_000,
    });
    await reachState('refused');
    const text = await lookAtEveryView('refused', 'The vendor refused this installation');
    expect(text).toContain(`The vendor refused this installation at ${emulator!.url}: HTTP 403 "License expired"`);
    expect(text).not.toMatch(/cannot reach|could not be reached/i);
  });

  it('a month later the license has expired, and the page says on which day', async () => {
    await database!.db.query(
      `UPDATE telemetry_metrics SET collected_at = collected_at - interval '30 days',
              uploaded_at = uploaded_at - interval '30 days'`,
    );
    await database!.db.query(`UPDATE telemetry_identity SET last_checkin_at = NULL`);
    const overview = await reachState('refused');
    expect(overview.diagnosis.headline).toBe('The vendor refused this installation');
    const text = await lookAtEveryView('expired', 'The vendor refused this installation');
    expect(text).toMatch(/Every user sees the license warning: the license expired on .+\./);
  });

  it('the vendor is reachable again but rejects the batches: says so, with what it said', async () => {
    emulator!.clearFaults();
    emulator!.injectFaults({
      kind: 'status',
      status: 400,
      message: 'data must not be empty',
      code: 'invalid_metrics',
      path: '/application/custom-metrics',
      count: 100_000,
    });
    await reachState('rejected');
    const text = await lookAtEveryView('rejected', 'The vendor rejected batches');
    expect(text).toContain(`The vendor rejected batches sent to ${emulator!.url}: data must not be empty, since`);
  });
});

/** Sideways overflow in pixels, and what causes it, as one value that should be empty. */
async function overflowOf(page: Page): Promise<string[]> {
  const pixels = await horizontalOverflowPx(page);
  const elements = await elementsPastRightEdge(page);
  return pixels > 0 || elements.length > 0 ? [`${pixels}px`, ...elements] : [];
}

/** The element has the focus and its top is inside the window, give or take a sub-pixel (the tests' tsconfig has no DOM types). */
function inViewAndFocused(locator: Locator): Promise<boolean> {
  return locator.evaluate((node) => {
    const element = node as unknown as {
      getBoundingClientRect(): { top: number };
      ownerDocument: { activeElement: unknown; defaultView: { innerHeight: number } };
    };
    const { top } = element.getBoundingClientRect();
    return (
      element.ownerDocument.activeElement === element && top > -1 && top < element.ownerDocument.defaultView.innerHeight
    );
  });
}
