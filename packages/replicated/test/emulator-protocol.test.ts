import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { type Emulator, startEmulator } from '../src/emulator/index.js';
import { FINGERPRINT, NOW, PUBLISHABLE_KEY, startTestEmulator } from './helpers.js';
import { instanceHeaders, rawVendor, tagData } from './raw-vendor.js';

// The emulator's protocol rules, over plain fetch: auth, values, replace semantics, events, check-ins.

let emulator: Emulator;
const { post, newCustomer, newInstance, sendMetrics } = rawVendor(() => emulator.url);

beforeEach(async () => {
  emulator = await startTestEmulator();
});

afterEach(async () => {
  await emulator.close();
});

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
      status: 404,
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
