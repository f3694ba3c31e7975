import { type DiagnosisFacts, diagnose } from '@openhands/telemetry/diagnosis';
import { screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RecentError, TelemetryOverview } from '../src/api/telemetry-types';
import { json } from './support/fake-api';
import {
  anOverview,
  NOW,
  openTelemetryPage,
  REFUSED_ERROR,
  REJECTED_BATCH,
  REJECTED_ERROR,
  section,
  someFacts,
  TIMEOUT_ERROR,
  telemetryApi,
} from './support/telemetry';

// The status at the top of the admin page in every state an admin meets, and each statement the
// page used to make that was false (issue 13, "Why"). Times are written as the page writes them:
// the test machine's locale and zone, which the page names.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (offsetMs: number) => new Date(NOW.getTime() + offsetMs);
const full = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  timeZoneName: 'short',
});
const shown = (date: Date) => full.format(date);

const FORBIDDEN_ERROR =
  'Replicated refused POST /v3/customer (HTTP 403: "License expired" [forbidden]): the license is expired or this customer may not use the application. Renew the license with the vendor; sending again will not help.';

const failures = (error: string, days: number, count: number): DiagnosisFacts['failures'] => ({
  newest: { at: at(-HOUR), kind: 'identity', error },
  oldestAt: at(-days * DAY),
  count,
});

/** An overview whose every status comes from these facts, as the server builds it. */
function overviewOf(facts: DiagnosisFacts, overrides: Partial<TelemetryOverview> = {}): TelemetryOverview {
  return anOverview({
    enterprise: facts.enterprise,
    license: { warn: facts.license.warn, message: facts.license.message },
    diagnosis: diagnose(facts),
    ...overrides,
  });
}

async function statusOf(facts: DiagnosisFacts, overrides: Partial<TelemetryOverview> = {}) {
  telemetryApi(overviewOf(facts, overrides));
  await openTelemetryPage();
  const heading = screen.getAllByRole('heading', { level: 3 })[0]!;
  return { heading, status: heading.closest('section') as HTMLElement };
}

const warning = (daysLeft: number) =>
  `Your OpenHands Enterprise license will expire in ${daysLeft} days. Please contact support if this issue persists.`;

