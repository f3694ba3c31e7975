import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { json } from './support/fake-api';
import {
  aBatch,
  anOverview,
  anUploadReport,
  aPreview,
  aPreviewBatch,
  NOW,
  openTelemetryPage,
  PENDING_BATCH,
  section,
  telemetryApi,
  timeOf,
  UNAVAILABLE_ERROR,
} from './support/telemetry';

/** Holds a fake request open until the test resolves it, to look at the page while it runs. */
function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

describe('admin telemetry actions', () => {
  beforeEach(() => {
    // Only the date is fixed: the sentences' times are read against it, timers run as usual.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('collects on "Collect now", then fetches the page again: the new batch appears', async () => {
    const newBatch = aBatch({
      id: 'c0ffee00-1111-4222-8333-444455556666',
      collectedAt: NOW.toISOString(),
      status: 'pending',
      uploadedAt: null,
      attempts: 0,
    });
    let collected = false;
    const collect = deferred();
    const api = telemetryApi();
    api.answer({
      'POST /api/admin/telemetry/collect': async () => {
        await collect.promise;
        collected = true;
        return json(200, {
          batch: {
            id: newBatch.id,
            collectedAt: newBatch.collectedAt,
            metrics: { active_users: 12, total_users: 15 },
            errors: [{ collector: 'integration_usage', message: 'timed out after 10000 ms' }],
            durations: { user_activity: 12.5 },
          },
        });
      },
      'GET /api/admin/telemetry': () =>
        json(
          200,
          collected
            ? anOverview({ pendingCount: 2, recentBatches: [newBatch, ...anOverview().recentBatches] })
            : anOverview(),
        ),
      'GET /api/admin/telemetry/preview': () =>
        json(
          200,
          collected
            ? aPreview({
                batches: [aPreviewBatch(), aPreviewBatch({ id: newBatch.id, collectedAt: newBatch.collectedAt })],
              })
            : aPreview(),
        ),
    });
    const { user } = await openTelemetryPage();
    const overviewRequests = api.requestsTo('GET', '/api/admin/telemetry').length;

    await user.click(screen.getByRole('button', { name: 'Collect now' }));
    expect(screen.getByRole('button', { name: 'Collecting…' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Upload now' })).toBeDisabled();
    expect(screen.getByRole('status')).toHaveTextContent('Collecting metrics…');
    collect.resolve();

    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent(/^Collected 2 metrics at/));
    expect(screen.getByRole('status')).toHaveTextContent(
      `Collected 2 metrics at ${timeOf(NOW.toISOString())}; the batch is waiting to be sent. One collector failed: integration_usage (timed out after 10000 ms).`,
    );
    expect(api.requestsTo('POST', '/api/admin/telemetry/collect')).toHaveLength(1);
    expect(api.requestsTo('GET', '/api/admin/telemetry').length).toBeGreaterThan(overviewRequests);
    const batches = within(screen.getByRole('list', { name: 'Batches, newest first' })).getAllByRole('listitem');
    expect(batches).toHaveLength(4);
    expect(batches[0]).toHaveTextContent('Waiting to be sent with the next upload');
    expect(section('Batches')).toHaveTextContent('2 batches waiting to be sent');
    expect(within(section('Next payload')).getAllByRole('table')).toHaveLength(2);
    expect(screen.getByRole('button', { name: 'Collect now' })).toBeEnabled();
  });

  it.each([
    [
      'uploaded',
      anUploadReport({
        sent: [{ batchId: PENDING_BATCH.id, collectedAt: PENDING_BATCH.collectedAt, metricCount: 43 }],
      }),
      'Sent 1 batch to the vendor and checked in.',
      'success',
    ],
    [
      'uploaded, one batch rejected',
      anUploadReport({
        sent: [{ batchId: 'a', collectedAt: NOW.toISOString(), metricCount: 43 }],
        rejected: [
          {
            batchId: 'b',
            error: 'Replicated answered HTTP 400 to POST /application/custom-metrics: "empty data set" [x]. …',
          },
        ],
      }),
      'Sent 1 batch to the vendor and checked in. One batch was rejected by the vendor: empty data set.',
      'success',
    ],
    [
      'checked_in',
      anUploadReport({ outcome: 'checked_in', requests: 1 }),
      'Nothing was waiting to be sent; checked in with the vendor.',
      'success',
    ],
    [
      'checked_in, check-in failed',
      anUploadReport({
        outcome: 'checked_in',
        checkIn: 'failed',
        failure: { stage: 'checkin', error: UNAVAILABLE_ERROR },
      }),
      "Nothing was waiting to be sent. The check-in failed (the vendor's service failed (HTTP 503)); it is tried again at the next check.",
      'caution',
    ],
    [
      'no_admin_email',
      anUploadReport({ outcome: 'no_admin_email', requests: 0, checkIn: 'skipped' }),
      'Nothing was sent. Waiting for an admin email: set OPENHANDS_ADMIN_EMAIL or have a first user accept the Terms.',
      'caution',
    ],
    [
      'failed',
      anUploadReport({
        outcome: 'failed',
        requests: 1,
        checkIn: 'skipped',
        failure: {
          stage: 'identity',
          error: UNAVAILABLE_ERROR,
          retryAt: new Date(NOW.getTime() + 180_000).toISOString(),
        },
      }),
      `The upload failed: registering with the vendor failed because the vendor's service failed (HTTP 503). The batches stay waiting. Next try at ${timeOf(new Date(NOW.getTime() + 180_000).toISOString())}.`,
      'error',
    ],
    [
      'aborted',
      anUploadReport({ outcome: 'aborted', checkIn: 'skipped' }),
      'The upload was stopped before it finished (the server is shutting down or another replica took over). Nothing is lost: the batches stay waiting.',
      'caution',
    ],
  ])('reports "Upload now" in words: %s', async (_name, report, sentence, tone) => {
    const api = telemetryApi();
    api.answer({ 'POST /api/admin/telemetry/upload': json(200, { upload: report }) });
    const { user } = await openTelemetryPage();
    const licenseChecks = api.requestsTo('GET', '/api/license-status').length;

    await user.click(screen.getByRole('button', { name: 'Upload now' }));

    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent(sentence));
    expect(screen.getByRole('status')).toHaveClass(`action-status--${tone}`);
    expect(api.requestsTo('POST', '/api/admin/telemetry/upload')).toHaveLength(1);
    // The banner asks again at once: a successful upload may have ended the warning.
    expect(api.requestsTo('GET', '/api/license-status').length).toBeGreaterThan(licenseChecks);
    expect(screen.getByRole('button', { name: 'Upload now' })).toBeEnabled();
  });

  it('disables both buttons while an upload runs, and says why when the request itself fails', async () => {
    const upload = deferred();
    const api = telemetryApi();
    api.answer({
      'POST /api/admin/telemetry/upload': async () => {
        await upload.promise;
        return json(503, { error: 'unavailable', message: 'The server is shutting down.' });
      },
    });
    const { user } = await openTelemetryPage();

    await user.click(screen.getByRole('button', { name: 'Upload now' }));
    expect(screen.getByRole('button', { name: 'Uploading…' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Collect now' })).toBeDisabled();
    expect(screen.getByRole('status')).toHaveTextContent('Uploading to the vendor…');
    upload.resolve();

    await waitFor(() =>
      expect(screen.getByRole('status')).toHaveTextContent(
        'The upload could not be started. The server is shutting down.',
      ),
    );
    expect(screen.getByRole('status')).toHaveClass('action-status--error');
  });

  it('downloads the payload from the export endpoint with a plain link', async () => {
    telemetryApi();
    await openTelemetryPage();

    const link = screen.getByRole('link', { name: 'Download payload' });
    expect(link).toHaveAttribute('href', '/api/admin/telemetry/export');
    expect(link).toHaveAttribute('download');
  });
});
