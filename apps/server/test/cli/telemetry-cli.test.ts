import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Emulator, startEmulator } from '@openhands/replicated/emulator';
import { TelemetryOverviewSchema } from '@openhands/telemetry/api';
import { DoctorCheckSchema, DoctorReportSchema } from '@openhands/telemetry/doctor';
import { ManualClock } from '@openhands/telemetry/testing';
import Type from 'typebox';
import { Value } from 'typebox/value';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  closedPort,
  startProxy,
  startSelfSignedTls,
  type TestProxy,
} from '../../../../packages/telemetry/test/doctor/field-faults.js';
import { runTelemetryCli } from '../../src/cli/telemetry/program.js';
import { createTestApp, signIn, type TestApp } from '../support/test-app.js';

/**
 * The CLI against a real server (listening on a port, telemetry running) and the vendor emulator
 * with the field's faults: each run in-process, as `openhands-telemetry` would, with its exit code.
 */
const ENTERPRISE = {
  GITHUB_APP_CLIENT_ID: 'gh-app',
  KEYCLOAK_SERVER_URL: 'https://kc.acme.example',
  KEYCLOAK_REALM_NAME: 'oh',
};
const TOKEN = 'cli-automation-token-0123456789';
/** The bin's source; package.json's `bin` points at its build, dist/cli/telemetry/main.js. */
const BIN = fileURLToPath(new URL('../../src/cli/telemetry/main.ts', import.meta.url));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  json: () => Record<string, unknown>;
}

async function cli(args: string[], env: Record<string, string | undefined>, now?: () => Date): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await runTelemetryCli(args, {
    env,
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    ...(now ? { now } : {}),
  });
  return { code, stdout, stderr, json: () => JSON.parse(stdout) };
}

async function listening(t: TestApp): Promise<string> {
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
}

/** What `doctor --json` prints: the contract scripts rely on. */
const DoctorOutputSchema = Type.Object(
  {
    exitCode: Type.Union([Type.Literal(0), Type.Literal(1), Type.Literal(2)]),
    server: Type.Union([DoctorReportSchema, Type.Null()]),
    here: Type.Union([DoctorReportSchema, Type.Null()]),
    error: Type.Union([Type.Object({ code: Type.String(), message: Type.String() }), Type.Null()]),
  },
  { additionalProperties: false },
);

/** What `status --json` prints. */
const StatusOutputSchema = Type.Object(
  {
    verdict: Type.Union([Type.Literal('healthy'), Type.Literal('warning')]),
    exitCode: Type.Union([Type.Literal(0), Type.Literal(1)]),
    sentence: Type.Union([Type.String({ minLength: 1 }), Type.Null()]),
    checks: Type.Array(DoctorCheckSchema),
    overview: TelemetryOverviewSchema,
  },
  { additionalProperties: false },
);

function expectSchema(schema: Type.TSchema, value: unknown) {
  const errors = [...Value.Errors(schema, value)].map((e) => `${e.instancePath}: ${e.message}`);
  expect(errors).toEqual([]);
}

const statusOf = (report: { checks: Array<{ id: string; status: string }> }, id: string) =>
  report.checks.find((check) => check.id === id)?.status;

