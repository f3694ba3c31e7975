import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { type Emulator, startEmulator } from '../src/emulator/index.js';
import { FINGERPRINT, NOW, PUBLISHABLE_KEY, startTestEmulator } from './helpers.js';

let emulator: Emulator;

beforeEach(async () => {
  emulator = await startTestEmulator();
});

afterEach(async () => {
  await emulator.close();
});

interface Sent {
  status: number;
  body: Record<string, unknown>;
}

async function post(
  path: string,
  options: { authorization?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<Sent> {
  const response = await fetch(`${emulator.url}${path}`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      ...(options.authorization === undefined ? {} : { Authorization: options.authorization }),
      ...options.headers,
    },
    body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body ?? {}),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

async function newCustomer(email = 'admin@example.com') {
  const answer = await post('/v3/customer', {
    authorization: `Bearer ${PUBLISHABLE_KEY}`,
    body: { email_address: email, channel: 'Stable', name: null, app_slug: 'openhands-enterprise' },
  });
  return answer.body['customer'] as { id: string; serviceToken: string; instanceId?: string };
}

async function newInstance() {
  const customer = await newCustomer();
  const answer = await post('/v3/instance', {
    authorization: customer.serviceToken,
    body: { machine_fingerprint: FINGERPRINT, app_status: 'missing' },
  });
  return { token: customer.serviceToken, instanceId: answer.body['instance_id'] as string };
}

function instanceHeaders(instanceId: string, extra: Record<string, string> = {}) {
  return { 'X-Replicated-InstanceID': instanceId, 'X-Replicated-ClusterID': FINGERPRINT, ...extra };
}

async function sendMetrics(token: string, instanceId: string, body: unknown) {
  return post('/application/custom-metrics', { authorization: token, headers: instanceHeaders(instanceId), body });
}

function tagData(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64');
}

describe('the customer call', () => {
  test('needs a publishable key as Bearer', async () => {
    const body = { email_address: 'a@x.io', app_slug: 'openhands-enterprise' };
    for (const authorization of [undefined, PUBLISHABLE_KEY, 'Bearer sk_live_123', 'Bearer ', 'Basic abc']) {
      const answer = await post('/v3/customer', { authorization, body });
      expect(answer, String(authorization)).toEqual({
        status: 401,
        body: { message: expect.any(String), code: 'unauthorized' },
      });
    }
    expect((await post('/v3/customer', { authorization: `Bearer ${PUBLISHABLE_KEY}`, body })).status).toBe(201);
  });

  test('accepts only the configured keys when given some', async () => {
    const strict = await startEmulator({ publishableKeys: ['replicated_pk_only_this_one'] });
    const body = JSON.stringify({ email_address: 'a@x.io', app_slug: 'x' });
    const send = (key: string) =>
      fetch(`${strict.url}/v3/customer`, { method: 'POST', headers: { Authorization: `Bearer ${key}` }, body });

    expect((await send(PUBLISHABLE_KEY)).status).toBe(401);
    expect((await send('replicated_pk_only_this_one')).status).toBe(201);
    await strict.close();
  });

  test('is get-or-create by email, and names the instance once there is one', async () => {
    const first = await newCustomer();
    expect(first.instanceId).toBeUndefined();
    const again = await newCustomer();
    expect(again).toEqual(first);

    await post('/v3/instance', { authorization: first.serviceToken, body: { machine_fingerprint: FINGERPRINT } });
    const withInstance = await newCustomer();
    expect(withInstance.instanceId).toEqual(expect.any(String));
    expect(withInstance.id).toBe(first.id);

    const other = await newCustomer('someone-else@example.com');
    expect(other.id).not.toBe(first.id);
    expect(other.serviceToken).not.toBe(first.serviceToken);
  });

  test('answers 201 when it creates and 200 when it finds', async () => {
    const body = { email_address: 'a@x.io', app_slug: 'openhands-enterprise' };
    expect((await post('/v3/customer', { authorization: `Bearer ${PUBLISHABLE_KEY}`, body })).status).toBe(201);
    expect((await post('/v3/customer', { authorization: `Bearer ${PUBLISHABLE_KEY}`, body })).status).toBe(200);
  });

  test('refuses a body without email or app slug', async () => {
    const authorization = `Bearer ${PUBLISHABLE_KEY}`;
    expect(await post('/v3/customer', { authorization, body: { app_slug: 'x' } })).toMatchObject({
      status: 400,
      body: { code: 'invalid_email' },
    });
    expect(await post('/v3/customer', { authorization, body: { email_address: 'a@x.io' } })).toMatchObject({
      status: 400,
      body: { code: 'invalid_app_slug' },
    });
    expect(await post('/v3/customer', { authorization, body: 'not json' })).toMatchObject({ status: 400 });
  });
});

describe('service-token calls', () => {
  test('need the token raw: missing, Bearer, the publishable key or an unknown token are 401', async () => {
    const { token, instanceId } = await newInstance();
    const headers = instanceHeaders(instanceId, { 'X-Replicated-AppStatus': 'ready' });
    const calls = [
      ['/v3/instance', { machine_fingerprint: FINGERPRINT }],
      ['/application/custom-metrics', { data: { a: 1 } }],
      ['/kots_metrics/license_instance/info', {}],
    ] as const;
    for (const [path, body] of calls) {
      for (const authorization of [undefined, `Bearer ${token}`, `Bearer ${PUBLISHABLE_KEY}`, 'unknown-token']) {
        const answer = await post(path, { authorization, headers, body });
        expect(answer.status, `${path} with ${authorization}`).toBe(401);
        expect(answer.body).toEqual({ message: expect.any(String), code: 'unauthorized' });
      }
      expect((await post(path, { authorization: token, headers, body })).status, path).toBeLessThan(300);
    }
  });

  test('an instance must belong to the token’s customer', async () => {
    const { instanceId } = await newInstance();
    const stranger = await newCustomer('stranger@example.com');

    expect(await sendMetrics(stranger.serviceToken, instanceId, { data: { a: 1 } })).toMatchObject({
      status: 400,
      body: { code: 'unknown_instance' },
    });
  });

  test('the same fingerprint gets the same instance back', async () => {
    const { token, instanceId } = await newInstance();
    const again = await post('/v3/instance', { authorization: token, body: { machine_fingerprint: FINGERPRINT } });

    expect(again).toEqual({ status: 200, body: { instance_id: instanceId } });
    expect(emulator.state().instances).toHaveLength(1);
  });
});

describe('metric values', () => {
  test.each([
    ['null', { data: { a: null } }],
    ['an array', { data: { a: [1, 2] } }],
    ['an object', { data: { a: { b: 1 } } }],
    ['an empty data', { data: {} }],
    ['no data', {}],
    ['data that is not an object', { data: [1] }],
    ['a hyphenated key', { data: { 'active-users': 1 } }],
  ])('%s is refused with 400 and a JSON message and code', async (_name, body) => {
    const { token, instanceId } = await newInstance();
    const answer = await sendMetrics(token, instanceId, body);

    expect(answer).toEqual({ status: 400, body: { message: expect.any(String), code: expect.any(String) } });
    expect(emulator.state().metricSets).toEqual([]);
  });

  test('strings, numbers, booleans, snake_case and camelCase are accepted', async () => {
    const { token, instanceId } = await newInstance();
    const data = { active_users: 3, totalCost: 12.5, edition: 'enterprise', sso: false };

    expect((await sendMetrics(token, instanceId, { data })).status).toBe(200);
    expect(emulator.state().metricSets[0]?.data).toEqual(data);
  });

  test('a request replaces the whole set of its instance', async () => {
    const { token, instanceId } = await newInstance();
    await sendMetrics(token, instanceId, { data: { a: 1, b: 2 } });
    await sendMetrics(token, instanceId, { data: { a: 1, c: 3 } });

    expect(emulator.state().metricSets).toEqual([{ instanceId, data: { a: 1, c: 3 }, receivedAt: NOW.toISOString() }]);
  });

  test('events are recorded only when a value changes', async () => {
    const { token, instanceId } = await newInstance();
    await sendMetrics(token, instanceId, { data: { users: 1, edition: 'ee' } });
    await sendMetrics(token, instanceId, { data: { users: 1, edition: 'ee' } });
    await sendMetrics(token, instanceId, { data: { users: 2, edition: 'ee' } });
    await sendMetrics(token, instanceId, { data: { users: '2', edition: 'ee' } });

    const at = NOW.toISOString();
    expect(emulator.state().events).toEqual([
      { instanceId, key: 'users', previous: null, value: 1, at },
      { instanceId, key: 'edition', previous: null, value: 'ee', at },
      { instanceId, key: 'users', previous: 1, value: 2, at },
      { instanceId, key: 'users', previous: 2, value: '2', at },
    ]);
  });
});

describe('check-ins', () => {
  test('record status, version label, decoded instance name and time', async () => {
    const { token, instanceId } = await newInstance();
    const answer = await post('/kots_metrics/license_instance/info', {
      authorization: token,
      headers: instanceHeaders(instanceId, {
        'X-Replicated-AppStatus': 'updating',
        'X-Replicated-VersionLabel': '3.1.0',
        'X-Replicated-InstanceTagData': tagData({ force: true, tags: { name: 'acme-prod' } }),
      }),
    });

    expect(answer.status).toBe(200);
    const state = emulator.state();
    expect(state.checkIns).toEqual([
      {
        instanceId,
        appStatus: 'updating',
        versionLabel: '3.1.0',
        instanceName: 'acme-prod',
        force: true,
        at: NOW.toISOString(),
      },
    ]);
    expect(state.instances[0]).toMatchObject({
      appStatus: 'updating',
      versionLabel: '3.1.0',
      instanceName: 'acme-prod',
      lastCheckInAt: NOW.toISOString(),
    });
  });

  test.each([['running'], ['READY'], ['']])('an unknown status %j is 400', async (status) => {
    const { token, instanceId } = await newInstance();
    const answer = await post('/kots_metrics/license_instance/info', {
      authorization: token,
      headers: instanceHeaders(instanceId, { 'X-Replicated-AppStatus': status }),
    });

    expect(answer).toMatchObject({ status: 400, body: { code: 'invalid_app_status' } });
    expect(emulator.state().checkIns).toEqual([]);
  });

  test('unreadable tag data is 400', async () => {
    const { token, instanceId } = await newInstance();
    const answer = await post('/kots_metrics/license_instance/info', {
      authorization: token,
      headers: instanceHeaders(instanceId, {
        'X-Replicated-AppStatus': 'ready',
        'X-Replicated-InstanceTagData': 'not-base64-json',
      }),
    });

    expect(answer).toMatchObject({ status: 400, body: { code: 'invalid_instance_tag_data' } });
  });
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

  test('an invalid fault is refused with the reason', async () => {
    const answer = await post('/_emulator/faults', { body: { kind: 'explode', count: 0 } });

    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      code: 'invalid_fault',
      message: expect.stringMatching(/kind must be one of.*count must be/),
    });
    expect(() => emulator.injectFaults({ kind: 'slow-body' } as never)).toThrowError(/durationMs/);
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

async function waitFor(condition: () => boolean): Promise<void> {
  for (let turn = 0; turn < 1_000 && !condition(); turn++) await new Promise((resolve) => setImmediate(resolve));
  if (!condition()) throw new Error('condition not reached');
}
