import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect, type Socket } from 'node:net';
import { type Emulator, startEmulator } from '../src/emulator/index.js';
import { ReplicatedClient, type ReplicatedClientOptions } from '../src/index.js';

export const PUBLISHABLE_KEY = 'replicated_pk_test_0123456789abcdef';
export const APP_SLUG = 'openhands-enterprise';
/** The emulator's clock in every test: stored times and the `Date` header are this instant. */
export const NOW = new Date('2025-03-01T12:00:00.000Z');
export const FINGERPRINT = 'a'.repeat(64);

export async function startTestEmulator(): Promise<Emulator> {
  return startEmulator({ now: () => NOW });
}

export function clientFor(baseUrl: string, options: Partial<ReplicatedClientOptions> = {}): ReplicatedClient {
  return new ReplicatedClient({
    baseUrl,
    publishableKey: PUBLISHABLE_KEY,
    appSlug: APP_SLUG,
    timeoutMs: 2_000,
    ...options,
  });
}

/** A customer with an instance, as the engine sets them up before its first upload. */
export async function identify(client: ReplicatedClient, email = 'admin@example.com') {
  const customer = await client.createCustomer({ email });
  const { instanceId } = await client.createInstance({
    serviceToken: customer.serviceToken,
    machineFingerprint: FINGERPRINT,
  });
  return { ...customer, instanceId };
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface RawServer {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** A bare vendor stand-in that answers whatever the test says, to produce answers the emulator never would. */
export async function startRawServer(
  answer: (request: RecordedRequest, res: ServerResponse) => void,
): Promise<RawServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const recorded = {
      method: req.method ?? '',
      path: req.url ?? '',
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    requests.push(recorded);
    answer(recorded, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export interface ForwardProxy {
  url: string;
  /** `host:port` of every tunnel asked for, and the absolute URL of every plain proxied request. */
  seen: string[];
  close(): Promise<void>;
}

/** A small forward proxy: CONNECT tunnels (what undici's proxy agent uses) and absolute-form requests. */
export async function startForwardProxy(): Promise<ForwardProxy> {
  const seen: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    seen.push(req.url ?? '');
    const target = new URL(req.url ?? '');
    const upstream = httpRequest(target, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    seen.push(req.url ?? '');
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host ?? '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Resolves with what a promise rejected with, so a test can look at the error's fields. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject, it resolved');
}

/** Waits for a server in this process to have seen something, polling between event-loop turns (no sleeping). */
export async function waitFor(condition: () => boolean): Promise<void> {
  for (let turn = 0; turn < 1_000 && !condition(); turn++) await new Promise((resolve) => setImmediate(resolve));
  if (!condition()) throw new Error('condition not reached');
}
