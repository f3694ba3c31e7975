import type { Queryable } from '@openhands/db';
import { TEST_BACKENDS } from '@openhands/db/testing';
import { type Emulator, startEmulator } from '@openhands/replicated/emulator';
import { ManualClock } from '@openhands/telemetry/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signIn, type TestApp } from './support/test-app.js';

const ENTERPRISE = {
  GITHUB_APP_CLIENT_ID: 'gh-app',
  KEYCLOAK_SERVER_URL: 'https://kc.acme.example',
  KEYCLOAK_REALM_NAME: 'oh',
};
const SECOND = 1000;
const HOUR = 3600 * SECOND;
const DAY = 24 * HOUR;
const PENDING = 'OpenHands Enterprise license verification pending. Please ensure network connectivity.';
const EXPIRED = 'Your OpenHands Enterprise license has expired. Please contact support immediately.';
const expiresIn = (n: string) =>
  `Your OpenHands Enterprise license will expire in ${n}. Please contact support if this issue persists.`;

interface Batch {
  collectedAgo: number;
  uploadedAgo?: number;
  rejectedAgo?: number;
}

/** Puts the telemetry tables in a known state relative to `now`. */
async function setBatches(db: Queryable, now: Date, batches: Batch[]): Promise<void> {
  await db.query('DELETE FROM telemetry_upload_attempts');
  await db.query('DELETE FROM telemetry_metrics');
  const at = (ago: number | undefined) => (ago === undefined ? null : new Date(now.getTime() - ago));
  for (const batch of batches) {
    await db.query(
      `INSERT INTO telemetry_metrics (collected_at, metrics_data, uploaded_at, failed_at) VALUES ($1, '{"total_users": 1}', $2, $3)`,
      [at(batch.collectedAgo), at(batch.uploadedAgo), at(batch.rejectedAgo)],
    );
  }
}

const table: Array<[string, Batch[], { warn: boolean; message: string }]> = [
  ['never uploaded, no batch', [], { warn: false, message: '' }],
  ['never uploaded, the oldest batch exactly T days old', [{ collectedAgo: 4 * DAY }], { warn: false, message: '' }],
  [
    'never uploaded, the oldest batch T days and a second old',
    [{ collectedAgo: 4 * DAY + SECOND }, { collectedAgo: DAY }],
    { warn: true, message: PENDING },
  ],
  [
    'last upload exactly T days ago',
    [{ collectedAgo: 5 * DAY, uploadedAgo: 4 * DAY }, { collectedAgo: 3 * DAY }],
    { warn: false, message: '' },
  ],
  [
    'last upload T days and a second ago',
    [{ collectedAgo: 5 * DAY, uploadedAgo: 4 * DAY + SECOND }, { collectedAgo: 4 * DAY }],
    { warn: true, message: expiresIn('30 days') },
  ],
  [
    'last upload long ago, nothing unsent',
    [{ collectedAgo: 20 * DAY, uploadedAgo: 19 * DAY }],
    { warn: false, message: '' },
  ],
  [
    'N = 1',
    [{ collectedAgo: 41 * DAY, uploadedAgo: 40 * DAY }, { collectedAgo: 32 * DAY + SECOND }],
    { warn: true, message: expiresIn('1 day') },
  ],
  [
    'expiry 12 hours ahead (N = 0)',
    [{ collectedAgo: 41 * DAY, uploadedAgo: 40 * DAY }, { collectedAgo: 34 * DAY - 12 * HOUR }],
    { warn: true, message: EXPIRED },
  ],
  [
    'expiry an hour past',
    [{ collectedAgo: 41 * DAY, uploadedAgo: 40 * DAY }, { collectedAgo: 34 * DAY + HOUR }],
    { warn: true, message: EXPIRED },
  ],
  [
    'a rejected batch is not waiting to be sent',
    [
      { collectedAgo: 11 * DAY, uploadedAgo: 10 * DAY },
      { collectedAgo: 9 * DAY, rejectedAgo: 9 * DAY },
    ],
    { warn: false, message: '' },
  ],
];

