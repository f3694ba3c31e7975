import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { Emulator } from '../src/emulator/index.js';
import { NOW, PUBLISHABLE_KEY, startTestEmulator, waitFor } from './helpers.js';
import { rawVendor } from './raw-vendor.js';

// What the emulator shows and how it is driven: the state JSON, the page, faults, reset, closing.

let emulator: Emulator;
const { post, newCustomer, newInstance, sendMetrics } = rawVendor(() => emulator.url);

beforeEach(async () => {
  emulator = await startTestEmulator();
});

afterEach(async () => {
  await emulator.close();
});

describe('the state JSON', () => {
  test('shows customers, instances, sets, events, check-ins and a masked request log', async () => {
    const { token, instanceId } = await newInstance();
    await sendMetrics(token, instanceId, { data: { a: 1 } });
    await sendMetrics('wrong-token-0123456789', instanceId, { data: { a: 1 } });

    const response = await fetch(`${emulator.url}/_emulator/state`);
    expect(response.headers.get('content-type')).toContain('application/json');
    const text = await response.text();
    expect(text).not.toContain(token);
    expect(text).not.toContain(PUBLISHABLE_KEY);
    expect(text).not.toContain('wrong-token-0123456789');

    const state = JSON.parse(text);
    expect(state).toEqual(emulator.state());
    expect(state.startedAt).toBe(NOW.toISOString());
    expect(state.customers[0].serviceToken).toBe(`${token.slice(0, 4)}…`);
    expect(state.requests).toEqual([
      expect.objectContaining({ method: 'POST', path: '/v3/customer', status: 201, authorization: 'Bearer repl…' }),
      expect.objectContaining({ path: '/v3/instance', status: 201, authorization: `${token.slice(0, 4)}…` }),
      expect.objectContaining({ path: '/application/custom-metrics', status: 200, errorCode: null }),
      expect.objectContaining({ path: '/application/custom-metrics', status: 401, errorCode: 'unauthorized' }),
    ]);
    for (const entry of state.requests) {
      expect(entry.at).toBe(NOW.toISOString());
      expect(entry.durationMs).toEqual(expect.any(Number));
    }
  });

  test('unknown paths are 404 and other methods 405, both logged', async () => {
    expect((await post('/v4/nothing')).status).toBe(404);
    expect((await fetch(`${emulator.url}/v3/customer`)).status).toBe(405);
    expect(emulator.state().requests.map((r) => r.status)).toEqual([404, 405]);
  });
});

describe('the page', () => {
  test('is an auto-refreshing HTML page with what was received, escaped', async () => {
    await newCustomer('<script>alert(1)</script>@example.com');
    const response = await fetch(`${emulator.url}/`);
    const html = await response.text();

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<meta http-equiv="refresh"');
    expect(html).toContain('<title>Replicated emulator</title>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;@example.com');
    expect(html).not.toContain('<script>');
    expect(html).not.toMatch(/<link|src="http/);
  });

  test('says what to do when nothing arrived yet', async () => {
    const html = await (await fetch(`${emulator.url}/`)).text();
    expect(html).toContain('No customer yet');
  });

  test('page views are not logged as vendor requests', async () => {
    await fetch(`${emulator.url}/`);
    await fetch(`${emulator.url}/_emulator/state`);
    expect(emulator.state().requests).toEqual([]);
  });
});

describe('faults over HTTP', () => {
  test('POST /_emulator/faults queues faults for the next requests', async () => {
    const queued = await post('/_emulator/faults', {
      body: [{ kind: 'status', status: 502, count: 2 }, { kind: 'drop' }],
    });
    expect(queued.status).toBe(201);
    expect(queued.body['faults']).toEqual([
      { kind: 'status', status: 502, count: 2, remaining: 2 },
      { kind: 'drop', remaining: 1 },
    ]);

    expect((await post('/v3/customer')).status).toBe(502);
    expect((await post('/v3/customer')).status).toBe(502);
    await expect(post('/v3/customer')).rejects.toThrow();
    expect((await post('/v3/customer')).status).toBe(401);
    expect(emulator.state().requests.map((r) => [r.status, r.fault])).toEqual([
      [502, 'status'],
      [502, 'status'],
      [null, 'drop'],
      [401, null],
    ]);
  });

  test('a single fault object works too, with Retry-After', async () => {
    await post('/_emulator/faults', { body: { kind: 'status', status: 429, retryAfter: 3 } });
    const response = await fetch(`${emulator.url}/v3/customer`, { method: 'POST' });

    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('3');
    expect(response.headers.get('date')).toBe(NOW.toUTCString());
  });

  test("the field's faults by name: a captive portal's 200 page, then a redirect to a login page", async () => {
    const queued = await post('/_emulator/faults', {
      body: [{ preset: 'captive-portal', count: 2 }, { preset: 'redirect' }],
    });
    expect(queued.status).toBe(201);
    for (let i = 0; i < 2; i++) {
      const portal = await fetch(`${emulator.url}/v3/customer`, { method: 'POST' });
      expect(portal.status).toBe(200);
      expect(portal.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await portal.text()).toContain('Accept the terms to continue');
    }
    const redirect = await fetch(`${emulator.url}/v3/customer`, { method: 'POST', redirect: 'manual' });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toBe('http://portal.example/login');
    expect((await post('/_emulator/faults', { body: { preset: 'free-wifi' } })).body).toEqual({
      code: 'invalid_fault',
      message: expect.stringMatching(/preset must be one of captive-portal, redirect, gateway-404/),
    });
  });

  test('an invalid fault is refused with the reason', async () => {
    const answer = await post('/_emulator/faults', { body: { kind: 'explode', count: 0 } });

    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      code: 'invalid_fault',
      message: expect.stringMatching(/kind must be one of.*count must be/),
    });
    expect(() => emulator.injectFaults({ kind: 'slow-body' } as never)).toThrowError(/durationMs/);
    expect(() => emulator.injectFaults({ kind: 'status', status: 429, retryAfter: '1\r\nX: y' })).toThrowError(
      /retryAfter/,
    );
    expect(() => emulator.injectFaults({ kind: 'status', status: 99 })).toThrowError(/status must be/);
  });

  test('a faulted request has no effect on the state', async () => {
    emulator.injectFaults({ kind: 'status', status: 500 });
    await newCustomer();
    expect(emulator.state().customers).toEqual([]);
  });

  test('POST /_emulator/reset forgets everything', async () => {
    const { token, instanceId } = await newInstance();
    await sendMetrics(token, instanceId, { data: { a: 1 } });
    emulator.injectFaults({ kind: 'hang', count: 5 });

    expect((await post('/_emulator/reset')).status).toBe(200);
    expect(emulator.state()).toEqual({
      startedAt: NOW.toISOString(),
      customers: [],
      instances: [],
      metricSets: [],
      events: [],
      checkIns: [],
      requests: [],
      faults: [],
    });
  });
});

describe('closing', () => {
  test('does not wait for a hanging request', async () => {
    emulator.injectFaults({ kind: 'hang' });
    const hanging = fetch(`${emulator.url}/v3/customer`, { method: 'POST' }).catch((error: unknown) => error);
    await waitFor(() => emulator.state().requests.length === 1);

    await emulator.close();
    expect(await hanging).toBeInstanceOf(Error);
  });

  test('does not wait for a slow body either', async () => {
    emulator.injectFaults({ kind: 'slow-body', durationMs: 60_000 });
    const response = await fetch(`${emulator.url}/v3/customer`, { method: 'POST' });
    const body = response.text().catch((error: unknown) => error);

    await emulator.close();
    expect(await body).toBeInstanceOf(Error);
  });
});
