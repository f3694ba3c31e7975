import { type DiagnosisFacts, diagnose } from '@openhands/telemetry/diagnosis';
import { screen } from '@testing-library/react';
import type {
  BatchSummary,
  HistoryDay,
  PreviewBatch,
  TelemetryOverview,
  TelemetryPreview,
  UploadReport,
} from '../../src/api/telemetry-types';
import { fakeApi, json } from './fake-api';
import { renderApp } from './render';
import { anAdmin } from './users';

// Answers of the admin telemetry API shaped like the real server's (apps/server/test/telemetry-api.test.ts
// checks those), for an installation that has reported for months, lost the vendor for a week in the
// autumn (the license warning showed), recovered, and now has a batch the vendor did not take in time.

/** The moment the fixtures describe; tests set the clock here. */
export const NOW = new Date('2026-11-23T12:00:00.000Z');

const at = (offsetMs: number) => new Date(NOW.getTime() + offsetMs).toISOString();
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const TIMEOUT_ERROR =
  'POST /application/custom-metrics to https://replicated.app got no complete answer within 30000 ms. Check that this server can reach the Replicated endpoint (firewall, HTTPS_PROXY, NO_PROXY), or raise timeoutMs.';
export const REFUSED_ERROR =
  'POST /kots_metrics/license_instance/info to https://replicated.app failed before an answer arrived (fetch failed: connect ECONNREFUSED 10.0.0.7:443 (ECONNREFUSED)). Check DNS, the firewall and the proxy settings (HTTPS_PROXY, HTTP_PROXY, NO_PROXY); the request may be retried.';
export const REJECTED_ERROR =
  'Replicated answered HTTP 400 to POST /application/custom-metrics: "data must not be empty" [invalid_metrics]. The vendor refused the request as invalid: fix what is sent, the same request will fail again.';
export const UNAVAILABLE_ERROR =
  'Replicated answered HTTP 503 to POST /v3/customer: "Service Unavailable" [unavailable]. The vendor side failed: retry later with back-off.';

/** 90 UTC days ending today: weekly collections, a daily upload, and an outage of 8 days in the autumn. */
export function aHistory(): HistoryDay[] {
  const days: HistoryDay[] = [];
  for (let i = 89; i >= 0; i--) {
    const date = new Date(NOW.getTime() - i * DAY).toISOString().slice(0, 10);
    const outage = i >= 17 && i <= 24; // Oct 30 to Nov 6
    const warning = i >= 17 && i <= 20; // from the 5th day of the outage: Nov 3 to Nov 6
    days.push({
      date,
      collections: i % 7 === 2 ? 1 : 0,
      uploadsSucceeded: outage ? 0 : i % 7 === 1 ? 1 : 0,
      uploadsFailed: outage ? 5 : 0,
      warning,
      warningMessage: warning
        ? 'OpenHands Enterprise license verification pending. Please ensure network connectivity.'
        : '',
    });
  }
  // Today: one more batch, and the upload of it timed out twice.
  days[89] = { ...days[89]!, collections: 1, uploadsFailed: 2 };
  return days;
}

export function aBatch(overrides: Partial<BatchSummary> = {}): BatchSummary {
  return {
    id: '7d0c2a9e-0f41-4d8e-9a43-1b1f6a3c5e10',
    collectedAt: at(-9 * DAY),
    status: 'uploaded',
    uploadedAt: at(-9 * DAY + 40_000),
    attempts: 1,
    lastError: null,
    nextAttemptAt: null,
    metricCount: 43,
    collectorErrors: [],
    ...overrides,
  };
}

export const PENDING_BATCH = aBatch({
  id: 'b6a7d1f2-3c4e-4a5b-8c9d-0e1f2a3b4c5d',
  collectedAt: at(-2 * HOUR),
  status: 'pending',
  uploadedAt: null,
  attempts: 2,
  lastError: TIMEOUT_ERROR,
  nextAttemptAt: at(2 * HOUR + 5 * 60_000),
  collectorErrors: [{ collector: 'integration_usage', message: 'timed out after 10000 ms' }],
});

export const REJECTED_BATCH = aBatch({
  id: '0a1b2c3d-4e5f-4061-8272-839405a6b7c8',
  collectedAt: at(-16 * DAY),
  status: 'rejected',
  uploadedAt: null,
  attempts: 1,
  lastError: REJECTED_ERROR,
  metricCount: 0,
});

/**
 * The facts of the fixture below: the vendor last heard from it 3 hours ago (a check-in), and
 * since then the check-in was refused a connection and an upload timed out.
 */
export function someFacts(overrides: Partial<DiagnosisFacts> = {}): DiagnosisFacts {
  return {
    now: NOW,
    enterprise: true,
    endpoint: 'https://replicated.app',
    adminEmail: { address: 'ada@acme.example', source: 'first_tos_acceptance' },
    sender: { alive: true, lastSeenAt: new Date(at(-20 * 60_000)) },
    lastContactAt: new Date(at(-3 * HOUR)),
    failures: {
      newest: { at: new Date(at(-30 * 60_000)), kind: 'metrics', error: TIMEOUT_ERROR },
      oldestAt: new Date(at(-90 * 60_000)),
      count: 2,
    },
    rejected: null,
    pending: { count: 1, oldestAt: new Date(PENDING_BATCH.collectedAt) },
    // No warning yet, so no date to count down to (the license rule gives none before the warning).
    license: { warn: false, message: '', expiresAt: null },
    ...overrides,
  };
}

