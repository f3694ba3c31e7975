import { describe, expect, it } from 'vitest';
import { expiresInMessage, LICENSE_EXPIRED, licenseStatus, NO_WARNING, VERIFICATION_PENDING } from '../src/index.js';

const DAY = 86_400_000;
const now = new Date('2026-11-23T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);
const base = {
  isEnterprise: true,
  now,
  thresholdDays: 4,
  lastUploadAt: null,
  oldestBatchAt: null,
  oldestUnsentAt: null,
};

describe('the license status (DECISIONS.md §3)', () => {
  it('never warns on an install that is not OpenHands Enterprise, whatever the data', () => {
    expect(
      licenseStatus({ ...base, isEnterprise: false, oldestBatchAt: ago(100 * DAY), oldestUnsentAt: ago(100 * DAY) }),
    ).toEqual(NO_WARNING);
    expect(
      licenseStatus({ ...base, isEnterprise: false, lastUploadAt: ago(90 * DAY), oldestUnsentAt: ago(80 * DAY) }),
    ).toEqual(NO_WARNING);
  });

  describe('never uploaded', () => {
    it('is quiet with no batch at all', () => {
      expect(licenseStatus(base)).toEqual(NO_WARNING);
    });
    it('is quiet while the oldest batch is exactly T days old', () => {
      expect(licenseStatus({ ...base, oldestBatchAt: ago(4 * DAY), oldestUnsentAt: ago(4 * DAY) })).toEqual(NO_WARNING);
    });
    it('says verification is pending once it is T days and a second old', () => {
      const at = ago(4 * DAY + 1000);
      expect(licenseStatus({ ...base, oldestBatchAt: at, oldestUnsentAt: at })).toEqual({
        warn: true,
        message: VERIFICATION_PENDING,
      });
    });
  });

  describe('uploaded before', () => {
    it('is quiet when the last upload is exactly T days ago', () => {
      expect(licenseStatus({ ...base, lastUploadAt: ago(4 * DAY), oldestUnsentAt: ago(4 * DAY) })).toEqual(NO_WARNING);
    });
    it('is quiet after T days when nothing waits to be sent', () => {
      expect(licenseStatus({ ...base, lastUploadAt: ago(10 * DAY), oldestBatchAt: ago(20 * DAY) })).toEqual(NO_WARNING);
    });
    it('counts the days left from the oldest unsent batch once the last upload is T days and a second ago', () => {
      // expiry = oldest unsent + 4 + 30 days; oldest unsent 5 days ago: 29 days and a bit left.
      const status = licenseStatus({ ...base, lastUploadAt: ago(4 * DAY + 1000), oldestUnsentAt: ago(5 * DAY) });
      expect(status).toEqual({ warn: true, message: expiresInMessage(29) });
      expect(status.message).toBe(
        'Your OpenHands Enterprise license will expire in 29 days. Please contact support if this issue persists.',
      );
    });
    it('says "1 day" when N is 1', () => {
      const oldest = ago(33 * DAY + 3_600_000); // expiry in 23 hours... N = 0; pick 32 days ago: expiry in 2 days
      expect(
        licenseStatus({ ...base, lastUploadAt: ago(40 * DAY), oldestUnsentAt: ago(32 * DAY + 1000) }).message,
      ).toBe('Your OpenHands Enterprise license will expire in 1 day. Please contact support if this issue persists.');
      expect(licenseStatus({ ...base, lastUploadAt: ago(40 * DAY), oldestUnsentAt: oldest }).message).toBe(
        LICENSE_EXPIRED,
      );
    });
    it('says expired when the expiry is 12 hours ahead (N = 0)', () => {
      const oldestUnsentAt = ago(34 * DAY - 12 * 3_600_000);
      expect(licenseStatus({ ...base, lastUploadAt: ago(40 * DAY), oldestUnsentAt })).toEqual({
        warn: true,
        message: LICENSE_EXPIRED,
      });
    });
    it('says expired when the expiry was an hour ago', () => {
      const oldestUnsentAt = ago(34 * DAY + 3_600_000);
      expect(licenseStatus({ ...base, lastUploadAt: ago(40 * DAY), oldestUnsentAt }).message).toBe(LICENSE_EXPIRED);
    });
    it('follows another threshold T, in the trigger and in the expiry', () => {
      const t = { ...base, thresholdDays: 10 };
      expect(licenseStatus({ ...t, lastUploadAt: ago(10 * DAY), oldestUnsentAt: ago(10 * DAY) })).toEqual(NO_WARNING);
      // expiry = oldest unsent + 10 + 30 days; oldest unsent 11 days ago: 29 days left.
      expect(licenseStatus({ ...t, lastUploadAt: ago(10 * DAY + 1000), oldestUnsentAt: ago(11 * DAY) }).message).toBe(
        expiresInMessage(29),
      );
      expect(licenseStatus({ ...t, oldestBatchAt: ago(10 * DAY + 1000) }).message).toBe(VERIFICATION_PENDING);
    });
  });
});
