import { describe, expect, it } from 'vitest';
import {
  type LicenseInputs,
  licenseDetails,
  licenseStatus,
  licenseStatusReplayed,
} from '../src/license/license-state.js';

// DECISIONS §3, written out here and not imported from the code under test.
const PENDING = 'OpenHands Enterprise license verification pending. Please ensure network connectivity.';
const EXPIRED = 'Your OpenHands Enterprise license has expired. Please contact support immediately.';
const expiresIn = (n: string) =>
  `Your OpenHands Enterprise license will expire in ${n}. Please contact support if this issue persists.`;

const now = new Date('2026-11-23T12:00:00Z');
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const ago = (ms: number) => new Date(now.getTime() - ms);
const base: LicenseInputs = {
  isEnterprise: true,
  now,
  thresholdDays: 4,
  lastContactAt: null,
  oldestBatchAt: null,
  oldestUnacceptedAt: null,
};
const none = { warn: false, message: '' };

describe('the worked examples of DECISIONS §3 (T = 4)', () => {
  it.each<[string, Partial<LicenseInputs>, { warn: boolean; message: string }]>([
    [
      'not an enterprise install, whatever the data',
      { isEnterprise: false, oldestBatchAt: ago(90 * DAY), oldestUnacceptedAt: ago(90 * DAY) },
      none,
    ],
    ['never contacted, oldest batch 1 day old', { oldestBatchAt: ago(DAY), oldestUnacceptedAt: ago(DAY) }, none],
    [
      'never contacted, oldest batch 6 days old',
      { oldestBatchAt: ago(6 * DAY), oldestUnacceptedAt: ago(6 * DAY) },
      { warn: true, message: PENDING },
    ],
    [
      "last check-in 10 hours ago, this week's batch collected a minute ago and waiting",
      { lastContactAt: ago(10 * HOUR), oldestBatchAt: ago(60 * DAY), oldestUnacceptedAt: ago(MINUTE) },
      none,
    ],
    [
      'last contact 10 days ago, oldest waiting batch 4 days old',
      { lastContactAt: ago(10 * DAY), oldestBatchAt: ago(60 * DAY), oldestUnacceptedAt: ago(4 * DAY) },
      { warn: true, message: expiresIn('30 days') },
    ],
    [
      'last contact 5 days ago, nothing waiting',
      { lastContactAt: ago(5 * DAY), oldestBatchAt: ago(60 * DAY) },
      { warn: true, message: expiresIn('29 days') },
    ],
    [
      'last check-in 1 hour ago, every batch of the last 6 days rejected',
      { lastContactAt: ago(HOUR), oldestBatchAt: ago(60 * DAY), oldestUnacceptedAt: ago(6 * DAY) },
      { warn: true, message: expiresIn('28 days') },
    ],
    [
      'oldest waiting batch 33 days 12 hours old',
      { lastContactAt: ago(40 * DAY), oldestBatchAt: ago(60 * DAY), oldestUnacceptedAt: ago(33 * DAY + 12 * HOUR) },
      { warn: true, message: expiresIn('1 day') },
    ],
    [
      'oldest waiting batch 35 days old',
      { lastContactAt: ago(40 * DAY), oldestBatchAt: ago(60 * DAY), oldestUnacceptedAt: ago(35 * DAY) },
      { warn: true, message: EXPIRED },
    ],
    [
      'T = 7, last contact 6 days ago, a batch 1 day old waiting',
      { thresholdDays: 7, lastContactAt: ago(6 * DAY), oldestBatchAt: ago(60 * DAY), oldestUnacceptedAt: ago(DAY) },
      none,
    ],
  ])('%s', (_state, input, expected) => {
    expect(licenseStatus({ ...base, ...input })).toStrictEqual(expected);
  });
});

describe('the boundaries', () => {
  it.each<[string, Partial<LicenseInputs>, { warn: boolean; message: string }]>([
    ['nothing at all', {}, none],
    ['never contacted, oldest batch exactly T days old', { oldestBatchAt: ago(4 * DAY) }, none],
    [
      'never contacted, oldest batch T days and a second old',
      { oldestBatchAt: ago(4 * DAY + SECOND) },
      { warn: true, message: PENDING },
    ],
    ['last contact exactly T days ago', { lastContactAt: ago(4 * DAY) }, none],
    [
      'last contact T days and a second ago',
      { lastContactAt: ago(4 * DAY + SECOND) },
      { warn: true, message: expiresIn('30 days') },
    ],
    // remaining = 30 days less a second: a part day counts as a day.
    [
      '30 days less a second left',
      { lastContactAt: ago(HOUR), oldestUnacceptedAt: ago(4 * DAY + SECOND) },
      { warn: true, message: expiresIn('30 days') },
    ],
    [
      '29 days and an hour left',
      { lastContactAt: ago(HOUR), oldestUnacceptedAt: ago(5 * DAY - HOUR) },
      { warn: true, message: expiresIn('30 days') },
    ],
    [
      'exactly one day left',
      { lastContactAt: ago(40 * DAY), oldestUnacceptedAt: ago(33 * DAY) },
      { warn: true, message: expiresIn('1 day') },
    ],
    [
      'a second left',
      { lastContactAt: ago(40 * DAY), oldestUnacceptedAt: ago(34 * DAY - SECOND) },
      { warn: true, message: expiresIn('1 day') },
    ],
    [
      'exactly at expiry',
      { lastContactAt: ago(40 * DAY), oldestUnacceptedAt: ago(34 * DAY) },
      { warn: true, message: EXPIRED },
    ],
    [
      'the contact gap alone, anchored on the last contact',
      { lastContactAt: ago(34 * DAY + SECOND) },
      { warn: true, message: EXPIRED },
    ],
  ])('%s', (_state, input, expected) => {
    expect(licenseStatus({ ...base, ...input })).toStrictEqual(expected);
  });

  it('gives the date it counts down to', () => {
    const details = licenseDetails({ ...base, lastContactAt: ago(10 * DAY), oldestUnacceptedAt: ago(4 * DAY) });
    expect(details.expiresAt?.toISOString()).toBe('2026-12-23T12:00:00.000Z');
    expect(licenseDetails({ ...base, oldestBatchAt: ago(6 * DAY) }).expiresAt).toBeNull();
  });
});

describe('the replay for the admin history', () => {
  const settings = { isEnterprise: true, warningThresholdDays: 4 };
  it('counts a check-in as contact and only batches after the newest accepted one', () => {
    const batches = [
      { collectedAt: ago(20 * DAY), uploadedAt: ago(20 * DAY) },
      { collectedAt: ago(13 * DAY), uploadedAt: null }, // rejected
      { collectedAt: ago(6 * DAY), uploadedAt: ago(6 * DAY) },
      { collectedAt: ago(5 * DAY), uploadedAt: null }, // rejected or waiting: counts
    ];
    expect(licenseStatusReplayed(batches, [ago(HOUR)], settings, now)).toStrictEqual({
      warn: true,
      message: expiresIn('29 days'),
    });
    // Three days earlier the 5-day-old batch was two days old: no gap over T.
    expect(licenseStatusReplayed(batches, [ago(3 * DAY + HOUR)], settings, ago(3 * DAY))).toStrictEqual(none);
    // Without the check-in, the contact gap of the same moment is measured from the last accepted batch.
    expect(licenseStatusReplayed(batches.slice(0, 2), [], settings, ago(7 * DAY))).toStrictEqual({
      warn: true,
      message: expiresIn('28 days'),
    });
  });
});
