import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, test } from 'vitest';
import {
  isReplicatedError,
  ReplicatedApiError,
  ReplicatedAuthError,
  ReplicatedInvalidResponseError,
} from '../src/index.js';
import { clientFor, FINGERPRINT, PUBLISHABLE_KEY, type RawServer, rejectionOf, startRawServer } from './helpers.js';

const TOKEN = 'service-token-secret-0123456789';
const IDENTITY = { serviceToken: TOKEN, instanceId: 'inst_1', clusterId: FINGERPRINT };

let server: RawServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

function answer(status: number, body: string, contentType = 'application/json') {
  return (_request: unknown, res: ServerResponse) => {
    res.writeHead(status, { 'Content-Type': contentType });
    res.end(body);
  };
}

async function clientAnswering(status: number, body: string, contentType?: string) {
  server = await startRawServer(answer(status, body, contentType));
  return clientFor(server.url);
}

describe('what goes on the wire', () => {
  test('the customer call: publishable key as Bearer, the Python SDK body, JSON and our User-Agent', async () => {
    server = await startRawServer(answer(201, JSON.stringify({ customer: { id: 'c1', serviceToken: TOKEN } })));
    await clientFor(server.url).createCustomer({ email: 'admin@example.com' });

    const [request] = server.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/v3/customer');
    expect(request?.headers).toMatchObject({
      authorization: `Bearer ${PUBLISHABLE_KEY}`,
      'content-type': 'application/json',
      'user-agent': 'Replicated-SDK/0.1.0+node',
    });
    expect(JSON.parse(request?.body ?? '')).toEqual({
      email_address: 'admin@example.com',
      channel: 'Stable',
      name: null,
      app_slug: 'openhands-enterprise',
    });
  });

  test('the instance call: the service token raw, fingerprint and status in the body', async () => {
    server = await startRawServer(answer(201, JSON.stringify({ instance_id: 'i1' })));
    const result = await clientFor(server.url).createInstance({ serviceToken: TOKEN, machineFingerprint: FINGERPRINT });

    expect(result).toEqual({ instanceId: 'i1' });
    const [request] = server.requests;
    expect(request?.path).toBe('/v3/instance');
    expect(request?.headers.authorization).toBe(TOKEN);
    expect(JSON.parse(request?.body ?? '')).toEqual({ machine_fingerprint: FINGERPRINT, app_status: 'missing' });
  });

  test('the metrics call: instance, cluster and status headers, the set under data', async () => {
    server = await startRawServer(answer(200, '{}'));
    await clientFor(server.url).sendMetrics({ ...IDENTITY, data: { active_users: 3 } });

    const [request] = server.requests;
    expect(request?.path).toBe('/application/custom-metrics');
    expect(request?.headers).toMatchObject({
      authorization: TOKEN,
      'x-replicated-instanceid': 'inst_1',
      'x-replicated-clusterid': FINGERPRINT,
      'x-replicated-appstatus': 'ready',
    });
    expect(JSON.parse(request?.body ?? '')).toEqual({ data: { active_users: 3 } });
  });

  test('the check-in: version label and base64 tag data, body {}', async () => {
    server = await startRawServer(answer(200, '{}'));
    await clientFor(server.url).checkIn({
      ...IDENTITY,
      appStatus: 'ready',
      versionLabel: '2.0.1',
      instanceName: 'acme',
      force: true,
    });

    const [request] = server.requests;
    expect(request?.path).toBe('/kots_metrics/license_instance/info');
    expect(request?.headers).toMatchObject({ 'x-replicated-versionlabel': '2.0.1', 'x-replicated-appstatus': 'ready' });
    const tagData = Buffer.from(String(request?.headers['x-replicated-instancetagdata']), 'base64').toString('utf8');
    expect(tagData).toBe('{"force":true,"tags":{"name":"acme"}}');
    expect(request?.body).toBe('{}');
  });

  test('a base URL with a path prefix and a trailing slash keeps the prefix', async () => {
    server = await startRawServer(answer(200, '{}'));
    await clientFor(`${server.url}/vendor/`).sendMetrics({ ...IDENTITY, data: { a: 1 } });

    expect(server.requests[0]?.path).toBe('/vendor/application/custom-metrics');
  });

  test('a custom User-Agent replaces the default', async () => {
    server = await startRawServer(answer(200, '{}'));
    await clientFor(server.url, { userAgent: 'Replicated-SDK/9.9.9+node openhands' }).sendMetrics({
      ...IDENTITY,
      data: { a: 1 },
    });

    expect(server.requests[0]?.headers['user-agent']).toBe('Replicated-SDK/9.9.9+node openhands');
  });
});

