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
const MINUTE = 60 * SECOND;
const PENDING = 'OpenHands Enterprise license verification pending. Please ensure network connectivity.';
const EXPIRED = 'Your OpenHands Enterprise license has expired. Please contact support immediately.';
const expiresIn = (n: string) =>
  `Your OpenHands Enterprise license will expire in ${n}. Please contact support if this issue persists.`;

interface Batch {
  collectedAgo: number;
  /** The vendor accepted it this long ago. */
  uploadedAgo?: number;
  /** The vendor rejected it this long ago. */
  rejectedAgo?: number;
}

interface Stored {
  batches: Batch[];
  /** The vendor accepted a status check-in this long ago. */
  checkInAgo?: number;
}

/** Puts the telemetry tables in a known state relative to `now`. */
async function setState(db: Queryable, now: Date, { batches, checkInAgo }: Stored): Promise<void> {
  await db.query('DELETE FROM telemetry_upload_attempts');
  await db.query('DELETE FROM telemetry_metrics');
  const at = (ago: number | undefined) => (ago === undefined ? null : new Date(now.getTime() - ago));
  await db.query('UPDATE telemetry_identity SET last_checkin_at = $1 WHERE id = 1', [at(checkInAgo)]);
  for (const batch of batches) {
    await db.query(
      `INSERT INTO telemetry_metrics (collected_at, metrics_data, uploaded_at, failed_at) VALUES ($1, '{"total_users": 1}', $2, $3)`,
      [at(batch.collectedAgo), at(batch.uploadedAgo), at(batch.rejectedAgo)],
    );
  }
}

/** A weekly batch the vendor accepted at once, `days` days ago. */
const accepted = (days: number): Batch => ({ collectedAgo: days * DAY, uploadedAgo: days * DAY });

// The worked examples of DECISIONS §3 (T = 4), each put in the database as the field would leave it.
const workedExamples: Array<[string, Stored, { warn: boolean; message: string }]> = [
  ['never contacted, oldest batch 1 day old', { batches: [{ collectedAgo: DAY }] }, { warn: false, message: '' }],
  [
    'never contacted, oldest batch 6 days old',
    { batches: [{ collectedAgo: 6 * DAY }, { collectedAgo: 2 * DAY }] },
    { warn: true, message: PENDING },
  ],
  [
    "last check-in 10 hours ago, this week's batch collected a minute ago and waiting",
    { batches: [accepted(14), accepted(7), { collectedAgo: MINUTE }], checkInAgo: 10 * HOUR },
    { warn: false, message: '' },
  ],
  [
    'last contact 10 days ago, oldest waiting batch 4 days old',
    { batches: [accepted(11), { collectedAgo: 4 * DAY }, { collectedAgo: HOUR }], checkInAgo: 10 * DAY },
    { warn: true, message: expiresIn('30 days') },
  ],
  [
    'last contact 5 days ago, nothing waiting',
    { batches: [accepted(12), accepted(5)], checkInAgo: 6 * DAY },
    { warn: true, message: expiresIn('29 days') },
  ],
  [
    'last check-in 1 hour ago, every batch of the last 6 days rejected',
    {
      batches: [
        accepted(13),
        { collectedAgo: 6 * DAY, rejectedAgo: 6 * DAY },
        { collectedAgo: 3 * DAY, rejectedAgo: 3 * DAY },
        { collectedAgo: 2 * HOUR, rejectedAgo: 2 * HOUR },
      ],
      checkInAgo: HOUR,
    },
    { warn: true, message: expiresIn('28 days') },
  ],
  [
    'oldest waiting batch 33 days 12 hours old',
    {
      batches: [accepted(41), { collectedAgo: 33 * DAY + 12 * HOUR }, { collectedAgo: 26 * DAY }],
      checkInAgo: 40 * DAY,
    },
    { warn: true, message: expiresIn('1 day') },
  ],
  [
    'oldest waiting batch 35 days old',
    { batches: [accepted(42), { collectedAgo: 35 * DAY }], checkInAgo: 40 * DAY },
    { warn: true, message: EXPIRED },
  ],
];

