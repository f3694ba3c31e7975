import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { type Emulator, type FieldFaultName, fieldFault } from '../src/emulator/index.js';
import {
  isReplicatedError,
  ReplicatedAbortedError,
  ReplicatedApiError,
  ReplicatedAuthError,
  type ReplicatedClient,
  ReplicatedForbiddenError,
  ReplicatedNetworkError,
  ReplicatedRateLimitedError,
  vendorVerdict,
} from '../src/index.js';
import { clientFor, FINGERPRINT, identify, NOW, rejectionOf, startTestEmulator, waitFor } from './helpers.js';

let emulator: Emulator;
let client: ReplicatedClient;
/** For the cases that are about timing out: everything else has the helpers' roomier timeout. */
let impatient: ReplicatedClient;
let identity: Awaited<ReturnType<typeof identify>>;

beforeEach(async () => {
  emulator = await startTestEmulator();
  client = clientFor(emulator.url);
  impatient = clientFor(emulator.url, { timeoutMs: 300 });
  identity = await identify(client);
});

afterEach(async () => {
  await client.close();
  await impatient.close();
  await emulator.close();
});

function send(target: ReplicatedClient = client, signal?: AbortSignal) {
  return target.sendMetrics({ ...identity, clusterId: FINGERPRINT, data: { active_users: 5 }, signal });
}

describe('status codes', () => {
  test('401 is an auth error that asks for new credentials', async () => {
    emulator.injectFaults({ kind: 'status', status: 401 });
    const error = await rejectionOf(send());

    expect(error).toBeInstanceOf(ReplicatedAuthError);
    expect(error).toMatchObject({
      code: 'REPLICATED_ERR_AUTH',
      status: 401,
      operation: 'POST /application/custom-metrics',
    });
    expect(vendorVerdict(error)).toEqual({ verdict: 'reregister' });
  });

  test('a token the vendor no longer knows is the same auth error', async () => {
    emulator.reset();
    const error = await rejectionOf(send());

    expect(error).toBeInstanceOf(ReplicatedAuthError);
    expect(error).toMatchObject({ vendorCode: 'unauthorized' });
  });

  test("403 is its own error (the license is expired): not the batch's fault, so kept and retried", async () => {
    emulator.injectFaults({ kind: 'status', status: 403, message: 'license expired', code: 'license_expired' });
    const error = await rejectionOf(send());

    expect(error).toBeInstanceOf(ReplicatedForbiddenError);
    expect(error).toMatchObject({ status: 403, vendorMessage: 'license expired', vendorCode: 'license_expired' });
    expect((error as Error).message).toMatch(/license is expired/);
    expect(vendorVerdict(error)).toEqual({ verdict: 'retry' });
  });

  test('429 with Retry-After in seconds', async () => {
    emulator.injectFaults({ kind: 'status', status: 429, retryAfter: 7 });
    const error = await rejectionOf(send());

    expect(error).toBeInstanceOf(ReplicatedRateLimitedError);
    expect(error).toMatchObject({ code: 'REPLICATED_ERR_RATE_LIMITED', retryAfterMs: 7_000 });
    expect((error as Error).message).toContain('Wait 7 s');
    expect(vendorVerdict(error)).toEqual({ verdict: 'retry', retryAfterMs: 7_000 });
  });

  test('429 with Retry-After as an HTTP date, measured against the answer’s Date', async () => {
    const inTwoMinutes = new Date(NOW.getTime() + 120_000).toUTCString();
    emulator.injectFaults({ kind: 'status', status: 429, retryAfter: inTwoMinutes });
    const error = await rejectionOf(send());

    expect(error).toMatchObject({ code: 'REPLICATED_ERR_RATE_LIMITED', retryAfterMs: 120_000 });
  });

  test('429 without Retry-After is still rate limited and retryable', async () => {
    emulator.injectFaults({ kind: 'status', status: 429 });
    const error = await rejectionOf(send());

    expect(error).toMatchObject({ code: 'REPLICATED_ERR_RATE_LIMITED', retryAfterMs: undefined });
    expect(vendorVerdict(error)).toEqual({ verdict: 'retry' });
  });

  test.each([500, 502, 503])('%i is a retryable API error with the vendor message and code', async (status) => {
    emulator.injectFaults({ kind: 'status', status, message: 'upstream broke', code: 'upstream' });
    const error = await rejectionOf(send());

    expect(error).toBeInstanceOf(ReplicatedApiError);
    expect(error).toMatchObject({ status, vendorMessage: 'upstream broke', vendorCode: 'upstream' });
    expect(vendorVerdict(error)).toEqual({ verdict: 'retry' });
  });

  test('503 with Retry-After passes the delay on', async () => {
    emulator.injectFaults({ kind: 'status', status: 503, retryAfter: 30 });
    expect(vendorVerdict(await rejectionOf(send()))).toEqual({ verdict: 'retry', retryAfterMs: 30_000 });
  });

  test('408 is retryable', async () => {
    emulator.injectFaults({ kind: 'status', status: 408 });
    expect(vendorVerdict(await rejectionOf(send()))).toEqual({ verdict: 'retry' });
  });

  test("the vendor's JSON 400 rejects the batch: it is invalid", async () => {
    emulator.injectFaults({ kind: 'status', status: 400, message: 'bad metric', code: 'invalid_metric' });
    const error = await rejectionOf(send());

    expect(error).toMatchObject({ code: 'REPLICATED_ERR_API', status: 400, vendorMessage: 'bad metric' });
    expect(vendorVerdict(error)).toEqual({ verdict: 'reject' });
  });

  test('a gateway’s HTML error page is an API error without a vendor message', async () => {
    emulator.injectFaults({ kind: 'status', status: 502, body: '<html><h1>502 Bad Gateway</h1></html>' });
    const error = await rejectionOf(send());

    expect(error).toMatchObject({ code: 'REPLICATED_ERR_API', status: 502, vendorMessage: undefined });
  });

  test('a fault lasts for its count, then the vendor answers normally', async () => {
    emulator.injectFaults({ kind: 'status', status: 500, count: 2 });

    expect(await rejectionOf(send())).toMatchObject({ status: 500 });
    expect(await rejectionOf(send())).toMatchObject({ status: 500 });
    await expect(send()).resolves.toBeUndefined();
  });

  test('a fault limited to a path leaves other calls alone', async () => {
    emulator.injectFaults({ kind: 'status', status: 500, path: '/kots_metrics/license_instance/info' });

    await expect(send()).resolves.toBeUndefined();
    const error = await rejectionOf(
      client.checkIn({ ...identity, clusterId: FINGERPRINT, appStatus: 'ready', versionLabel: '1', instanceName: 'x' }),
    );
    expect(error).toMatchObject({ status: 500, operation: 'POST /kots_metrics/license_instance/info' });
  });
});

