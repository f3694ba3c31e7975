import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { PATHS } from '../protocol.js';
import { type Fault, FaultQueue, type SlowBodyFault, type StatusFault } from './faults.js';
import { renderPage } from './page.js';
import { type EmulatorState, maskAuthorization, type RequestLogEntry } from './state.js';
import { Vendor, type VendorReply, type VendorRequest } from './vendor.js';

export interface EmulatorOptions {
  /** Default 0: a free port chosen by the system. */
  port?: number;
  /** Default `127.0.0.1`. */
  host?: string;
  /** The clock for stored times and the `Date` header. Default: the system clock. */
  now?: () => Date;
  /** The publishable keys accepted. Default: any key starting with `replicated_pk_`. */
  publishableKeys?: readonly string[];
}

export interface Emulator {
  /** e.g. `http://127.0.0.1:8787`, to use as the client's `baseUrl`. */
  url: string;
  state(): EmulatorState;
  injectFaults(fault: Fault | readonly Fault[]): void;
  /** Drops the pending faults: the network is healthy again. */
  clearFaults(): void;
  /** Forgets everything: customers, instances, metrics, events, check-ins, the log and pending faults. */
  reset(): void;
  /** Stops at once: open connections, hanging requests included, are destroyed. */
  close(): Promise<void>;
}

type Route = (request: VendorRequest) => VendorReply;

const MAX_BODY_BYTES = 1024 * 1024;
const MAX_LOGGED_REQUESTS = 1000;
const SLOW_BODY_PIECES = 10;

class BodyTooLargeError extends Error {}