describe('the diagnostic status at the top of the admin page', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('never contacted: says the first upload is at the next check', async () => {
    const { heading, status } = await statusOf(someFacts({ lastContactAt: null, failures: null }));
    expect(heading).toHaveTextContent('Not in contact with the vendor yet');
    expect(status).toHaveTextContent(
      'Not in contact with the vendor yet: the first upload to https://replicated.app happens at the next check.',
    );
  });

  it('reachable: reports normally, with the last contact and a green dot', async () => {
    const { heading, status } = await statusOf(someFacts({ failures: null }));
    expect(heading).toHaveTextContent('Reporting normally');
    expect(status).toHaveTextContent(
      `Reporting normally to https://replicated.app; last contact ${shown(at(-3 * HOUR))}.`,
    );
    expect(status.querySelector('.health__dot')).not.toBeNull();
    expect(within(section('Schedule')).getByText('Normal: checking hourly')).toHaveClass('phase--normal');
    expect(within(status).queryByRole('link')).not.toBeInTheDocument();
  });

  it('refused (403): names the refusal with the vendor message, never "cannot be reached"', async () => {
    const { heading, status } = await statusOf(someFacts({ failures: failures(FORBIDDEN_ERROR, 2, 9) }), {
      backoffUntil: at(HOUR).toISOString(),
      lastCheckIn: { at: at(-2 * DAY).toISOString(), error: FORBIDDEN_ERROR },
      recentErrors: [forbidden(60), forbidden(120)],
    });
    expect(heading).toHaveTextContent('The vendor refused this installation');
    expect(status).toHaveTextContent(
      `The vendor refused this installation at https://replicated.app: HTTP 403 "License expired", since ${shown(at(-2 * DAY))} (9 failed requests).`,
    );
    expect(status).toHaveTextContent('Contact the vendor about the license; sending again will not help.');
    // Today's page also said "The vendor could not be reached" just below the refusal.
    expect(document.body).not.toHaveTextContent(/could not (be )?reach|cannot reach|cannot be reached/i);
    const errors = within(screen.getByRole('list', { name: 'Last errors, newest first' })).getAllByRole('listitem');
    expect(errors[0]).toHaveTextContent(
      'Registering with the vendor failed: the vendor refused this installation (HTTP 403 "License expired")',
    );
  });

  it('batches rejected: says so, with what the vendor said', async () => {
    const { heading, status } = await statusOf(
      someFacts({ failures: null, rejected: { count: 2, oldestAt: at(-16 * DAY), newestError: REJECTED_ERROR } }),
      { pendingCount: 0, recentBatches: [REJECTED_BATCH] },
    );
    // Nothing waiting, yet not "everything collected has been sent".
    const pending = within(screen.getByLabelText('At a glance')).getByText('Pending').closest('.tile') as HTMLElement;
    expect(pending).toHaveTextContent('None waiting: the vendor rejected the newest batch');
    expect(heading).toHaveTextContent('The vendor rejected batches');
    expect(status).toHaveTextContent(
      `The vendor rejected batches sent to https://replicated.app: data must not be empty, since ${shown(at(-16 * DAY))}.`,
    );
    expect(within(status).getByRole('link', { name: /How to fix this/ })).toHaveAttribute(
      'href',
      '/docs/troubleshooting#the-vendor-answers-with-an-error',
    );
  });

  it('an outage of 6 days: cause, endpoint, since when, every failure counted, expiry date and days left', async () => {
    const expiresAt = at(28 * DAY + 5 * HOUR);
    const { heading, status } = await statusOf(
      someFacts({
        lastContactAt: at(-6 * DAY),
        failures: failures(REFUSED_ERROR, 6, 793),
        license: { warn: true, message: warning(29), expiresAt },
      }),
      // The page is sent at most 50 errors; there were 793.
      { recentErrors: Array.from({ length: 50 }, (_, i) => refused(i * 10)) },
    );
    expect(heading).toHaveTextContent('Cannot reach the vendor');
    expect(status).toHaveTextContent(
      `Cannot reach the vendor at https://replicated.app: connection refused, since ${shown(at(-6 * DAY))} (793 failed requests).`,
    );
    expect(status).toHaveTextContent(
      `Every user sees the license warning: the license expires on ${shown(expiresAt)} (29 days left).`,
    );
    expect(within(status).getByRole('link', { name: /How to fix this/ })).toHaveAttribute(
      'href',
      '/docs/troubleshooting#connection-refused-or-timed-out',
    );
    // Today's page said "50 times" for 793 failures.
    const errors = within(screen.getByRole('list', { name: 'Last errors, newest first' })).getAllByRole('listitem');
    expect(errors[0]).toHaveTextContent('at least 50 times');
    // …and kept a green "Normal" dot through the outage.
    expect(within(section('Schedule')).getByText('Normal: checking hourly')).toHaveClass('phase--trouble');
  });

  it('expired: says the license expired, and on which day', async () => {
    const { status } = await statusOf(
      someFacts({
        lastContactAt: at(-36 * DAY),
        failures: failures(TIMEOUT_ERROR, 36, 1400),
        license: {
          warn: true,
          message: 'Your OpenHands Enterprise license has expired. Please contact support immediately.',
          expiresAt: at(-2 * DAY),
        },
      }),
    );
    expect(status).toHaveClass('health--danger');
    expect(status).toHaveTextContent(
      `Every user sees the license warning: the license expired on ${shown(at(-2 * DAY))}.`,
    );
  });

  it('no admin email: says nothing can be sent and how to set one', async () => {
    const { heading, status } = await statusOf(someFacts({ adminEmail: null, lastContactAt: null, failures: null }));
    expect(heading).toHaveTextContent('No admin email');
    expect(status).toHaveTextContent(
      `No admin email: nothing can be sent to the vendor without one; batches have been waiting since ${shown(at(-2 * HOUR))}.`,
    );
    expect(within(status).getByRole('link', { name: /How to fix this/ })).toHaveAttribute(
      'href',
      '/docs/troubleshooting#no-admin-email-found',
    );
  });

  it('no sender: says no process sends, and when one was last seen', async () => {
    const { heading, status } = await statusOf(someFacts({ sender: { alive: false, lastSeenAt: at(-5 * HOUR) } }));
    expect(heading).toHaveTextContent('No server process is sending');
    expect(status).toHaveTextContent(`the sender was last seen ${shown(at(-5 * HOUR))}.`);
  });

  it('a source build pointed at the vendor: says it sends nothing, here and beside the endpoint', async () => {
    const note =
      'Source build (placeholder publishable key): telemetry is collected and shown but not sent; it is sent only to an explicitly set REPLICATED_API_URL such as the emulator (npm run demo), never to the vendor.';
    const sending = { releaseBuild: false, sends: false, endpoint: 'https://replicated.app', note };
    const { heading, status } = await statusOf(someFacts({ sending }), { sending });
    expect(heading).toHaveTextContent('This build sends nothing to the vendor');
    expect(status).toHaveTextContent(`This build sends nothing to the vendor: ${note}`);
    expect(within(section('Identity')).getByText(note)).toHaveClass('facts__warning');
  });

  it('says when this database is a copy of another installation', async () => {
    const identity = {
      ...anOverview().identity,
      copiedFromInstanceId: '2xK9nOLDINSTANCE',
      copiedAt: at(-HOUR).toISOString(),
    };
    await statusOf(someFacts(), { identity });
    expect(section('Identity')).toHaveTextContent(
      "This database is a copy of another installation's (instance 2xK9nOLDINSTANCE), found",
    );
  });

  it('non-enterprise and failing: never "Usage is still reported"', async () => {
    const { status } = await statusOf(
      someFacts({ enterprise: false, license: { warn: false, message: '', expiresAt: null } }),
    );
    expect(status).toHaveTextContent(
      'Not an enterprise installation: no license warning is shown, but nothing reaches the vendor until this is fixed.',
    );
    expect(document.body).not.toHaveTextContent('Usage is still reported');
  });
});

