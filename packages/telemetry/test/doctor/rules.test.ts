import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type DoctorFacts,
  doctorReport,
  judgeVendorAnswer,
  proxyFor,
  proxySettings,
  stateChecks,
  TROUBLESHOOTING,
} from '../../src/doctor/index.js';

describe("which proxy a request takes (the vendor client's rules)", () => {
  const cases: Array<[string, Record<string, string>, string | undefined]> = [
    ['https://replicated.app', {}, undefined],
    ['https://replicated.app', { HTTPS_PROXY: 'http://p:3128' }, 'http://p:3128'],
    ['https://replicated.app', { HTTP_PROXY: 'http://h:3128' }, 'http://h:3128'],
    ['http://emulator:8787', { HTTPS_PROXY: 'http://p:3128' }, undefined],
    ['https://replicated.app', { HTTPS_PROXY: 'http://upper:1', https_proxy: 'http://lower:1' }, 'http://lower:1'],
    ['https://replicated.app', { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'replicated.app' }, undefined],
    ['https://replicated.app', { HTTPS_PROXY: 'http://p:1', NO_PROXY: '.replicated.app' }, undefined],
    ['https://api.replicated.app', { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'replicated.app' }, undefined],
    ['https://notreplicated.app', { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'replicated.app' }, 'http://p:1'],
    ['https://replicated.app', { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'replicated.app:8443' }, 'http://p:1'],
    ['https://replicated.app', { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'replicated.app:443' }, undefined],
    ['https://replicated.app', { HTTPS_PROXY: 'http://p:1', NO_PROXY: '*' }, undefined],
    ['https://replicated.app', { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'a.local, *.replicated.app' }, undefined],
    ['https://replicated.app', { HTTPS_PROXY: '', HTTP_PROXY: '' }, undefined],
  ];
  it.each(cases)('%s with %j goes through %s', (target, env, expected) => {
    expect(proxyFor(new URL(target), proxySettings(env))).toBe(expected);
  });
});