describe('answers the client reads', () => {
  test('a top-level dynamic_token wins over customer.serviceToken', async () => {
    const client = await clientAnswering(
      200,
      JSON.stringify({
        dynamic_token: 'dyn',
        customer: { id: 'c1', email: 'a@x.io', serviceToken: 'svc', instanceId: 'i9' },
      }),
    );

    expect(await client.createCustomer({ email: 'a@x.io' })).toEqual({
      customerId: 'c1',
      email: 'a@x.io',
      name: null,
      serviceToken: 'dyn',
      instanceId: 'i9',
    });
  });

  test('an empty instanceId counts as none', async () => {
    const client = await clientAnswering(
      200,
      JSON.stringify({ customer: { id: 'c1', serviceToken: 'svc', instanceId: '' } }),
    );
    expect((await client.createCustomer({ email: 'a@x.io' })).instanceId).toBeUndefined();
  });
});

describe('bad vendor answers', () => {
  test('a non-JSON 2xx to the customer call is an invalid response', async () => {
    const client = await clientAnswering(200, '<html><body>Welcome to the proxy</body></html>', 'text/html');
    const error = await rejectionOf(client.createCustomer({ email: 'a@x.io' }));

    expect(error).toBeInstanceOf(ReplicatedInvalidResponseError);
    expect(error).toMatchObject({ code: 'REPLICATED_ERR_INVALID_RESPONSE', status: 200 });
    expect((error as Error).message).toContain("without the vendor's JSON answer");
  });

  test('a 2xx without customer.id is an invalid response', async () => {
    const client = await clientAnswering(201, JSON.stringify({ customer: { serviceToken: 'svc' } }));
    const error = await rejectionOf(client.createCustomer({ email: 'a@x.io' }));

    expect(error).toMatchObject({ code: 'REPLICATED_ERR_INVALID_RESPONSE', status: 201 });
    expect((error as Error).message).toContain('`customer.id`');
  });

  test('a 2xx without any token is an invalid response', async () => {
    const client = await clientAnswering(200, JSON.stringify({ customer: { id: 'c1' } }));
    const error = await rejectionOf(client.createCustomer({ email: 'a@x.io' }));

    expect((error as Error).message).toContain('`dynamic_token` or `customer.serviceToken`');
  });

  test('an empty 2xx body is not the vendor answering (DECISIONS §2): invalid for every call', async () => {
    const client = await clientAnswering(200, '');

    for (const call of [
      () => client.sendMetrics({ ...IDENTITY, data: { a: 1 } }),
      () => client.checkIn({ ...IDENTITY, appStatus: 'ready', versionLabel: '1', instanceName: 'x' }),
      () => client.createInstance({ serviceToken: TOKEN, machineFingerprint: FINGERPRINT }),
    ]) {
      const error = await rejectionOf(call());
      expect(error).toMatchObject({ code: 'REPLICATED_ERR_INVALID_RESPONSE', status: 200 });
    }
  });

  test('a JSON object served as text/html (a portal echoing JSON) is not the vendor either', async () => {
    const client = await clientAnswering(200, '{}', 'text/html');
    const error = await rejectionOf(client.sendMetrics({ ...IDENTITY, data: { a: 1 } }));
    expect(error).toMatchObject({ code: 'REPLICATED_ERR_INVALID_RESPONSE', status: 200 });
  });

  test("a redirect is never followed: it is an answer that is not the vendor's", async () => {
    server = await startRawServer((_request, res) => {
      res.writeHead(302, { Location: 'http://portal.example/login', 'Content-Type': 'text/html' });
      res.end('<a href="http://portal.example/login">Moved</a>');
    });
    const error = await rejectionOf(clientFor(server.url).sendMetrics({ ...IDENTITY, data: { a: 1 } }));
    expect(error).toMatchObject({ code: 'REPLICATED_ERR_API', status: 302, vendorJson: false });
    expect(server.requests).toHaveLength(1);
  });

  test('a JSON array is not an answer object', async () => {
    const client = await clientAnswering(200, '[{"instance_id":"i1"}]');
    const error = await rejectionOf(client.createInstance({ serviceToken: TOKEN, machineFingerprint: FINGERPRINT }));

    expect(error).toMatchObject({ code: 'REPLICATED_ERR_INVALID_RESPONSE' });
  });

  test('an HTML error page is an API error with the status and no vendor message', async () => {
    const client = await clientAnswering(503, '<html><h1>503 Service Unavailable</h1></html>', 'text/html');
    const error = await rejectionOf(client.sendMetrics({ ...IDENTITY, data: { a: 1 } }));

    expect(error).toBeInstanceOf(ReplicatedApiError);
    expect(error).toMatchObject({ status: 503, vendorMessage: undefined, vendorCode: undefined });
    expect((error as Error).message).toContain('HTTP 503 to POST /application/custom-metrics');
  });

  test('a JSON error keeps the vendor message and code', async () => {
    const client = await clientAnswering(422, JSON.stringify({ message: 'data too large', code: 'too_large' }));
    const error = await rejectionOf(client.sendMetrics({ ...IDENTITY, data: { a: 1 } }));

    expect(error).toMatchObject({
      code: 'REPLICATED_ERR_API',
      status: 422,
      vendorMessage: 'data too large',
      vendorCode: 'too_large',
    });
    expect((error as Error).message).toContain('"data too large" [too_large]');
  });
});