describe.each(TEST_BACKENDS)('GET /api/license-status on %s', (kind) => {
  let clock: ManualClock;
  let t: TestApp;
  let emulator: Emulator;
  beforeAll(async () => {
    clock = new ManualClock('2026-11-23T12:00:00Z');
    emulator = await startEmulator();
    t = await createTestApp(kind, { ...ENTERPRISE, REPLICATED_API_URL: emulator.url }, { telemetryClock: clock });
  });
  afterAll(async () => {
    await t.close();
    await emulator.close();
  });

  it.each(table)('%s', async (_name, batches, expected) => {
    clock.set(new Date(clock.now().getTime() + 61 * SECOND)); // past the cache of the previous case
    await setBatches(t.db, clock.now(), batches);
    const response = await t.app.inject({ url: '/api/license-status' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toStrictEqual(expected); // exactly these two fields, no sign-in needed
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('serves from memory for under 60 s, and drops the copy the moment an upload recovers', async () => {
    clock.set(new Date(clock.now().getTime() + 61 * SECOND));
    await setBatches(t.db, clock.now(), [{ collectedAgo: 5 * DAY }]);
    const get = async () => (await t.app.inject({ url: '/api/license-status' })).json();
    expect(await get()).toEqual({ warn: true, message: PENDING });

    // The state changes behind the service's back: the cached answer stands for 60 s.
    await t.db.query('UPDATE telemetry_metrics SET uploaded_at = $1', [clock.now()]);
    clock.set(new Date(clock.now().getTime() + 59 * SECOND));
    expect((await get()).warn).toBe(true);
    clock.set(new Date(clock.now().getTime() + SECOND));
    expect((await get()).warn).toBe(false);

    // A failing state again, then an upload that succeeds: cleared at once, no waiting.
    clock.set(new Date(clock.now().getTime() + 61 * SECOND));
    await setBatches(t.db, clock.now(), [{ collectedAgo: 5 * DAY }]);
    expect((await get()).warn).toBe(true);
    await signIn(t.app, 'admin@acme.example');
    const { outcome } = await t.telemetry!.uploadNow();
    expect(outcome).toBe('uploaded');
    expect(await get()).toEqual({ warn: false, message: '' });
  });
});

describe('the license status elsewhere', () => {
  it('never warns on an install that is not OpenHands Enterprise, whatever the data', async () => {
    const clock = new ManualClock('2026-11-23T12:00:00Z');
    const t = await createTestApp('pglite', { GITHUB_APP_CLIENT_ID: 'only-one-of-three' }, { telemetryClock: clock });
    try {
      await setBatches(t.db, clock.now(), [{ collectedAgo: 90 * DAY }]);
      expect((await t.app.inject({ url: '/api/license-status' })).json()).toEqual({ warn: false, message: '' });
    } finally {
      await t.close();
    }
  });

  it('follows TELEMETRY_WARNING_THRESHOLD_DAYS', async () => {
    const clock = new ManualClock('2026-11-23T12:00:00Z');
    const t = await createTestApp(
      'pglite',
      { ...ENTERPRISE, TELEMETRY_WARNING_THRESHOLD_DAYS: '10' },
      { telemetryClock: clock },
    );
    try {
      await setBatches(t.db, clock.now(), [
        { collectedAgo: 12 * DAY, uploadedAgo: 10 * DAY },
        { collectedAgo: 9 * DAY },
      ]);
      expect((await t.app.inject({ url: '/api/license-status' })).json()).toEqual({ warn: false, message: '' });
      clock.set(new Date(clock.now().getTime() + 61 * SECOND)); // now 10 days and 61 s after the upload
      // expiry = oldest unsent (9 days + 61 s ago) + 10 + 30 days: 30 days and change left.
      expect((await t.app.inject({ url: '/api/license-status' })).json()).toEqual({
        warn: true,
        message: expiresIn('30 days'),
      });
    } finally {
      await t.close();
    }
  });
});