describe("the vendor's answer to the doctor's probe", () => {
  const json = 'application/json; charset=utf-8';
  const cases: Array<[string, Parameters<typeof judgeVendorAnswer>[0], string, RegExp]> = [
    [
      '401 JSON: the vendor, as expected',
      { status: 401, contentType: json, body: '{"message":"no"}' },
      'ok',
      /as expected without credentials/,
    ],
    ['200 JSON', { status: 200, contentType: json, body: '{}' }, 'ok', /its own JSON \(HTTP 200\)/],
    [
      '403 JSON',
      { status: 403, contentType: json, body: '{"message":"License expired"}' },
      'fail',
      /refused \(HTTP 403: "License expired"\)/,
    ],
    ['429 JSON', { status: 429, contentType: json, body: '{}' }, 'warn', /rate-limits/],
    ['503 JSON', { status: 503, contentType: json, body: '{}' }, 'warn', /failure of its own \(HTTP 503\)/],
    [
      '404 JSON',
      { status: 404, contentType: json, body: '{"message":"No such endpoint"}' },
      'warn',
      /HTTP 404: "No such endpoint"/,
    ],
    [
      '200 HTML (captive portal)',
      { status: 200, contentType: 'text/html', body: '<title>Login</title>' },
      'fail',
      /HTTP 200 with text\/html \(page title "Login"\), not the vendor's JSON/,
    ],
    [
      '200 with a JSON type but HTML',
      { status: 200, contentType: json, body: '<html>' },
      'fail',
      /not the vendor's JSON/,
    ],
    ['200 JSON array', { status: 200, contentType: json, body: '[]' }, 'fail', /not the vendor's JSON/],
    ['407 from a proxy', { status: 407, contentType: 'text/plain', body: 'auth' }, 'fail', /HTTP 407 with text\/plain/],
    [
      '302 to a login page',
      { status: 302, contentType: '', body: '', location: 'https://login.corp/' },
      'fail',
      /redirect to https:\/\/login\.corp\//,
    ],
    ['no content type', { status: 200, contentType: '', body: 'ok' }, 'fail', /with no content type/],
  ];
  it.each(cases)('%s', (_title, answer, status, summary) => {
    const judged = judgeVendorAnswer(answer);
    expect(judged.status).toBe(status);
    expect(judged.summary).toMatch(summary);
    if (status !== 'ok') expect(judged.fix).toEqual(expect.any(String));
  });
});

describe('the server-side checks', () => {
  const NOW = new Date('2026-11-30T12:00:00Z');
  const healthy: DoctorFacts = {
    now: NOW,
    enterprise: true,
    sending: { sends: true, note: 'Release build: telemetry is sent to https://replicated.app.' },
    adminEmail: { email: 'ada@acme.example', source: 'env' },
    sender: {
      holder: 'pod-a:1:ab',
      isThisProcess: true,
      lastSeenAt: new Date('2026-11-30T11:30:00Z'),
      stale: false,
      staleMessage: null,
    },
    pendingCount: 0,
    oldestPendingAt: null,
    backoffUntil: null,
    lastContactAt: new Date('2026-11-30T08:00:00Z'),
    lastFailure: null,
    failureCount: 0,
    license: { warn: false, message: '', expiresAt: null, daysLeft: null },
    uploadIntervalHours: 24,
  };
  const byId = (facts: DoctorFacts) => Object.fromEntries(stateChecks(facts).map((check) => [check.id, check]));

  it('passes a healthy installation, and shows the full admin email with its source', () => {
    const checks = stateChecks(healthy);
    expect(checks.map((c) => [c.id, c.status])).toEqual([
      ['endpoint', 'ok'],
      ['admin-email', 'ok'],
      ['sender', 'ok'],
      ['pending', 'ok'],
      ['last-upload', 'ok'],
      ['license', 'ok'],
    ]);
    expect(byId(healthy)['admin-email']?.summary).toBe('Admin email ada@acme.example (from OPENHANDS_ADMIN_EMAIL).');
    expect(byId(healthy)['sender']?.summary).toBe(
      'This process (pod-a:1:ab) holds the sender lock; last check 30 min ago (2026-11-30T11:30:00.000Z).',
    );
    expect(doctorReport('server', 'https://replicated.app', NOW, checks).verdict).toBe('healthy');
  });

  const states: Array<[string, Partial<DoctorFacts>, string, string, RegExp]> = [
    ['no admin email', { adminEmail: null }, 'admin-email', 'no-admin-email-found', /No admin email/],
    ['no sender ever', { sender: null }, 'sender', 'no-replica-sends', /No replica has ever held the sender lock/],
    [
      'a stale sender',
      {
        sender: {
          holder: 'pod-b:7:cd',
          isThisProcess: false,
          lastSeenAt: new Date('2026-11-30T09:00:00Z'),
          stale: true,
          staleMessage: 'pod-b:7:cd has not checked in for 3 h',
        },
      },
      'sender',
      'no-replica-sends',
      /No sender: pod-b:7:cd has not checked in for 3 h \(last check 3 h ago/,
    ],
    [
      'batches waiting for two days',
      {
        pendingCount: 3,
        oldestPendingAt: new Date('2026-11-28T12:00:00Z'),
        backoffUntil: new Date('2026-11-30T13:00:00Z'),
      },
      'pending',
      'uploads-fail',
      /3 batches waiting, the oldest collected 2 days ago .* longer than the 24 h upload interval; next attempt 2026-11-30T13:00:00.000Z/,
    ],
    [
      'a refused registration since the last upload',
      {
        lastFailure: { at: new Date('2026-11-30T11:00:00Z'), kind: 'identity', error: 'HTTP 403: "License expired"' },
        failureCount: 793,
      },
      'last-upload',
      'the-vendor-answers-with-an-error',
      /The last vendor request \(identity, 60 min ago .*\) failed: HTTP 403: "License expired"; last contact 4 h ago .*\(793 failed requests since\)\.$/,
    ],
    [
      'connection refused, never uploaded',
      {
        lastContactAt: null,
        lastFailure: { at: new Date('2026-11-30T11:00:00Z'), kind: 'metrics', error: 'connect ECONNREFUSED' },
        failureCount: 1,
      },
      'last-upload',
      'uploads-fail',
      /failed: connect ECONNREFUSED; the vendor never accepted a request\.$/,
    ],
    [
      'the license warning',
      {
        license: {
          warn: true,
          message:
            'Your OpenHands Enterprise license will expire in 12 days. Please contact support if this issue persists.',
          expiresAt: new Date('2026-12-12T09:00:00Z'),
          daysLeft: 12,
        },
      },
      'license',
      'the-license-banner-shows',
      /License warning on every page: "Your OpenHands Enterprise license will expire in 12 days\. .*" \(expiry 2026-12-12, 12 days left\)$/,
    ],
  ];
  it.each(states)('names %s, says what to do and links the docs', (_title, change, id, docs, summary) => {
    const check = byId({ ...healthy, ...change })[id];
    expect(check?.status).toBe(change.pendingCount ? 'warn' : 'fail');
    expect(check?.summary).toMatch(summary);
    expect(check?.fix).toEqual(expect.any(String));
    expect(check?.docs).toBe(docs);
    expect(doctorReport('server', 'x', NOW, stateChecks({ ...healthy, ...change })).verdict).toBe('warning');
  });

  it('warns that a source build never sends to the vendor', () => {
    const note =
      'Source build (placeholder publishable key): telemetry is collected and shown but not sent; it is sent only to an explicitly set REPLICATED_API_URL such as the emulator (npm run demo), never to the vendor.';
    expect(byId({ ...healthy, sending: { sends: false, note } })['endpoint']).toMatchObject({
      status: 'warn',
      summary: note,
      fix: expect.stringContaining('release image'),
    });
  });

  it('does not warn about the license on an install that is not enterprise', () => {
    const check = byId({ ...healthy, enterprise: false })['license'];
    expect(check).toMatchObject({
      status: 'ok',
      summary: expect.stringContaining('Not an OpenHands Enterprise install'),
    });
  });

  it('ignores a failure older than the last successful upload', () => {
    const old = { at: new Date('2026-11-29T00:00:00Z'), kind: 'metrics', error: 'ECONNRESET' };
    expect(byId({ ...healthy, lastFailure: old })['last-upload']?.status).toBe('ok');
  });
});

describe('the docs the checks link to', () => {
  it('has a section of docs/troubleshooting.md for every anchor', () => {
    const text = readFileSync(new URL('../../../../docs/troubleshooting.md', import.meta.url), 'utf8');
    // GitHub's heading slugs: lower case, punctuation dropped, spaces to hyphens.
    const slugs = new Set(
      [...text.matchAll(/^#{2,4} (.+)$/gm)].map((m) =>
        (m[1] ?? '')
          .toLowerCase()
          .replace(/[^a-z0-9 -]/g, '')
          .replace(/ /g, '-'),
      ),
    );
    const anchors = [
      'uploads-fail',
      'connection-refused-or-timed-out',
      'dns',
      'tls',
      'proxy',
      'an-answer-that-is-not-the-vendors',
      'clock',
      'the-vendor-answers-with-an-error',
      'no-admin-email-found',
      'no-replica-sends',
      'the-license-banner-shows',
    ];
    expect(Object.values(TROUBLESHOOTING).sort()).toEqual([...anchors].sort());
    for (const anchor of anchors) expect(slugs.has(anchor), anchor).toBe(true);
  });
});