describe("the field's faults, as the emulator plays them, judged by the one policy (DECISIONS §2)", () => {
  const IN_24_HOURS = 24 * 3_600_000;
  test.each<[FieldFaultName, ReturnType<typeof vendorVerdict>]>([
    ['captive-portal', { verdict: 'retry' }],
    ['redirect', { verdict: 'retry' }],
    ['gateway-404', { verdict: 'retry' }],
    ['gateway-502', { verdict: 'retry' }],
    ['proxy-407', { verdict: 'retry' }],
    ['retry-after-far-date', { verdict: 'retry', retryAfterMs: IN_24_HOURS }],
    ['retry-after-garbage', { verdict: 'retry' }],
  ])('%s: %j', async (name, expected) => {
    emulator.injectFaults(fieldFault(name));
    expect(vendorVerdict(await rejectionOf(send()))).toEqual(expected);
  });

  test('a vendor that takes the request and never answers: a retry, and the vendor did get it', async () => {
    emulator.injectFaults(fieldFault('accept-then-hang'));
    expect(vendorVerdict(await rejectionOf(send(impatient)))).toEqual({ verdict: 'retry' });
    expect(emulator.state().metricSets).toEqual([expect.objectContaining({ data: { active_users: 5 } })]);
  });

  test("the vendor's own answers: accepted, 404 for our instance, 422 and 401", async () => {
    expect(vendorVerdict(await send().then(() => undefined))).toEqual({ verdict: 'accepted' });
    const unknownInstance = await rejectionOf(
      client.sendMetrics({ ...identity, instanceId: 'gone', clusterId: FINGERPRINT, data: { a: 1 } }),
    );
    expect(unknownInstance).toMatchObject({ status: 404, vendorCode: 'unknown_instance', vendorJson: true });
    expect(vendorVerdict(unknownInstance)).toEqual({ verdict: 'reregister' });
    emulator.injectFaults({ kind: 'status', status: 422, message: 'too large', code: 'too_large' });
    expect(vendorVerdict(await rejectionOf(send()))).toEqual({ verdict: 'reject' });
    emulator.injectFaults({ kind: 'status', status: 401 });
    expect(vendorVerdict(await rejectionOf(send()))).toEqual({ verdict: 'reregister' });
  });
});

