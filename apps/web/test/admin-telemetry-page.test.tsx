import { diagnose } from '@openhands/telemetry/diagnosis';
import { cleanup, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeApi, json } from './support/fake-api';
import { findHeading, renderApp } from './support/render';
import {
  anOverview,
  aPreview,
  NOW,
  openTelemetryPage,
  PENDING_BATCH,
  section,
  someFacts,
  TELEMETRY_PAGE,
  TIMEOUT_ERROR,
  telemetryApi,
  timeOf,
} from './support/telemetry';
import { anAdmin, aUser } from './support/users';

describe('admin telemetry page', () => {
  beforeEach(() => {
    // Only the date is fixed: the relative hints ("in 3 hours") are read against it, timers run as usual.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('is a section of the admin area, linked from its navigation and its overview', async () => {
    telemetryApi();
    const { user, currentPath } = renderApp('/admin');
    await findHeading('Admin');
    const nav = screen.getByRole('navigation', { name: 'Admin sections' });

    await user.click(screen.getByRole('link', { name: 'Open telemetry' }));
    expect(await screen.findByRole('heading', { name: 'Telemetry', level: 2 })).toBeInTheDocument();
    expect(currentPath()).toBe(TELEMETRY_PAGE);
    expect(within(nav).getByRole('link', { name: 'Telemetry' })).toHaveAttribute('aria-current', 'page');
    expect(document.title).toBe('Telemetry · Admin · OpenHands Enterprise');
  });

  it('shows the identity, the phase and the sender in words', async () => {
    telemetryApi();
    await openTelemetryPage();

    const identity = section('Identity');
    // In full: the admin must be able to spot a typo in the address the vendor registers.
    expect(within(identity).getByText('ada@acme.example')).toBeInTheDocument();
    expect(
      within(identity).getByText(/^From the first user to accept the Terms \(OPENHANDS_ADMIN_EMAIL is not set\)/),
    ).toBeInTheDocument();
    expect(within(identity).getByText('2xK9mQ7rTzYvBn4LpW8sHdJc3Fe')).toBeInTheDocument();
    expect(within(identity).getByText('2xK9nR1aUcXwPm5KqV7tGeHb6Dj')).toBeInTheDocument();
    expect(within(identity).getByText('5af3c6cc-8904-4457-86fb-f91e89ff00f2')).toBeInTheDocument();
    expect(within(identity).getByText('https://replicated.app')).toBeInTheDocument();

    const schedule = section('Schedule');
    expect(within(schedule).getByText('Normal: checking hourly')).toBeInTheDocument();
    expect(within(schedule).getByText(/This server process/)).toHaveTextContent('openhands-7f9c4-x2k8p:1:a3f09c21');
    expect(within(schedule).getByText('Last check 20 minutes ago')).toBeInTheDocument();
  });

  it('shows the last collection, upload and check-in and the next runs in local time with a relative hint', async () => {
    telemetryApi();
    await openTelemetryPage();

    const glance = screen.getByLabelText('At a glance');
    const tile = (label: string) => within(glance).getByText(label).closest('.tile') as HTMLElement;
    expect(tile('Last collection')).toHaveTextContent('2 hours ago');
    expect(tile('Last upload')).toHaveTextContent('9 days ago');
    expect(tile('Last check-in')).toHaveTextContent('3 hours ago');
    expect(tile('Pending')).toHaveTextContent('1 batch');

    const schedule = section('Schedule');
    const row = (label: string) => within(schedule).getByText(label).closest('.facts__row') as HTMLElement;
    expect(row('Next upload')).toHaveTextContent(`${timeOf(anOverview().next.uploadAt!)} (in 3 hours)`);
    expect(row('Next check')).toHaveTextContent('(in 40 minutes)');
    expect(row('Next collection')).toHaveTextContent('(in 7 days)');
    expect(row('Next collection')).toHaveTextContent('Every 7 days');
  });

  it('says why a batch waits, when it is tried next, and why one was rejected', async () => {
    telemetryApi();
    await openTelemetryPage();

    const list = screen.getByRole('list', { name: 'Batches, newest first' });
    const [pending, sent, rejected] = within(list).getAllByRole('listitem');
    expect(pending).toHaveTextContent('Waiting');
    expect(pending).toHaveTextContent(
      `Waiting to be sent, 2 attempts, next try at ${timeOf(PENDING_BATCH.nextAttemptAt!)} (the vendor did not answer in time)`,
    );
    expect(pending).toHaveTextContent('One collector failed: integration_usage (timed out after 10000 ms)');
    expect(sent).toHaveTextContent('Sent');
    expect(sent).toHaveTextContent('43 metrics');
    expect(rejected).toHaveTextContent('Rejected by the vendor: data must not be empty');
    expect(section('Batches')).toHaveTextContent('1 batch waiting to be sent');
  });

  it('lists the last errors as sentences, with the full message kept for support', async () => {
    telemetryApi();
    await openTelemetryPage();

    const errors = within(screen.getByRole('list', { name: 'Last errors, newest first' })).getAllByRole('listitem');
    expect(errors.map((item) => item.querySelector('.error-item__sentence')?.textContent)).toEqual([
      'Sending a batch failed: the vendor did not answer in time',
      'Checking in with the vendor failed: could not reach the vendor (connection refused)',
      'A batch was rejected by the vendor: data must not be empty',
    ]);
    expect(errors[0]).toHaveTextContent('(30 minutes ago)');
    expect(within(errors[0]!).getByText('Full message')).toBeInTheDocument();
    expect(errors[0]).toHaveTextContent('got no complete answer within 30000 ms');
  });

  it('tells an outage once: repeated failures are one entry with their count and time span', async () => {
    const failure = (minutesAgo: number) => ({
      at: new Date(NOW.getTime() - minutesAgo * 60_000).toISOString(),
      kind: 'metrics' as const,
      outcome: 'failure' as const,
      error: TIMEOUT_ERROR,
    });
    telemetryApi(
      anOverview({ recentErrors: [failure(10), failure(190), failure(370), anOverview().recentErrors[1]!] }),
    );
    await openTelemetryPage();

    const errors = within(screen.getByRole('list', { name: 'Last errors, newest first' })).getAllByRole('listitem');
    expect(errors).toHaveLength(2);
    expect(errors[0]).toHaveTextContent('Sending a batch failed: the vendor did not answer in time · 3 times');
    expect(errors[0]).toHaveTextContent(`${timeOf(failure(370).at)} to ${timeOf(failure(10).at)} (10 minutes ago)`);
    expect(errors[1]).toHaveTextContent(
      'Checking in with the vendor failed: could not reach the vendor (connection refused)',
    );
    expect(errors[1]).not.toHaveTextContent('times');
  });

  it('says what is missing on a new installation: an admin email, and the vendor knowing it', async () => {
    telemetryApi(
      anOverview({
        phase: 'bootstrap',
        identity: {
          ...anOverview().identity,
          customerId: null,
          instanceId: null,
          adminEmail: null,
          adminEmailSource: null,
          registeredEmail: null,
          registeredAt: null,
        },
        lastUpload: null,
        lastCheckIn: { at: null, error: null },
        recentErrors: [],
        diagnosis: diagnose(someFacts({ adminEmail: null, lastContactAt: null, failures: null })),
      }),
      aPreview({ adminEmail: null, willSend: false }),
    );
    await openTelemetryPage();

    const waiting = 'Waiting for an admin email: set OPENHANDS_ADMIN_EMAIL or have a first user accept the Terms';
    expect(within(section('Identity')).getByText(waiting)).toBeInTheDocument();
    expect(within(section('Identity')).getAllByText('Not registered yet')).toHaveLength(2);
    expect(
      within(section('Schedule')).getByText(
        'Bootstrap: checking every 3 minutes until the vendor knows this installation',
      ),
    ).toBeInTheDocument();
    expect(section('No admin email')).toHaveTextContent(
      'Set OPENHANDS_ADMIN_EMAIL, or have a first user accept the Terms.',
    );
    expect(section('Next payload')).toHaveTextContent(`${waiting}. Until then nothing is sent`);
    expect(section('Last errors')).toHaveTextContent('No request to the vendor has failed in the last 90 days.');
  });

  it('leads with the license warning while every user sees it', async () => {
    const message = 'OpenHands Enterprise license verification pending. Please ensure network connectivity.';
    const license = { warn: true, message };
    telemetryApi(
      anOverview({
        license,
        diagnosis: diagnose(someFacts({ lastContactAt: null, license: { ...license, expiresAt: null } })),
      }),
    );
    await openTelemetryPage();

    expect(section('Cannot reach the vendor')).toHaveTextContent(
      'Every user sees the license warning (verification pending) until the vendor is reached.',
    );
  });

  it('shows the next payload as key and value rows with what each metric means', async () => {
    telemetryApi();
    await openTelemetryPage();

    const preview = section('Next payload');
    expect(preview).toHaveTextContent('Sent to https://replicated.app for ada@acme.example');
    const table = within(preview).getByRole('table');
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((row) => within(row).getByRole('rowheader').querySelector('code')?.textContent)).toEqual([
      'active_users',
      'app_version',
      'conversation_cost_usd_30d',
      'database_healthy',
      'total_users',
    ]);
    const active = rows[0]!;
    expect(within(active).getByRole('rowheader')).toHaveTextContent('Users who have accepted the Terms of Service.');
    expect(within(active).getByRole('cell')).toHaveTextContent(/^12$/);
    expect(within(rows[2]!).getByRole('cell')).toHaveTextContent(/^184\.2375$/);
    expect(within(rows[3]!).getByRole('cell')).toHaveTextContent(/^true$/);
    expect(within(rows[1]!).getByRole('cell')).toHaveTextContent(/^1\.4\.0$/);
    expect(preview).toHaveTextContent('POST /application/custom-metrics');
    expect(preview).toHaveTextContent('5 metrics');
    expect(preview).toHaveTextContent('POST /kots_metrics/license_instance/info: a status check-in');
    expect(preview).toHaveTextContent('Status ready, version 1.4.0, instance “OpenHands Enterprise”');
  });

  it('says when no batch waits and only the check-in will be sent', async () => {
    telemetryApi(anOverview(), aPreview({ batches: [] }));
    await openTelemetryPage();

    const preview = section('Next payload');
    await within(preview).findByText('No batch is waiting: the next upload only checks in with the vendor.');
    expect(within(preview).queryByRole('table')).not.toBeInTheDocument();
  });

  it('draws 90 days with an accessible summary of the counts and the warning span', async () => {
    telemetryApi();
    await openTelemetryPage();

    const chart = within(section('Last 90 days')).getByRole('img');
    expect(chart).toHaveAccessibleName(
      'Last 90 days: 14 collections, 12 successful uploads, 42 failed uploads. ' +
        'The license warning showed on 4 days: Nov 3 to Nov 6.',
    );
    expect(chart.querySelector('title')).toHaveTextContent('Telemetry activity over the last 90 days');
    expect(chart.querySelectorAll('.history-chart__day')).toHaveLength(90);
    expect(chart.querySelectorAll('.history-chart__collection')).toHaveLength(14);
    expect(chart.querySelectorAll('.history-chart__warning')).toHaveLength(1);

    const legend = within(section('Last 90 days')).getByRole('list', { name: 'Legend' });
    expect(
      within(legend)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual(['Collections', 'Successful uploads', 'Failed uploads', 'License warning shown']);

    const table = within(section('Last 90 days')).getByRole('table', { name: /Telemetry activity by day/ });
    expect(table.closest('.visually-hidden')).not.toBeNull();
    const nov3 = within(table).getByRole('rowheader', { name: 'Nov 3' }).closest('tr')!;
    expect(
      within(nov3)
        .getAllByRole('cell')
        .map((cell) => cell.textContent),
    ).toEqual(['0', '0', '5', 'shown']);
    const today = within(table).getByRole('rowheader', { name: 'Nov 23' }).closest('tr')!;
    expect(
      within(today)
        .getAllByRole('cell')
        .map((cell) => cell.textContent),
    ).toEqual(['1', '0', '2', 'not shown']);
  });

  it('says plainly when the warning did not show and is still showing', async () => {
    const quiet = anOverview().history.map((day) => ({ ...day, warning: false }));
    telemetryApi(anOverview({ history: quiet }));
    await openTelemetryPage();
    expect(within(section('Last 90 days')).getByRole('img')).toHaveAccessibleName(
      /The license warning did not show\.$/,
    );
    cleanup();

    const lasting = quiet.map((day, index) => ({ ...day, warning: index >= 85 }));
    telemetryApi(anOverview({ history: lasting }));
    await openTelemetryPage();
    expect(within(section('Last 90 days')).getByRole('img')).toHaveAccessibleName(
      /showed on 5 days: Nov 19 to Nov 23, and still shows\.$/,
    );
  });

  it('keeps the actions and the preview when the overview cannot be loaded', async () => {
    fakeApi({
      'GET /api/me': json(200, { user: anAdmin() }),
      'GET /api/admin/telemetry': json(500, { error: 'internal', message: 'The database did not answer.' }),
      'GET /api/admin/telemetry/preview': json(200, aPreview()),
    });
    renderApp(TELEMETRY_PAGE);

    const failure = await screen.findByRole('alert', {}, { timeout: 5_000 });
    expect(failure).toHaveTextContent('Telemetry could not be loaded');
    expect(failure).toHaveTextContent('The database did not answer.');
    expect(screen.getByRole('button', { name: 'Collect now' })).toBeEnabled();
    expect(await within(section('Next payload')).findByRole('table')).toBeInTheDocument();
  });

  it('shows everyone else the admins-only page and asks nothing of the admin API', async () => {
    const api = fakeApi({ 'GET /api/me': json(200, { user: aUser() }) });
    renderApp(TELEMETRY_PAGE);

    expect(await findHeading('Admins only')).toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'Telemetry' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Collect now' })).not.toBeInTheDocument();
    expect(api.requests.filter((request) => request.path.startsWith('/api/admin'))).toEqual([]);
  });
});