function forbidden(minutesAgo: number): RecentError {
  return { at: at(-minutesAgo * 60_000).toISOString(), kind: 'identity', outcome: 'failure', error: FORBIDDEN_ERROR };
}

function refused(minutesAgo: number): RecentError {
  return { at: at(-minutesAgo * 60_000).toISOString(), kind: 'identity', outcome: 'failure', error: REFUSED_ERROR };
}

describe('times and schedules that do not mislead', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('keeps the end date of an error span that started on another day', async () => {
    const first = at(-2 * DAY - 6 * HOUR);
    telemetryApi(anOverview({ recentErrors: [refused(0), refused(60 * 24), refused((2 * DAY + 6 * HOUR) / 60_000)] }));
    await openTelemetryPage();

    const [outage] = within(screen.getByRole('list', { name: 'Last errors, newest first' })).getAllByRole('listitem');
    // Today's page wrote "Nov 21, 6:00 AM to 12:00 PM (now)": the end looked like the same day.
    expect(outage).toHaveTextContent(`${shown(first)} to ${shown(NOW)}`);
  });

  it('names the time zone of every time it shows', async () => {
    telemetryApi();
    await openTelemetryPage();
    const zone = new Intl.DateTimeFormat(undefined, { timeZoneName: 'short' })
      .formatToParts(NOW)
      .find((part) => part.type === 'timeZoneName')!.value;
    const schedule = section('Schedule');
    const row = (label: string) => within(schedule).getByText(label).closest('.facts__row') as HTMLElement;
    expect(row('Next upload')).toHaveTextContent(zone);
    expect(row('Next check')).toHaveTextContent(zone);
  });

  it('says a due collection happens at the next check, and when that is, not "Due now"', async () => {
    const checkAt = at(56 * 60_000).toISOString();
    telemetryApi(anOverview({ next: { collectionAt: at(-HOUR).toISOString(), uploadAt: null, checkAt } }));
    await openTelemetryPage();

    const schedule = section('Schedule');
    const row = within(schedule).getByText('Next collection').closest('.facts__row') as HTMLElement;
    expect(row).not.toHaveTextContent('Due now');
    expect(row).toHaveTextContent('At the next check');
    expect(row).toHaveTextContent('(in 56 minutes)');
  });
});

describe('the next payload as it goes over the wire', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('shows the raw JSON of each request body and copies it', async () => {
    telemetryApi();
    const { user } = await openTelemetryPage();
    const preview = section('Next payload');

    await user.click(within(preview).getByText('Raw JSON'));
    const body = within(preview).getByRole('figure', { name: /^Body of POST \/application\/custom-metrics/ });
    const expected = {
      data: {
        active_users: 12,
        app_version: '1.4.0',
        conversation_cost_usd_30d: 184.2375,
        database_healthy: true,
        total_users: 15,
      },
    };
    expect(JSON.parse(body.querySelector('pre')?.textContent ?? '')).toEqual(expected);

    await user.click(within(preview).getByRole('button', { name: 'Copy JSON' }));
    expect(JSON.parse(await navigator.clipboard.readText())).toEqual(expected);
    expect(within(preview).getByText('Copied.')).toBeInTheDocument();
  });

  it('opens the raw JSON of a past batch, asking the server for it only then', async () => {
    const past = anOverview().recentBatches[1]!;
    const api = telemetryApi();
    const data = { active_users: 30, app_version: '1.3.2', total_users: 36 };
    api.answer({
      [`GET /api/admin/telemetry/batches/${past.id}`]: json(200, {
        id: past.id,
        collectedAt: past.collectedAt,
        status: 'uploaded',
        uploadedAt: past.uploadedAt,
        request: 'POST /application/custom-metrics',
        data,
        collectorErrors: [],
      }),
    });
    const { user } = await openTelemetryPage();
    const item = within(screen.getByRole('list', { name: 'Batches, newest first' })).getAllByRole('listitem')[1]!;
    expect(api.requestsTo('GET', `/api/admin/telemetry/batches/${past.id}`)).toHaveLength(0);

    await user.click(within(item).getByText('Raw JSON'));
    const body = await within(item).findByRole('figure', { name: /^Body of POST \/application\/custom-metrics/ });
    expect(JSON.parse(body.querySelector('pre')?.textContent ?? '')).toEqual({ data });
    await user.click(within(item).getByRole('button', { name: 'Copy JSON' }));
    expect(JSON.parse(await navigator.clipboard.readText())).toEqual({ data });
  });
});
