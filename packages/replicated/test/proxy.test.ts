import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import type { Emulator } from '../src/emulator/index.js';
import type { ReplicatedClient } from '../src/index.js';
import { clientFor, type ForwardProxy, rejectionOf, startForwardProxy, startTestEmulator } from './helpers.js';

const PROXY_VARIABLES = ['http_proxy', 'HTTP_PROXY', 'https_proxy', 'HTTPS_PROXY', 'no_proxy', 'NO_PROXY'];

let emulator: Emulator;
let proxy: ForwardProxy;
const clients: ReplicatedClient[] = [];

beforeEach(async () => {
  for (const name of PROXY_VARIABLES) vi.stubEnv(name, undefined);
  emulator = await startTestEmulator();
  proxy = await startForwardProxy();
});

afterEach(async () => {
  vi.unstubAllEnvs();
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await proxy.close();
  await emulator.close();
});

function newClient(baseUrl = emulator.url): ReplicatedClient {
  const client = clientFor(baseUrl);
  clients.push(client);
  return client;
}

const target = () => new URL(emulator.url).host;

test('HTTP_PROXY sends the requests through the proxy', async () => {
  vi.stubEnv('HTTP_PROXY', proxy.url);
  const customer = await newClient().createCustomer({ email: 'admin@example.com' });

  expect(customer.customerId).toBe(emulator.state().customers[0]?.id);
  expect(proxy.seen).toEqual([target()]);
});

test('the lower-case http_proxy works too', async () => {
  vi.stubEnv('http_proxy', proxy.url);
  await newClient().createCustomer({ email: 'admin@example.com' });

  expect(proxy.seen).toEqual([target()]);
});

test('NO_PROXY covering the host goes direct', async () => {
  vi.stubEnv('HTTP_PROXY', proxy.url);
  vi.stubEnv('NO_PROXY', 'example.internal, 127.0.0.1');
  await newClient().createCustomer({ email: 'admin@example.com' });

  expect(emulator.state().customers).toHaveLength(1);
  expect(proxy.seen).toEqual([]);
});

test('NO_PROXY with the host and port goes direct, another port does not', async () => {
  vi.stubEnv('HTTP_PROXY', proxy.url);
  vi.stubEnv('NO_PROXY', `${target()}`);
  await newClient().createCustomer({ email: 'admin@example.com' });
  expect(proxy.seen).toEqual([]);

  vi.stubEnv('NO_PROXY', '127.0.0.1:1');
  await newClient().createCustomer({ email: 'admin@example.com' });
  expect(proxy.seen).toEqual([target()]);
});

test('HTTPS_PROXY carries https requests (the tunnel reaches the proxy before TLS)', async () => {
  vi.stubEnv('HTTPS_PROXY', proxy.url);
  // The emulator speaks plain HTTP, so TLS through the tunnel fails; the proxy saw the tunnel all the same.
  const error = await rejectionOf(newClient(`https://${target()}`).createCustomer({ email: 'admin@example.com' }));

  expect(proxy.seen).toEqual([target()]);
  expect(error).toMatchObject({ code: 'REPLICATED_ERR_NETWORK' });
});

test('the settings are read once, at construction', async () => {
  vi.stubEnv('HTTP_PROXY', proxy.url);
  const proxied = newClient();
  vi.stubEnv('HTTP_PROXY', undefined);
  const direct = newClient();
  vi.stubEnv('HTTP_PROXY', proxy.url);
  vi.stubEnv('NO_PROXY', '127.0.0.1');

  await proxied.createCustomer({ email: 'a@example.com' });
  await direct.createCustomer({ email: 'b@example.com' });

  expect(proxy.seen).toEqual([target()]);
  expect(emulator.state().customers).toHaveLength(2);
});

test('a proxy that cannot be reached is a network error', async () => {
  const deadProxyUrl = proxy.url;
  await proxy.close();
  vi.stubEnv('HTTP_PROXY', deadProxyUrl);
  const error = await rejectionOf(newClient().createCustomer({ email: 'admin@example.com' }));

  expect(error).toMatchObject({ code: 'REPLICATED_ERR_NETWORK', timedOut: false });
  expect(emulator.state().requests).toEqual([]);
});