describe('transport failures', () => {
  test('a hang ends in a timeout: a network error marked timedOut', async () => {
    emulator.injectFaults({ kind: 'hang' });
    const error = await rejectionOf(send(impatient));

    expect(error).toBeInstanceOf(ReplicatedNetworkError);
    expect(error).toMatchObject({ code: 'REPLICATED_ERR_NETWORK', timedOut: true });
    expect((error as Error).message).toContain('within 300 ms');
    expect(vendorVerdict(error)).toEqual({ verdict: 'retry' });
  });

  test('a dropped connection is a network error, not a timeout, with the cause kept', async () => {
    emulator.injectFaults({ kind: 'drop' });
    const error = await rejectionOf(send());

    expect(error).toMatchObject({ code: 'REPLICATED_ERR_NETWORK', timedOut: false });
    expect((error as Error).cause).toBeInstanceOf(Error);
    expect(vendorVerdict(error)).toEqual({ verdict: 'retry' });
  });

  test('a refused connection is a network error naming the cause', async () => {
    const port = await freePort();
    const unreachable = clientFor(`http://127.0.0.1:${port}`);
    const error = await rejectionOf(send(unreachable));
    await unreachable.close();

    expect(error).toMatchObject({ code: 'REPLICATED_ERR_NETWORK', timedOut: false });
    expect((error as Error).message).toContain('ECONNREFUSED');
  });

  test('a slow body that completes within the timeout succeeds', async () => {
    emulator.injectFaults({ kind: 'slow-body', durationMs: 100 });

    await expect(send()).resolves.toBeUndefined();
    expect(emulator.state().requests.at(-1)).toMatchObject({ status: 200, fault: 'slow-body' });
  });

  test('a slow body past the timeout times out even though the headers came at once', async () => {
    emulator.injectFaults({ kind: 'slow-body', durationMs: 1_500 });
    const error = await rejectionOf(send(impatient));

    expect(error).toMatchObject({ code: 'REPLICATED_ERR_NETWORK', timedOut: true });
  });

  test('the slow answer to the customer call is still read whole', async () => {
    emulator.injectFaults({ kind: 'slow-body', durationMs: 100 });

    const customer = await client.createCustomer({ email: 'admin@example.com' });
    expect(customer.customerId).toBe(identity.customerId);
  });
});

describe('abort by the caller', () => {
  test('aborting an in-flight request is an aborted error, not a network error', async () => {
    emulator.injectFaults({ kind: 'hang' });
    const controller = new AbortController();
    const pending = rejectionOf(send(client, controller.signal));
    await waitFor(() => emulator.state().requests.at(-1)?.fault === 'hang');
    controller.abort();
    const error = await pending;

    expect(error).toBeInstanceOf(ReplicatedAbortedError);
    expect(isReplicatedError(error, 'REPLICATED_ERR_ABORTED')).toBe(true);
    expect(vendorVerdict(error)).toEqual({ verdict: 'aborted' });
  });

  test('an already aborted signal sends nothing', async () => {
    const before = emulator.state().requests.length;
    const error = await rejectionOf(send(client, AbortSignal.abort()));

    expect(error).toBeInstanceOf(ReplicatedAbortedError);
    expect(emulator.state().requests).toHaveLength(before);
  });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
