import { describe, expect, it } from 'vitest';
import { type DiagnosisFacts, diagnose, diagnosisSentence, failureCause } from '../../src/diagnosis/index.js';

// Each state an admin meets in the field, as facts, and the status the page and the CLI show for it.
// The messages are the client's catalogue wording as stored in telemetry_upload_attempts.

const DAY = 86_400_000;
const HOUR = 3_600_000;
const now = new Date('2026-11-23T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);
const utc = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

const REFUSED =
  'POST /kots_metrics/license_instance/info to https://replicated.app failed before an answer arrived (fetch failed: connect ECONNREFUSED 10.0.0.7:443 (ECONNREFUSED)). Check DNS, the firewall and the proxy settings (HTTPS_PROXY, HTTP_PROXY, NO_PROXY); the request may be retried.';
const DNS =
  'POST /v3/customer to https://replicated.app failed before an answer arrived (fetch failed: getaddrinfo ENOTFOUND replicated.app (ENOTFOUND)). Check DNS, the firewall and the proxy settings (HTTPS_PROXY, HTTP_PROXY, NO_PROXY); the request may be retried.';
const TLS =
  'POST /v3/customer to https://replicated.app failed before an answer arrived (fetch failed: unable to get local issuer certificate (UNABLE_TO_GET_ISSUER_CERT_LOCALLY)). Check DNS, the firewall and the proxy settings (HTTPS_PROXY, HTTP_PROXY, NO_PROXY); the request may be retried.';
const TIMEOUT =
  'POST /application/custom-metrics to https://replicated.app got no complete answer within 30000 ms. Check that this server can reach the Replicated endpoint (firewall, HTTPS_PROXY, NO_PROXY), or raise timeoutMs.';
const HTML =
  'Replicated answered HTTP 200 to POST /v3/customer without a customer id. The base URL may not point at Replicated, or a proxy answered in its place: check the endpoint and the proxy settings.';
const FORBIDDEN =
  'Replicated refused POST /v3/customer (HTTP 403: "License expired" [forbidden]): the license is expired or this customer may not use the application. Renew the license with the vendor; sending again will not help.';
const UNAVAILABLE =
  'Replicated answered HTTP 503 to POST /v3/customer: "Service Unavailable" [unavailable]. The vendor side failed: retry later with back-off.';
const REJECTED =
  'Replicated answered HTTP 400 to POST /application/custom-metrics: "data must not be empty" [invalid_metrics]. The vendor refused the request as invalid: fix what is sent, the same request will fail again.';

const healthy: DiagnosisFacts = {
  now,
  enterprise: true,
  endpoint: 'https://replicated.app',
  adminEmail: { address: 'ops@acme.example', source: 'env' },
  sender: { alive: true, lastSeenAt: ago(10 * 60_000) },
  lastContactAt: ago(2 * HOUR),
  failures: null,
  rejected: null,
  pending: { count: 0, oldestAt: null },
  license: { warn: false, message: '', expiresAt: null },
};

const failing = (error: string, days: number, count: number, extra: Partial<DiagnosisFacts> = {}): DiagnosisFacts => ({
  ...healthy,
  lastContactAt: ago(days * DAY),
  failures: { newest: { at: ago(HOUR), kind: 'identity', error }, oldestAt: ago(days * DAY - HOUR), count },
  pending: { count: 1, oldestAt: ago(days * DAY - HOUR) },
  ...extra,
});

const warning = (days: number, expiresInMs: number) => ({
  warn: days > 4,
  message: days > 4 ? 'Your OpenHands Enterprise license will expire in … days.' : '',
  expiresAt: new Date(now.getTime() + expiresInMs),
});

const cases: Array<[string, DiagnosisFacts, { state: string; tone: string; anchor: string; sentence: string }]> = [
  [
    'never contacted, nothing wrong yet',
    { ...healthy, lastContactAt: null, pending: { count: 1, oldestAt: ago(HOUR) } },
    {
      state: 'awaiting_first_contact',
      tone: 'waiting',
      anchor: 'uploads-fail',
      sentence:
        'Not in contact with the vendor yet: the first upload to https://replicated.app happens at the next check. Nothing to do: the first upload happens at the next check.',
    },
  ],
  [
    'reachable',
    healthy,
    {
      state: 'healthy',
      tone: 'good',
      anchor: '',
      sentence: 'Reporting normally to https://replicated.app; last contact 2026-11-23 10:00 UTC. Nothing to do.',
    },
  ],
  [
    'connection refused for 6 days, the warning on',
    failing(REFUSED, 6, 793, { license: warning(6, 28 * DAY + 5 * HOUR) }),
    {
      state: 'unreachable',
      tone: 'warning',
      anchor: 'connection-refused-or-timed-out',
      sentence:
        'Cannot reach the vendor at https://replicated.app: connection refused, since 2026-11-17 13:00 UTC (793 failed requests). Every user sees the license warning: the license expires on 2026-12-21 17:00 UTC (29 days left). Check DNS, the firewall, the proxy settings (HTTPS_PROXY, NO_PROXY) and the CA bundle from this server.',
    },
  ],
  [
    'DNS failing for 2 days, before the warning',
    failing(DNS, 2, 40, { license: warning(2, 32 * DAY) }),
    {
      state: 'unreachable',
      tone: 'warning',
      anchor: 'dns',
      sentence:
        'Cannot reach the vendor at https://replicated.app: the vendor host name does not resolve (DNS), since 2026-11-21 13:00 UTC (40 failed requests). If nothing reaches the vendor, the license expires on 2026-12-25 12:00 UTC (32 days left). Check DNS, the firewall, the proxy settings (HTTPS_PROXY, NO_PROXY) and the CA bundle from this server.',
    },
  ],
  [
    'the vendor answers 403',
    failing(FORBIDDEN, 1, 1, { license: warning(1, 33 * DAY) }),
    {
      state: 'refused',
      tone: 'danger',
      anchor: 'the-vendor-answers-with-an-error',
      sentence:
        'The vendor refused this installation at https://replicated.app: HTTP 403 "License expired", since 2026-11-22 13:00 UTC (1 failed request). If nothing reaches the vendor, the license expires on 2026-12-26 12:00 UTC (33 days left). Contact the vendor about the license; sending again will not help.',
    },
  ],
  [
    'batches rejected while check-ins go through',
    {
      ...healthy,
      rejected: { count: 3, oldestAt: ago(6 * DAY), newestError: REJECTED },
      license: warning(6, 28 * DAY),
    },
    {
      state: 'rejected',
      tone: 'warning',
      anchor: 'the-vendor-answers-with-an-error',
      sentence:
        'The vendor rejected batches sent to https://replicated.app: data must not be empty, since 2026-11-17 12:00 UTC. Every user sees the license warning: the license expires on 2026-12-21 12:00 UTC (28 days left). Contact the vendor with the batch and its error; a rejected batch is not sent again.',
    },
  ],
  [
    'an outage of 35 days: expired',
    failing(TIMEOUT, 35, 1200, { license: { warn: true, message: 'expired', expiresAt: ago(DAY) } }),
    {
      state: 'unreachable',
      tone: 'danger',
      anchor: 'connection-refused-or-timed-out',
      sentence:
        'Cannot reach the vendor at https://replicated.app: no answer in time (timeout), since 2026-10-19 13:00 UTC (1200 failed requests). Every user sees the license warning: the license expired on 2026-11-22 12:00 UTC. Check DNS, the firewall, the proxy settings (HTTPS_PROXY, NO_PROXY) and the CA bundle from this server.',
    },
  ],
  [
    'no admin email',
    { ...healthy, adminEmail: null, lastContactAt: null, pending: { count: 2, oldestAt: ago(3 * DAY) } },
    {
      state: 'no_admin_email',
      tone: 'warning',
      anchor: 'no-admin-email-found',
      sentence:
        'No admin email: nothing can be sent to the vendor without one; batches have been waiting since 2026-11-20 12:00 UTC. Set OPENHANDS_ADMIN_EMAIL, or have a first user accept the Terms.',
    },
  ],
  [
    'no sender (the lock holder stopped)',
    failing(REFUSED, 1, 3, { sender: { alive: false, lastSeenAt: ago(5 * HOUR) } }),
    {
      state: 'no_sender',
      tone: 'warning',
      anchor: 'no-replica-sends',
      sentence:
        'No server process is sending: the process holding the sender lock stopped checking in; the sender was last seen 2026-11-23 07:00 UTC. Check that a server process is running and can reach the database; another replica takes over once the lock is free.',
    },
  ],
  [
    'not an enterprise install whose uploads fail',
    failing(UNAVAILABLE, 9, 55, { enterprise: false, license: { warn: false, message: '', expiresAt: null } }),
    {
      state: 'vendor_failing',
      tone: 'warning',
      anchor: 'the-vendor-answers-with-an-error',
      sentence:
        'The vendor\'s service is failing at https://replicated.app: HTTP 503 "Service Unavailable", since 2026-11-14 13:00 UTC (55 failed requests). Not an enterprise installation: no license warning is shown, but nothing reaches the vendor until this is fixed. Nothing to fix here: uploads are retried with back-off. Contact the vendor if it lasts.',
    },
  ],
];

cases.push([
  'a source build pointed at the vendor: sends nothing',
  {
    ...healthy,
    sending: {
      sends: false,
      note: 'Source build (placeholder publishable key): telemetry is collected and shown but not sent.',
    },
  },
  {
    state: 'not_sending',
    tone: 'warning',
    anchor: '',
    sentence:
      'This build sends nothing to the vendor: Source build (placeholder publishable key): telemetry is collected and shown but not sent. Run the release image to report to the vendor, or set REPLICATED_API_URL to the emulator to try it out.',
  },
]);

describe('the diagnosis of the stored facts', () => {
  it.each(cases)('%s', (_name, facts, expected) => {
    const diagnosis = diagnose(facts);
    expect({ state: diagnosis.state, tone: diagnosis.tone, anchor: diagnosis.docsAnchor }).toEqual({
      state: expected.state,
      tone: expected.tone,
      anchor: expected.anchor,
    });
    expect(diagnosisSentence(diagnosis, utc)).toBe(expected.sentence);
  });

  it('never says "Reporting normally" (nor a green tone) while anything fails', () => {
    for (const [, facts] of cases.slice(2)) expect(diagnose(facts).tone).not.toBe('good');
    expect(diagnose({ ...healthy, sending: { sends: true, note: 'Release build.' } }).tone).toBe('good');
  });

  it('counts days left as the banner does: a part day is a day, none once expired', () => {
    const at = (ms: number) =>
      diagnose({ ...healthy, license: { warn: true, message: '', expiresAt: new Date(now.getTime() + ms) } });
    expect(at(DAY).license.daysLeft).toBe(1);
    expect(at(DAY + 1).license.daysLeft).toBe(2);
    expect(at(1).license).toMatchObject({ daysLeft: 1, expired: false });
    expect(at(0).license).toMatchObject({ daysLeft: 0, expired: true });
  });
});

describe('the cause of one failure', () => {
  const cause = (error: string, extra = {}) => failureCause({ at: now, kind: 'metrics', error, ...extra });
  it.each([
    [REFUSED, 'unreachable', 'refused'],
    [DNS, 'unreachable', 'dns'],
    [TLS, 'unreachable', 'tls'],
    [TIMEOUT, 'unreachable', 'timeout'],
    [HTML, 'unreachable', 'not_vendor'],
    [FORBIDDEN, 'refused', 'http_403'],
    [UNAVAILABLE, 'vendor_failing', 'http_503'],
    [REJECTED, 'rejected', 'http_400'],
  ])('reads %#', (error, kind, name) => {
    expect(cause(error)).toMatchObject({ kind, cause: name });
  });

  it('a 403 is the vendor refusing, never "could not be reached"', () => {
    expect(cause(FORBIDDEN).kind).toBe('refused');
    expect(cause(FORBIDDEN).reason).toBe('HTTP 403 "License expired"');
  });

  it("prefers the policy's stored cause and status to the message", () => {
    expect(cause('anything', { cause: 'proxy' })).toMatchObject({ kind: 'unreachable', cause: 'proxy' });
    expect(cause('anything', { httpStatus: 401 })).toMatchObject({ kind: 'refused', reason: 'HTTP 401' });
    expect(cause('anything', { policy: 'reject' })).toMatchObject({ kind: 'rejected' });
  });
});