export function anOverview(overrides: Partial<TelemetryOverview> = {}): TelemetryOverview {
  return {
    enterprise: true,
    endpoint: 'https://replicated.app',
    sending: {
      releaseBuild: true,
      sends: true,
      endpoint: 'https://replicated.app',
      note: 'Release build: telemetry is sent to https://replicated.app.',
    },
    settings: { collectionIntervalDays: 7, uploadIntervalHours: 24, warningThresholdDays: 4 },
    identity: {
      customerId: '2xK9mQ7rTzYvBn4LpW8sHdJc3Fe',
      instanceId: '2xK9nR1aUcXwPm5KqV7tGeHb6Dj',
      installationId: '5af3c6cc-8904-4457-86fb-f91e89ff00f2',
      adminEmail: 'ada@acme.example',
      adminEmailSource: 'first_tos_acceptance',
      registeredEmail: 'ada@acme.example',
      registeredAt: at(-80 * DAY),
      copiedFromInstanceId: null,
      copiedAt: null,
    },
    phase: 'normal',
    leader: {
      holder: 'openhands-7f9c4-x2k8p:1:a3f09c21',
      isThisProcess: true,
      since: at(-3 * DAY),
      lastSeenAt: at(-20 * 60_000),
      stale: false,
      staleMessage: null,
    },
    lastCollection: { at: PENDING_BATCH.collectedAt, batchId: PENDING_BATCH.id },
    lastUpload: { at: at(-9 * DAY + 40_000) },
    lastCheckIn: { at: at(-3 * HOUR), error: null },
    next: { collectionAt: at(7 * DAY - 2 * HOUR), uploadAt: at(3 * HOUR), checkAt: at(40 * 60_000) },
    pendingCount: 1,
    backoffUntil: null,
    license: { warn: false, message: '' },
    diagnosis: diagnose(someFacts()),
    recentBatches: [PENDING_BATCH, aBatch(), REJECTED_BATCH],
    recentErrors: [
      { at: at(-30 * 60_000), kind: 'metrics', outcome: 'failure', error: TIMEOUT_ERROR },
      { at: at(-90 * 60_000), kind: 'checkin', outcome: 'failure', error: REFUSED_ERROR },
      { at: at(-16 * DAY), kind: 'metrics', outcome: 'rejected', error: REJECTED_ERROR },
    ],
    history: aHistory(),
    ...overrides,
  };
}

export function aPreviewBatch(overrides: Partial<PreviewBatch> = {}): PreviewBatch {
  return {
    id: PENDING_BATCH.id,
    collectedAt: PENDING_BATCH.collectedAt,
    request: 'POST /application/custom-metrics',
    metrics: [
      { key: 'active_users', value: 12, description: 'Users who have accepted the Terms of Service.' },
      { key: 'app_version', value: '1.4.0', description: 'OpenHands Enterprise version.' },
      {
        key: 'conversation_cost_usd_30d',
        value: 184.2375,
        description: 'LLM cost of the conversations of the last 30 days, USD.',
      },
      {
        key: 'database_healthy',
        value: true,
        description: 'Whether the database answered a trivial query within 5 seconds.',
      },
      { key: 'total_users', value: 15, description: 'Users known to the installation.' },
    ],
    ...overrides,
  };
}

export function aPreview(overrides: Partial<TelemetryPreview> = {}): TelemetryPreview {
  return {
    endpoint: 'https://replicated.app',
    adminEmail: 'ada@acme.example',
    willSend: true,
    batches: [aPreviewBatch()],
    checkIn: {
      request: 'POST /kots_metrics/license_instance/info',
      status: 'ready',
      versionLabel: '1.4.0',
      instanceName: 'OpenHands Enterprise',
    },
    ...overrides,
  };
}

export function anUploadReport(overrides: Partial<UploadReport> = {}): UploadReport {
  return { outcome: 'uploaded', requests: 3, sent: [], rejected: [], checkIn: 'sent', prunedAttempts: 0, ...overrides };
}

export const TELEMETRY_PAGE = '/admin/telemetry';

/** A signed-in admin and the admin telemetry API answering with these. */
export function telemetryApi(overview: TelemetryOverview = anOverview(), preview = aPreview()) {
  return fakeApi({
    'GET /api/me': json(200, { user: anAdmin({ email: 'ada@acme.example' }) }),
    'GET /api/admin/telemetry': json(200, overview),
    'GET /api/admin/telemetry/preview': json(200, preview),
  });
}

/** Renders the app at the telemetry page and waits for the overview to be on it. */
export async function openTelemetryPage() {
  const view = renderApp(TELEMETRY_PAGE);
  // The first render of a test file also loads its modules: on a busy CI machine that takes seconds.
  await screen.findByRole('heading', { name: 'Identity' }, { timeout: 10_000 });
  return view;
}

/** A section of the page, by its heading. */
export const section = (name: string) => screen.getByRole('region', { name });

const shortTime = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit', timeZoneName: 'short' });

/** A time of today as the page writes it, in the test machine's locale and zone, which it names. */
export const timeOf = (iso: string) => shortTime.format(new Date(iso));
