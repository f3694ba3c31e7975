import type { DbKind } from '@openhands/db';
import { type FieldFaultName, fieldFault } from '@openhands/replicated/emulator';
import { afterEach, describe, expect, it } from 'vitest';
import { licenseStatusAt } from '../../src/license/license-state.js';
import { batches, createWorld, DAY, HOUR, MINUTE, receivedBatchNumbers, type World } from './support/world.js';

// DECISIONS §3, written out: what the banner says T days into an outage that began an hour in.
const settings = { isEnterprise: true, warningThresholdDays: 4 };
const noWarning = { warn: false, message: '' };
// Batch 2, collected 2 days in and never accepted, is the anchor: 2 + 4 + 30 days from the start,
// seen 4 days and a minute after it: 32 days less a minute left, N = 32.
const expiresIn32 = {
  warn: true,
  message: 'Your OpenHands Enterprise license will expire in 32 days. Please contact support if this issue persists.',
};

/**
 * What the field answers in the vendor's place, for T days and a minute, with a collection every
 * 2 days so that a new batch is collected during it.
 * Each case: nothing lost, nothing marked sent that the vendor did not accept, the warning after
 * T days of it, and recovery sending everything, oldest first.
 */
const faults: Array<[FieldFaultName, DbKind[]]> = [
  ['captive-portal', ['postgres', 'pglite']],
  ['redirect', ['postgres']],
  ['gateway-404', ['postgres', 'pglite']],
  ['gateway-502', ['postgres']],
  ['proxy-407', ['postgres']],
  ['retry-after-far-date', ['postgres']],
  ['retry-after-garbage', ['postgres']],
  ['accept-then-hang', ['postgres']],
];
const cases = faults.flatMap(([fault, kinds]) => kinds.map((kind) => [fault, kind] as const));

describe("the field's faults (issue 9, item 6)", () => {
  let world: World;
  afterEach(async () => world?.close());

  it.each(cases)('%s on %s', async (fault, kind) => {
    world = await createWorld(kind);
    const it = await world.install({ clientTimeoutMs: 250, collectionIntervalDays: 2 });
    await world.advance(HOUR); // batch 1 accepted, check-ins going
    expect(receivedBatchNumbers(world.emulator)).toEqual([1]);
    const lastContact = (await it.state()).lastContactAt!;

    world.emulator.injectFaults(fieldFault(fault, { count: 1_000_000 }));
    const status = async () => licenseStatusAt(await it.state(), settings, world.clock.now());
    // Up to T days after the last contact: no warning.
    await world.advance(lastContact.getTime() + 4 * DAY - world.clock.now().getTime());
    expect(await status()).toEqual(noWarning);
    await world.advance(MINUTE);
    expect(await status()).toEqual(expiresIn32);

    const during = await batches(it.db);
    expect(during.map((b) => b.batchNumber)).toEqual([1, 2, 3]);
    for (const waiting of during.slice(1)) expect(waiting).toMatchObject({ uploadedAt: null, failedAt: null });
    expect(during[0]!.uploadedAt!.getTime()).toBeLessThanOrEqual(lastContact.getTime());
    // A vendor that took the request without answering has batch 2; nothing else got anything.
    expect(receivedBatchNumbers(world.emulator)).toEqual(fault === 'accept-then-hang' ? [1, 2] : [1]);

    world.emulator.clearFaults();
    // The longest wait: a Retry-After capped at 24 h; else the back-off, at most 6 h + jitter.
    await world.advance(fault === 'retry-after-far-date' ? 25 * HOUR : 7 * HOUR);
    const after = await batches(it.db);
    expect(after.every((b) => b.uploadedAt !== null)).toBe(true);
    expect(after[1]!.uploadedAt!.getTime()).toBeLessThanOrEqual(after[2]!.uploadedAt!.getTime());
    expect(receivedBatchNumbers(world.emulator)).toEqual(after.map((b) => b.batchNumber)); // oldest first
    expect(await status()).toEqual(noWarning);
  });
});
