import { type Emulator, type FieldFaultName, fieldFault, startEmulator } from '@openhands/replicated/emulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type DoctorCheck, type NetworkCheckOptions, networkChecks } from '../../src/doctor/index.js';
import { closedPort, type SelfSignedServer, startProxy, startSelfSignedTls, type TestProxy } from './field-faults.js';

/**
 * The doctor against the local vendor emulator and the network's usual faults, each a real local
 * server: every fault must be named by the first failing line, with a fix and a docs anchor.
 */
const NOW = new Date('2026-11-30T09:00:00Z');
let emulator: Emulator;
let proxy: TestProxy;
let lockedProxy: TestProxy;
let tls: SelfSignedServer;

beforeAll(async () => {
  emulator = await startEmulator({ now: () => NOW });
  proxy = await startProxy();
  lockedProxy = await startProxy({ requireAuth: 'ops:s3cret' });
  tls = await startSelfSignedTls();
});
afterAll(async () => {
  await Promise.all([emulator.close(), proxy.close(), lockedProxy.close(), tls.close()]);
});
beforeEach(() => {
  emulator.reset();
  proxy.seen.length = 0;
});

function run(options: Partial<NetworkCheckOptions> = {}) {
  return networkChecks({ endpoint: emulator.url, env: {}, now: () => NOW, timeoutMs: 3_000, ...options });
}

/** `id: status` for every line, the shape a reader scans first. */
const statuses = (checks: DoctorCheck[]) => Object.fromEntries(checks.map((check) => [check.id, check.status]));
const line = (checks: DoctorCheck[], id: DoctorCheck['id']) => {
  const check = checks.find((c) => c.id === id);
  if (!check) throw new Error(`no ${id} line in ${JSON.stringify(checks, null, 2)}`);
  return check;
};