describe('secrets stay out of messages', () => {
  test('a vendor message that echoes the service token is redacted', async () => {
    const client = await clientAnswering(401, JSON.stringify({ message: `token ${TOKEN} is not valid` }));
    const error = await rejectionOf(client.sendMetrics({ ...IDENTITY, data: { a: 1 } }));

    expect(error).toBeInstanceOf(ReplicatedAuthError);
    expect(JSON.stringify({ ...(error as object), message: (error as Error).message })).not.toContain(TOKEN);
    expect((error as Error).message).toContain('token [redacted] is not valid');
  });

  test('a vendor message that echoes the publishable key is redacted', async () => {
    const client = await clientAnswering(400, JSON.stringify({ message: `bad key ${PUBLISHABLE_KEY}` }));
    const error = await rejectionOf(client.createCustomer({ email: 'a@x.io' }));

    expect(isReplicatedError(error, 'REPLICATED_ERR_API')).toBe(true);
    expect((error as Error).message).not.toContain(PUBLISHABLE_KEY);
    expect(isReplicatedError(error, 'REPLICATED_ERR_API') && error.vendorMessage).toBe('bad key [redacted]');
  });

  test('validation messages name fields, not values', async () => {
    server = await startRawServer(answer(200, '{}'));
    const error = await rejectionOf(
      clientFor(server.url).sendMetrics({ ...IDENTITY, serviceToken: `${TOKEN}\n`, data: { a: 1 } }),
    );

    expect((error as Error).message).toContain('serviceToken must not contain line breaks');
    expect((error as Error).message).not.toContain(TOKEN);
    expect(server.requests).toHaveLength(0);
  });
});