describe('openhands-telemetry against a running server and the emulator', () => {
  const clock = new ManualClock('2026-11-23T12:00:00Z');
  let emulator: Emulator;
  let t: TestApp;
  let env: Record<string, string>;
  let proxy: TestProxy;
  const now = () => clock.now();

  beforeAll(async () => {
    emulator = await startEmulator({ now });
    proxy = await startProxy();
    t = await createTestApp(
      'pglite',
      { ...ENTERPRISE, REPLICATED_API_URL: emulator.url, TELEMETRY_ADMIN_TOKEN: TOKEN },
      { telemetryClock: clock },
    );
    env = { OPENHANDS_URL: await listening(t), TELEMETRY_ADMIN_TOKEN: TOKEN };
    await signIn(t.app, 'ada@acme.example');
  });
  afterAll(async () => {
    await t.close();
    await proxy.close();
    await emulator.close();
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    emulator.reset();
  });

  it('collects, previews, uploads and exports, with exit 0, and status is then healthy', async () => {
    const collected = await cli(['collect', '--json'], env);
    expect(collected.code).toBe(0);
    const batch = collected.json()['batch'] as { id: string; metrics: Record<string, unknown> };
    expect(batch.metrics).toMatchObject({ total_users: 1 });

    const preview = await cli(['preview'], env);
    expect(preview.code).toBe(0);
    expect(preview.stdout).toContain(`The next upload to ${emulator.url}`);
    expect(preview.stdout).toContain(`POST /application/custom-metrics  (batch ${batch.id}`);
    expect(preview.stdout).toMatch(/total_users\s+1/);

    const dir = mkdtempSync(join(tmpdir(), 'cli-export-'));
    try {
      const exported = await cli(['export', '--output', join(dir, 'payload.json')], env);
      expect(exported.code).toBe(0);
      expect(exported.stdout).toContain('Wrote 1 batch(es) to');
      expect(JSON.parse(readFileSync(join(dir, 'payload.json'), 'utf8'))).toMatchObject({
        customer: { email: 'ada@acme.example' },
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    const upload = await cli(['upload'], env);
    expect(upload).toMatchObject({ code: 0 });
    expect(upload.stdout).toContain('Uploaded: 1 batch(es) sent, check-in sent.');
    expect(emulator.state().metricSets[0]?.data).toEqual(batch.metrics);

    const statusJson = await cli(['status', '--json'], env, now);
    expectSchema(StatusOutputSchema, statusJson.json());
    expect(statusJson.json()).toMatchObject({ verdict: 'healthy', exitCode: 0 });

    const status = await cli(['status'], env, now);
    expect(status.stdout).toContain(`OpenHands telemetry at ${env.OPENHANDS_URL}: healthy`);
    expect(status.code).toBe(0);

    const doctor = await cli(['doctor'], env, now);
    expect(doctor.stdout).toContain('Healthy: every check passed.');
    expect(doctor.code).toBe(0);
  });

  it("exports every metric the chart's alerts (PrometheusRule) are written on", async () => {
    const metrics = await t.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(metrics.statusCode).toBe(200);
    const contact = Date.parse('2026-11-23T12:00:00Z') / 1000;
    expect(metrics.body).toMatch(/^openhands_telemetry_license_warning 0$/m);
    expect(metrics.body).toMatch(
      new RegExp(`^openhands_telemetry_last_vendor_contact_timestamp_seconds ${contact}$`, 'm'),
    );
    expect(metrics.body).toMatch(/^openhands_telemetry_oldest_pending_batch_age_seconds 0$/m);
    expect(metrics.body).toMatch(/^openhands_telemetry_leader 1$/m);
  });

  it("doctor names the vendor's 403 and exits 1", async () => {
    emulator.injectFaults({
      kind: 'status',
      status: 403,
      message: 'License expired',
      code: 'forbidden',
      path: '/kots_metrics/license_instance/info',
    });
    const run = await cli(['doctor'], env);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /\[FAIL\] vendor\s+http:\/\/127\.0\.0\.1:\d+: The vendor refused \(HTTP 403: "License expired"\)/,
    );
    expect(run.stdout).toContain(`${env.OPENHANDS_URL}/docs/troubleshooting#the-vendor-answers-with-an-error`);
  });

  it('doctor names an HTML answer as not the vendor', async () => {
    emulator.injectFaults({ kind: 'status', status: 200, body: '<html><title>Proxy login</title></html>' });
    const run = await cli(['doctor', '--json'], env);
    expect(run.code).toBe(1);
    const server = run.json()['server'] as { checks: Array<{ id: string; status: string; summary: string }> };
    expect(server.checks.find((c) => c.id === 'vendor')?.summary).toContain(
      'HTTP 200 with text/html (page title "Proxy login"), not the vendor\'s JSON',
    );
  });

  it("doctor checks the server's own proxy, and --here checks this machine's", async () => {
    const dead = `http://127.0.0.1:${await closedPort()}`;
    vi.stubEnv('HTTP_PROXY', dead); // the server's environment (same process in this test)
    const run = await cli(['doctor', '--here', '--json'], { ...env, HTTP_PROXY: proxy.url }, now);
    expect(run.code).toBe(1);
    const output = run.json() as {
      server: { checks: Array<{ id: string; status: string; summary: string }> };
      here: { checks: Array<{ id: string; status: string }> };
    };
    expect(statusOf(output.server, 'proxy')).toBe('fail');
    expect(output.server.checks.find((c) => c.id === 'proxy')?.summary).toContain(
      `The proxy ${dead} does not answer (ECONNREFUSED`,
    );
    // From here, through a working proxy, the vendor answers.
    expect(statusOf(output.here, 'proxy')).toBe('ok');
    expect(statusOf(output.here, 'vendor')).toBe('ok');
    expectSchema(DoctorOutputSchema, output);
  });

  it("doctor --here --ca tries a proxy's CA from this machine before it goes into the chart", async () => {
    const tls = await startSelfSignedTls();
    const dir = mkdtempSync(join(tmpdir(), 'cli-ca-'));
    try {
      writeFileSync(join(dir, 'corp-ca.pem'), tls.certificate);
      const here = (run: Run) =>
        (run.json()['here'] as { checks: Array<{ id: string; status: string }> }) ?? { checks: [] };
      const untrusted = await cli(['doctor', '--here', '--endpoint', tls.url, '--json'], env, now);
      expect(statusOf(here(untrusted), 'tls')).toBe('fail');
      const trusted = await cli(
        ['doctor', '--here', '--endpoint', tls.url, '--ca', join(dir, 'corp-ca.pem'), '--json'],
        env,
        now,
      );
      expect(statusOf(here(trusted), 'tls')).toBe('ok');
      const missing = await cli(['doctor', '--here', '--ca', join(dir, 'nope.pem')], env, now);
      expect(missing).toMatchObject({ code: 2, stderr: expect.stringContaining('nope.pem cannot be read (ENOENT)') });
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await tls.close();
    }
  });

  it('upload exits 1 and points to doctor when the vendor refuses', async () => {
    clock.set(new Date(clock.now().getTime() + 60_000)); // a minute after the last success
    await cli(['collect'], env);
    emulator.injectFaults({ kind: 'status', status: 403, message: 'License expired', code: 'forbidden', count: 5 });
    const run = await cli(['upload'], env);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('Run `openhands-telemetry doctor` to find the cause.');
    // status now says what the admin page says, and a pipeline sees exit 1.
    const status = await cli(['status'], env, now);
    expect(status.code).toBe(1);
    expect(status.stdout).toContain(': needs attention');
    expect(status.stdout).toMatch(/\[FAIL\] last-upload .*failed: .*403/);
  });

  it('cannot tell (exit 2) without the token, with a wrong one, or with no server, and says what to do', async () => {
    const noToken = await cli(['status'], { OPENHANDS_URL: env.OPENHANDS_URL });
    expect(noToken).toMatchObject({ code: 2, stderr: expect.stringContaining('TELEMETRY_ADMIN_TOKEN is not set') });
    const wrong = await cli(['status', '--json'], { ...env, TELEMETRY_ADMIN_TOKEN: 'nope' });
    expect(wrong.code).toBe(2);
    expect(wrong.json()).toMatchObject({ exitCode: 2, error: { code: 'unauthorized' } });
    const down = `http://127.0.0.1:${await closedPort()}`;
    const gone = await cli(['doctor', '--json'], { ...env, OPENHANDS_URL: down });
    expect(gone.code).toBe(2);
    expect(gone.json()).toMatchObject({
      server: null,
      error: {
        code: 'unreachable',
        message: expect.stringContaining(`Cannot reach the server at ${down} (ECONNREFUSED)`),
      },
    });
    expectSchema(DoctorOutputSchema, gone.json());
    const usage = await cli(['statsu'], env);
    expect(usage.code).toBe(2);
    // The doctor's route is admin-only like the rest of the admin API.
    const member = await signIn(t.app, 'bob@acme.example');
    expect((await t.app.inject({ url: '/api/admin/telemetry/doctor' })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/api/admin/telemetry/doctor', headers: { cookie: member } })).statusCode).toBe(
      403,
    );
  });

  it('runs as its own process (the bin), with the exit code a pipeline tests', async () => {
    const run = (args: string[], extra: Record<string, string>) =>
      new Promise<{ code: number | null; stdout: string }>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=source', BIN, ...args], {
          cwd: fileURLToPath(new URL('../../../../', import.meta.url)),
          env: { PATH: process.env.PATH ?? '', ...extra },
        });
        let stdout = '';
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
        });
        child.on('exit', (code) => resolve({ code, stdout }));
      });
    const status = await run(['status', '--json'], env);
    // Whatever the state the earlier tests left, the process exits with the code its JSON states.
    const stated = JSON.parse(status.stdout) as { verdict: string; exitCode: number };
    expect(stated.exitCode).toBe(stated.verdict === 'healthy' ? 0 : 1);
    expect(status.code).toBe(stated.exitCode);
    expect((await run(['preview', '--json'], env)).code).toBe(0);
    expect((await run(['status'], { OPENHANDS_URL: env.OPENHANDS_URL ?? '' })).code).toBe(2);
  });

  it('--url wins over OPENHANDS_URL', async () => {
    const run = await cli(
      ['status', '--url', env.OPENHANDS_URL ?? ''],
      { ...env, OPENHANDS_URL: 'http://127.0.0.1:1' },
      now,
    );
    expect(run.code).not.toBe(2);
  });
});