describe("the doctor's network checks", () => {
  it('passes every step against a healthy vendor, and does not register anything', async () => {
    const checks = await run();
    expect(statuses(checks)).toEqual({ proxy: 'ok', dns: 'skip', tcp: 'ok', tls: 'skip', vendor: 'ok', clock: 'ok' });
    expect(line(checks, 'vendor').summary).toContain('HTTP 401, as expected without credentials');
    expect(emulator.state().customers).toEqual([]);
    expect(emulator.state().checkIns).toEqual([]);
  });

  it('names a refused connection at the TCP step and skips what depends on it', async () => {
    const checks = await run({ endpoint: `http://127.0.0.1:${await closedPort()}` });
    expect(statuses(checks)).toMatchObject({ tcp: 'fail', tls: 'skip', vendor: 'skip', clock: 'skip' });
    expect(line(checks, 'tcp')).toMatchObject({
      summary: expect.stringContaining('refused the connection (ECONNREFUSED)'),
      fix: expect.stringContaining('Allow egress'),
      docs: 'connection-refused-or-timed-out',
    });
  });

  it("names the vendor's 403 with the vendor's own message", async () => {
    emulator.injectFaults({ kind: 'status', status: 403, message: 'License expired', code: 'forbidden' });
    const check = line(await run(), 'vendor');
    expect(check).toMatchObject({ status: 'fail', docs: 'the-vendor-answers-with-an-error' });
    expect(check.summary).toContain('The vendor refused (HTTP 403: "License expired")');
    expect(check.fix).toContain('Contact the vendor');
  });

  it('names an HTML answer (a captive portal answering 200) as not the vendor', async () => {
    emulator.injectFaults({
      kind: 'status',
      status: 200,
      body: '<html><head><title>Corp Wi-Fi login</title></head><body>Sign in</body></html>',
    });
    const check = line(await run(), 'vendor');
    expect(check).toMatchObject({ status: 'fail', docs: 'an-answer-that-is-not-the-vendors' });
    expect(check.summary).toContain('HTTP 200 with text/html (page title "Corp Wi-Fi login"), not the vendor\'s JSON');
  });

  it("names a gateway's 502 page as not the vendor either", async () => {
    emulator.injectFaults({ kind: 'status', status: 502, body: '<h1>Bad Gateway</h1>' });
    expect(line(await run(), 'vendor').summary).toContain("HTTP 502 with text/html, not the vendor's JSON");
  });

  it('goes through a working proxy, as the client does, and says so', async () => {
    const checks = await run({ env: { HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url } });
    expect(statuses(checks)).toEqual({ proxy: 'ok', dns: 'skip', tcp: 'skip', tls: 'skip', vendor: 'ok', clock: 'ok' });
    expect(line(checks, 'proxy').summary).toBe(
      `The proxy ${proxy.url} opens a tunnel to ${new URL(emulator.url).host}.`,
    );
    // The tunnel check and the vendor request both went through it.
    expect(proxy.seen).toEqual([new URL(emulator.url).host, new URL(emulator.url).host]);
  });

  it('names a proxy that does not answer', async () => {
    const dead = `http://127.0.0.1:${await closedPort()}`;
    const checks = await run({ env: { http_proxy: dead } });
    expect(statuses(checks)).toMatchObject({ proxy: 'fail', vendor: 'skip' });
    expect(line(checks, 'proxy')).toMatchObject({
      summary: `The proxy ${dead} does not answer (ECONNREFUSED: connect ECONNREFUSED ${dead.slice(7)}).`,
      docs: 'proxy',
    });
  });

  it('names a proxy that wants credentials, and passes with them without printing the password', async () => {
    const failing = line(await run({ env: { HTTP_PROXY: lockedProxy.url } }), 'proxy');
    expect(failing.status).toBe('fail');
    expect(failing.summary).toContain('wants credentials (HTTP 407)');
    const withCredentials = lockedProxy.url.replace('http://', 'http://ops:s3cret@');
    const checks = await run({ env: { HTTP_PROXY: withCredentials } });
    expect(statuses(checks)).toMatchObject({ proxy: 'ok', vendor: 'ok' });
    expect(JSON.stringify(checks)).not.toContain('s3cret');
  });

  it('follows NO_PROXY as the client does', async () => {
    const checks = await run({ env: { HTTP_PROXY: `http://127.0.0.1:${await closedPort()}`, NO_PROXY: '127.0.0.1' } });
    expect(line(checks, 'proxy')).toMatchObject({
      status: 'ok',
      summary: 'Direct connection: NO_PROXY (127.0.0.1) covers 127.0.0.1.',
    });
    expect(line(checks, 'vendor').status).toBe('ok');
  });

  it('names a host that does not resolve', async () => {
    const lookup = async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND replicated.app'), { code: 'ENOTFOUND' });
    };
    const checks = await run({ endpoint: 'https://replicated.app', lookup });
    expect(statuses(checks)).toMatchObject({ dns: 'fail', tcp: 'skip', tls: 'skip', vendor: 'skip' });
    expect(line(checks, 'dns')).toMatchObject({
      summary: 'replicated.app (the vendor) does not resolve (ENOTFOUND).',
      docs: 'dns',
    });
  });

  it('names an untrusted certificate (a TLS-inspecting proxy) and the CA bundle in use', async () => {
    const failing = line(await run({ endpoint: tls.url, env: {} }), 'tls');
    expect(failing).toMatchObject({ status: 'fail', docs: 'tls' });
    expect(failing.summary).toMatch(
      /self[- ]signed certificate \(DEPTH_ZERO_SELF_SIGNED_CERT\); trusted: Node's built-in list \(\d+ CAs\)/,
    );
    expect(failing.fix).toContain('extraCaCertificates (NODE_EXTRA_CA_CERTS)');
    const trusted = await run({ endpoint: tls.url, env: {}, ca: tls.certificate });
    expect(line(trusted, 'tls')).toMatchObject({
      status: 'ok',
      summary: expect.stringContaining('issued by Corp Inspection CA'),
    });
    expect(line(trusted, 'vendor').status).toBe('ok');
  });

  it('checks TLS through the proxy tunnel, as an https upload goes', async () => {
    const checks = await run({ endpoint: tls.url, env: { HTTPS_PROXY: proxy.url }, ca: tls.certificate });
    expect(statuses(checks)).toEqual({ proxy: 'ok', dns: 'skip', tcp: 'skip', tls: 'ok', vendor: 'ok', clock: 'skip' });
    expect(line(checks, 'tls').summary).toContain('issued by Corp Inspection CA');
    expect(proxy.seen).toEqual([new URL(tls.url).host, new URL(tls.url).host]);
  });

  it('reports an unreadable NODE_EXTRA_CA_CERTS', async () => {
    const checks = await run({
      endpoint: tls.url,
      env: { NODE_EXTRA_CA_CERTS: '/nonexistent/ca.pem' },
      ca: tls.certificate,
    });
    expect(line(checks, 'tls')).toMatchObject({
      status: 'warn',
      summary: expect.stringContaining('NODE_EXTRA_CA_CERTS=/nonexistent/ca.pem cannot be read (ENOENT)'),
    });
  });

  it("warns about a clock 10 minutes off the vendor's Date header", async () => {
    const checks = await run({ now: () => new Date(NOW.getTime() + 10 * 60_000) });
    expect(line(checks, 'clock')).toMatchObject({
      status: 'warn',
      summary: "This clock is 10 min ahead of the vendor's Date header.",
      docs: 'clock',
    });
  });

  it('names a vendor that accepts the connection and never answers', async () => {
    emulator.injectFaults({ kind: 'hang' });
    const check = line(await run({ timeoutMs: 300 }), 'vendor');
    expect(check).toMatchObject({
      status: 'fail',
      summary: expect.stringContaining('No answer to a request to http://127.0.0.1:'),
      docs: 'connection-refused-or-timed-out',
    });
    expect(check.summary).toContain('within 300 ms, although the connection opens');
  });

  it('names a resolver that never answers', async () => {
    const checks = await run({
      endpoint: 'https://replicated.app',
      timeoutMs: 200,
      lookup: () => new Promise(() => {}),
    });
    expect(line(checks, 'dns')).toMatchObject({
      status: 'fail',
      summary: 'replicated.app (the vendor) does not resolve (ETIMEDOUT).',
    });
  });

  // The emulator's catalogue of what answers in the vendor's place in the field.
  const FIELD: Array<[FieldFaultName, 'warn' | 'fail', string]> = [
    ['captive-portal', 'fail', 'HTTP 200 with text/html (page title'],
    ['redirect', 'fail', 'a redirect to http://portal.example/login'],
    ['gateway-404', 'fail', "HTTP 404 with text/html, not the vendor's JSON"],
    ['gateway-502', 'fail', "HTTP 502 with text/html, not the vendor's JSON"],
    ['proxy-407', 'fail', "HTTP 407 with text/html, not the vendor's JSON"],
    ['retry-after-far-date', 'warn', 'The vendor has a failure of its own (HTTP 503'],
    ['retry-after-garbage', 'warn', 'The vendor has a failure of its own (HTTP 503'],
    ['accept-then-hang', 'fail', 'within 300 ms, although the connection opens'],
  ];
  it.each(FIELD)('names the field fault %s', async (name, status, summary) => {
    emulator.injectFaults(fieldFault(name));
    const check = line(await run({ timeoutMs: 300 }), 'vendor');
    expect(check.status).toBe(status);
    expect(check.summary).toContain(summary);
    expect(check.fix).toEqual(expect.any(String));
  });

  it('refuses an endpoint that is not an http(s) URL', async () => {
    expect(await run({ endpoint: 'replicated.app' })).toMatchObject([{ id: 'endpoint', status: 'fail' }]);
  });
});
