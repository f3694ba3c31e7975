import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { Emulator } from '../src/emulator/index.js';
import {
  CLIENT_VERSION,
  isReplicatedError,
  machineFingerprint,
  type ReplicatedClient,
  ReplicatedValidationError,
} from '../src/index.js';
import { clientFor, FINGERPRINT, identify, NOW, PUBLISHABLE_KEY, rejectionOf, startTestEmulator } from './helpers.js';

let emulator: Emulator;
let client: ReplicatedClient;

beforeEach(async () => {
  emulator = await startTestEmulator();
  client = clientFor(emulator.url);
});

afterEach(async () => {
  await client.close();
  await emulator.close();
});

describe('createCustomer', () => {
  test('creates the customer and answers its id, email and service token, without an instance yet', async () => {
    const customer = await client.createCustomer({ email: 'admin@example.com' });

    expect(customer).toEqual({
      customerId: expect.any(String),
      email: 'admin@example.com',
      name: null,
      serviceToken: expect.any(String),
      instanceId: undefined,
    });
    const [stored] = emulator.state().customers;
    expect(stored).toMatchObject({ id: customer.customerId, channel: 'Stable', appSlug: 'openhands-enterprise' });
  });

  test('the same email gets the same customer and token back, with the instance once there is one', async () => {
    const first = await identify(client);
    const again = await client.createCustomer({ email: 'admin@example.com' });

    expect(again.customerId).toBe(first.customerId);
    expect(again.serviceToken).toBe(first.serviceToken);
    expect(again.instanceId).toBe(first.instanceId);
    expect(emulator.state().customers).toHaveLength(1);
  });

  test('passes channel and name through', async () => {
    const customer = await client.createCustomer({ email: 'ops@example.com', channel: 'Beta', name: 'Acme' });

    expect(customer.name).toBe('Acme');
    expect(emulator.state().customers[0]).toMatchObject({ channel: 'Beta', name: 'Acme' });
  });
});

describe('createInstance', () => {
  test('creates an instance for the machine fingerprint, reported as missing until it checks in', async () => {
    const customer = await client.createCustomer({ email: 'admin@example.com' });
    const { instanceId } = await client.createInstance({
      serviceToken: customer.serviceToken,
      machineFingerprint: FINGERPRINT,
    });

    expect(emulator.state().instances).toEqual([
      expect.objectContaining({
        id: instanceId,
        customerId: customer.customerId,
        machineFingerprint: FINGERPRINT,
        appStatus: 'missing',
        createdAt: NOW.toISOString(),
      }),
    ]);
  });
});

describe('sendMetrics', () => {
  test('sends the whole set in one request, which the vendor stores as the current set', async () => {
    const identity = await identify(client);
    const data = { active_users: 12, totalConversations: 340, edition: 'enterprise', sso_enabled: true, ratio: 0.25 };

    await client.sendMetrics({ ...identity, clusterId: FINGERPRINT, data });

    const state = emulator.state();
    expect(state.metricSets).toEqual([{ instanceId: identity.instanceId, data, receivedAt: NOW.toISOString() }]);
    expect(state.requests.filter((r) => r.path === '/application/custom-metrics')).toHaveLength(1);
    expect(state.instances[0]?.appStatus).toBe('ready');
  });

  test('refuses invalid data before sending anything, naming every problem', async () => {
    const identity = await identify(client);
    const requestsBefore = emulator.state().requests.length;
    const bad = {
      'bad-key': 1,
      nothing: null,
      list: [1],
      nested: { a: 1 },
      nan: Number.NaN,
      infinite: Number.POSITIVE_INFINITY,
      '': 'empty key',
    } as unknown as Record<string, number>;

    const error = await rejectionOf(client.sendMetrics({ ...identity, clusterId: FINGERPRINT, data: bad }));

    expect(error).toBeInstanceOf(ReplicatedValidationError);
    expect(isReplicatedError(error, 'REPLICATED_ERR_VALIDATION') && error.issues).toHaveLength(7);
    expect((error as Error).message).toMatch(
      /"bad-key".*"nothing".*null.*"list".*array.*"nested".*object.*NaN.*Infinity/,
    );
    expect(emulator.state().requests).toHaveLength(requestsBefore);
  });

  test('refuses an empty set and a missing set', async () => {
    const identity = await identify(client);
    for (const data of [{}, undefined, null, [1, 2]]) {
      const error = await rejectionOf(
        client.sendMetrics({ ...identity, clusterId: FINGERPRINT, data: data as unknown as Record<string, number> }),
      );
      expect(isReplicatedError(error, 'REPLICATED_ERR_VALIDATION')).toBe(true);
    }
    expect(emulator.state().metricSets).toEqual([]);
  });

  test('refuses an app status outside the five documented values, such as the Python SDK `running`', async () => {
    const identity = await identify(client);
    const error = await rejectionOf(
      client.sendMetrics({ ...identity, clusterId: FINGERPRINT, appStatus: 'running' as 'ready', data: { a: 1 } }),
    );

    expect((error as Error).message).toContain(
      'appStatus must be one of ready, updating, degraded, unavailable, missing',
    );
  });
});