describe('openhands-telemetry doctor when the vendor cannot be reached', () => {
  let t: TestApp;
  let env: Record<string, string>;
  let endpoint: string;
  beforeAll(async () => {
    endpoint = `http://127.0.0.1:${await closedPort()}`;
    const clock = new ManualClock('2026-11-23T12:00:00Z');
    t = await createTestApp(
      'pglite',
      {
        ...ENTERPRISE,
        REPLICATED_API_URL: endpoint,
        TELEMETRY_ADMIN_TOKEN: TOKEN,
        OPENHANDS_ADMIN_EMAIL: 'ops@acme.example',
      },
      { telemetryClock: clock },
    );
    env = { OPENHANDS_URL: await listening(t), TELEMETRY_ADMIN_TOKEN: TOKEN };
  });
  afterAll(async () => {
    await t.close();
  });

  it('names the refused connection, with the fix and the docs, and exits 1', async () => {
    const run = await cli(['doctor'], env);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`[FAIL] tcp`);
    expect(run.stdout).toContain(`${endpoint.slice(7)} refused the connection (ECONNREFUSED)`);
    expect(run.stdout).toContain('→ Allow egress to 127.0.0.1');
    expect(run.stdout).toContain(`${env.OPENHANDS_URL}/docs/troubleshooting#connection-refused-or-timed-out`);
    const json = await cli(['doctor', '--json'], env);
    expectSchema(DoctorOutputSchema, json.json());
  });
});