/** A local Replicated on plain `node:http`, following the protocol notes; see `Vendor` for the rules. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const { port = 0, host = '127.0.0.1', now = () => new Date(), publishableKeys } = options;
  const vendor = new Vendor(publishableKeys);
  const faults = new FaultQueue();
  const timers = new Set<NodeJS.Timeout>();
  const startedAt = now();
  let requests: RequestLogEntry[] = [];
  let url = '';

  const routes = new Map<string, Route>([
    [PATHS.customer, (request) => vendor.createCustomer(request)],
    [PATHS.instance, (request) => vendor.createInstance(request)],
    [PATHS.customMetrics, (request) => vendor.receiveMetrics(request)],
    [PATHS.checkIn, (request) => vendor.checkIn(request)],
  ]);

  const state = (): EmulatorState => ({
    startedAt: startedAt.toISOString(),
    ...vendor.snapshot(),
    requests: requests.map((entry) => ({ ...entry })),
    faults: faults.list(),
  });

  const reset = (): void => {
    vendor.reset();
    faults.clear();
    requests = [];
  };

  async function handleVendorRequest(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const entry: RequestLogEntry = {
      method: req.method ?? 'GET',
      path,
      status: null,
      at: now().toISOString(),
      durationMs: null,
      authorization: maskAuthorization(req.headers.authorization),
      errorCode: null,
      fault: null,
    };
    requests.push(entry);
    if (requests.length > MAX_LOGGED_REQUESTS) requests = requests.slice(-MAX_LOGGED_REQUESTS);
    const started = performance.now();
    res.on('close', () => {
      entry.status = res.headersSent ? res.statusCode : null;
      entry.durationMs = Math.round(performance.now() - started);
    });

    const fault = faults.take(path);
    entry.fault = fault?.kind ?? null;
    if (fault?.kind === 'drop') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'hang') return;

    const body = await readJsonBody(req);
    if (fault?.kind === 'accept-then-hang') {
      // The vendor takes the request (it counts) and the answer never comes back.
      routes.get(path)?.({ headers: req.headers, body: body.value, at: now() });
      return;
    }
    if (fault?.kind === 'status') {
      sendStatusFault(res, fault);
      entry.errorCode = fault.status >= 400 ? (fault.code ?? 'emulator_fault') : null;
      return;
    }
    const route = routes.get(path);
    const reply: VendorReply =
      route === undefined
        ? { status: 404, body: { message: `No such endpoint: ${path}.`, code: 'not_found' } }
        : req.method !== 'POST'
          ? { status: 405, body: { message: `${path} accepts POST only.`, code: 'method_not_allowed' } }
          : body.tooLarge
            ? { status: 413, body: { message: 'The body is larger than 1 MiB.', code: 'body_too_large' } }
            : route({ headers: req.headers, body: body.value, at: now() });
    entry.errorCode = reply.status >= 400 ? String(reply.body['code'] ?? '') : null;
    if (fault?.kind === 'slow-body') trickleJson(res, reply, fault, timers);
    else sendJson(res, reply.status, reply.body);
  }

  async function handleControlRequest(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const route = `${req.method} ${path}`;
    if (route === 'GET /') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(renderPage(state(), now(), url));
    } else if (route === 'GET /_emulator/state') {
      sendJson(res, 200, state());
    } else if (route === 'POST /_emulator/faults') {
      const body = await readJsonBody(req);
      try {
        const value = body.value;
        faults.add(Array.isArray(value) ? value : [value as Fault]);
        sendJson(res, 201, { faults: faults.list() });
      } catch (error) {
        sendJson(res, 400, { message: (error as Error).message, code: 'invalid_fault' });
      }
    } else if (route === 'POST /_emulator/reset') {
      reset();
      sendJson(res, 200, {});
    } else {
      sendJson(res, 404, { message: `No such emulator page: ${req.method} ${path}.`, code: 'not_found' });
    }
  }

  const server = createServer((req, res) => {
    res.setHeader('Date', now().toUTCString());
    const path = new URL(req.url ?? '/', 'http://emulator').pathname;
    const isControl = path === '/' || path.startsWith('/_emulator/');
    const handling = isControl ? handleControlRequest(req, res, path) : handleVendorRequest(req, res, path);
    handling.catch((error: unknown) => {
      if (res.headersSent) res.destroy();
      else sendJson(res, 500, { message: `Emulator failure: ${(error as Error).message}`, code: 'emulator_failure' });
    });
  });

  // Idle connections stay open until the client closes them: under an injected clock the real time
  // between two requests is arbitrary, and a server closing idle sockets races a client reusing one
  // (the request then dies as "other side closed" without reaching the vendor). close() ends them.
  server.keepAliveTimeout = 0;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  url = `http://${urlHost}:${address.port}`;

  let closing: Promise<void> | undefined;
  return {
    url,
    state,
    injectFaults: (fault) => faults.add(Array.isArray(fault) ? fault : [fault as Fault]),
    clearFaults: () => faults.clear(),
    reset,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close(() => resolve());
        // A hanging request would otherwise keep close() waiting for the client to give up.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

async function readJsonBody(req: IncomingMessage): Promise<{ value: unknown; tooLarge: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY_BYTES) throw new BodyTooLargeError();
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    if (error instanceof BodyTooLargeError) return { value: undefined, tooLarge: true };
    throw error;
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return { value: text.length === 0 ? undefined : JSON.parse(text), tooLarge: false };
  } catch {
    return { value: undefined, tooLarge: false };
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const payload = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': payload.length });
  res.end(payload);
}

function sendStatusFault(res: ServerResponse, fault: StatusFault): void {
  if (fault.retryAfter !== undefined) res.setHeader('Retry-After', String(fault.retryAfter));
  if (fault.location !== undefined) res.setHeader('Location', fault.location);
  if (fault.body === undefined) {
    sendJson(res, fault.status, {
      message: fault.message ?? `Injected fault: HTTP ${fault.status}.`,
      code: fault.code ?? 'emulator_fault',
    });
    return;
  }
  const payload = Buffer.from(fault.body);
  res.writeHead(fault.status, {
    'Content-Type': fault.contentType ?? 'text/html; charset=utf-8',
    'Content-Length': payload.length,
  });
  res.end(payload);
}

/** Headers at once, then the body in even pieces spread over the fault's duration. */
function trickleJson(res: ServerResponse, reply: VendorReply, fault: SlowBodyFault, timers: Set<NodeJS.Timeout>): void {
  const payload = Buffer.from(JSON.stringify(reply.body));
  res.writeHead(reply.status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': payload.length });
  res.flushHeaders();
  const pieces = Math.max(1, Math.min(SLOW_BODY_PIECES, payload.length));
  const pieceBytes = Math.ceil(payload.length / pieces);
  let sent = 0;
  let timer: NodeJS.Timeout | undefined;
  const sendNext = (): void => {
    if (timer) timers.delete(timer);
    const piece = payload.subarray(sent, sent + pieceBytes);
    sent += piece.length;
    if (sent >= payload.length) {
      res.end(piece);
      return;
    }
    res.write(piece);
    timer = setTimeout(sendNext, fault.durationMs / pieces);
    timers.add(timer);
  };
  res.on('close', () => {
    if (timer) {
      clearTimeout(timer);
      timers.delete(timer);
    }
  });
  timer = setTimeout(sendNext, fault.durationMs / pieces);
  timers.add(timer);
}