// And the boundaries: "more than T days" is exact elapsed time.
const boundaries: Array<[string, Stored, { warn: boolean; message: string }]> = [
  ['nothing collected yet', { batches: [] }, { warn: false, message: '' }],
  [
    'never contacted, oldest batch exactly T days old',
    { batches: [{ collectedAgo: 4 * DAY }] },
    { warn: false, message: '' },
  ],
  [
    'never contacted, oldest batch T days and a second old',
    { batches: [{ collectedAgo: 4 * DAY + SECOND }] },
    { warn: true, message: PENDING },
  ],
  ['last check-in exactly T days ago', { batches: [accepted(9)], checkInAgo: 4 * DAY }, { warn: false, message: '' }],
  [
    'last check-in T days and a second ago',
    { batches: [accepted(9)], checkInAgo: 4 * DAY + SECOND },
    { warn: true, message: expiresIn('30 days') },
  ],
  [
    'a rejected batch counts only until a later batch is accepted',
    {
      batches: [{ collectedAgo: 13 * DAY, rejectedAgo: 13 * DAY }, accepted(6), { collectedAgo: HOUR }],
      checkInAgo: 2 * HOUR,
    },
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

  it.each([...workedExamples, ...boundaries])('%s', async (_name, stored, expected) => {
    clock.set(new Date(clock.now().getTime() + 61 * SECOND)); // past the cache of the previous case
    await setState(t.db, clock.now(), stored);
    const response = await t.app.inject({ url: '/api/license-status' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toStrictEqual(expected); // exactly these two fields, no sign-in needed
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('serves from memory for under 60 s, and drops the copy the moment an upload recovers', async () => {
    clock.set(new Date(clock.now().getTime() + 61 * SECOND));
    await setState(t.db, clock.now(), { batches: [{ collectedAgo: 5 * DAY }] });
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
    await setState(t.db, clock.now(), { batches: [{ collectedAgo: 5 * DAY }] });
    expect((await get()).warn).toBe(true);
    await signIn(t.app, 'admin@acme.example');
    await t.telemetry!.runOnce(); // the waiting batch is due at once (or the Terms nudge sent it)
    const { rows } = await t.db.query<{ waiting: number }>(
      'SELECT count(*) FILTER (WHERE uploaded_at IS NULL)::int AS waiting FROM telemetry_metrics',
    );
    expect(rows[0]?.waiting).toBe(0);
    expect(await get()).toEqual({ warn: false, message: '' });
  });
});

describe.each(TEST_BACKENDS)('the first and last rows of the table on %s', (kind) => {
  it('never warns on an install that is not OpenHands Enterprise, whatever the data', async () => {
    const clock = new ManualClock('2026-11-23T12:00:00Z');
    const t = await createTestApp(kind, { GITHUB_APP_CLIENT_ID: 'only-one-of-three' }, { telemetryClock: clock });
    try {
      await setState(t.db, clock.now(), { batches: [{ collectedAgo: 90 * DAY }] });
      expect((await t.app.inject({ url: '/api/license-status' })).json()).toEqual({ warn: false, message: '' });
    } finally {
      await t.close();
    }
  });

  it('follows TELEMETRY_WARNING_THRESHOLD_DAYS (the T = 7 row of the table, then past it)', async () => {
    const clock = new ManualClock('2026-11-23T12:00:00Z');
    const t = await createTestApp(
      kind,
      { ...ENTERPRISE, TELEMETRY_WARNING_THRESHOLD_DAYS: '7' },
      { telemetryClock: clock },
    );
    try {
      // The last row of DECISIONS §3's table, with T = 7: a gap of 6 days is no warning.
      await setState(t.db, clock.now(), {
        batches: [accepted(6), { collectedAgo: DAY }],
        checkInAgo: 6 * DAY,
      });
      expect((await t.app.inject({ url: '/api/license-status' })).json()).toEqual({ warn: false, message: '' });
      clock.set(new Date(clock.now().getTime() + 2 * DAY + 61 * SECOND)); // 8 days and 61 s since contact
      // anchor = the waiting batch (3 days and 61 s ago) + 7 + 30 days: 34 days less 61 s left, N = 34.
      expect((await t.app.inject({ url: '/api/license-status' })).json()).toEqual({
        warn: true,
        message: expiresIn('34 days'),
      });
    } finally {
      await t.close();
    }
  });
});