describe('checkIn', () => {
  test('reports status, version label and instance name', async () => {
    const identity = await identify(client);

    await client.checkIn({
      ...identity,
      clusterId: FINGERPRINT,
      appStatus: 'degraded',
      versionLabel: '1.4.2',
      instanceName: 'acme-prod',
    });

    const state = emulator.state();
    expect(state.checkIns).toEqual([
      {
        instanceId: identity.instanceId,
        appStatus: 'degraded',
        versionLabel: '1.4.2',
        instanceName: 'acme-prod',
        force: false,
        at: NOW.toISOString(),
      },
    ]);
    expect(state.instances[0]).toMatchObject({
      appStatus: 'degraded',
      versionLabel: '1.4.2',
      instanceName: 'acme-prod',
    });
  });

  test('carries force and a name beyond ASCII through the tag data', async () => {
    const identity = await identify(client);

    await client.checkIn({
      ...identity,
      clusterId: FINGERPRINT,
      appStatus: 'ready',
      versionLabel: '1.0.0',
      instanceName: 'Zürich 東京',
      force: true,
    });

    expect(emulator.state().checkIns[0]).toMatchObject({ instanceName: 'Zürich 東京', force: true });
  });

  test('refuses a version label that cannot travel in a header', async () => {
    const identity = await identify(client);
    const error = await rejectionOf(
      client.checkIn({
        ...identity,
        clusterId: FINGERPRINT,
        appStatus: 'ready',
        versionLabel: '1.0\r\nX-Evil: 1',
        instanceName: 'x',
      }),
    );

    expect(isReplicatedError(error, 'REPLICATED_ERR_VALIDATION')).toBe(true);
    expect(emulator.state().checkIns).toEqual([]);
  });
});

describe('construction', () => {
  test('refuses options that cannot work, naming each', () => {
    expect(
      () =>
        new (client.constructor as typeof ReplicatedClient)({
          baseUrl: 'nope',
          publishableKey: 'sk_1',
          appSlug: '',
          timeoutMs: 0,
        }),
    ).toThrowError(/baseUrl.*publishableKey.*appSlug.*timeoutMs/);
  });

  test('never shows the publishable key when the client is inspected or serialised', async () => {
    const { inspect } = await import('node:util');
    expect(inspect(client, { depth: 5 })).not.toContain(PUBLISHABLE_KEY);
    expect(JSON.stringify(client)).not.toContain(PUBLISHABLE_KEY);
  });
});

describe('machineFingerprint', () => {
  test('is 64 hex characters, stable for an installation and different between installations', () => {
    const first = machineFingerprint('3f1c8a52-0d2e-4c8e-9a51-7b0f1d2c3e4f');

    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(machineFingerprint('3f1c8a52-0d2e-4c8e-9a51-7b0f1d2c3e4f')).toBe(first);
    expect(machineFingerprint('9e4b2f10-5a6c-4d7e-8f90-a1b2c3d4e5f6')).not.toBe(first);
  });

  test('refuses an empty installation id', () => {
    expect(() => machineFingerprint('')).toThrowError(ReplicatedValidationError);
  });
});

test('the version in the User-Agent is the package version', () => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  expect(CLIENT_VERSION).toBe(pkg.version);
});
