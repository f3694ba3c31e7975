import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createTestDb } from '@openhands/db/testing';
import { ReplicatedClient } from '@openhands/replicated';
import { MockAgent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { telemetryMigrations } from '../../src/index.js';
import { sendingPolicy } from '../../src/upload/release-guard.js';
import { runUploadCycle } from '../../src/upload/upload-cycle.js';

const run = promisify(execFile);
const SCRIPT = new URL('../../scripts/write-release-key.mjs', import.meta.url).pathname;
const DOCKERFILE = new URL('../../../../Dockerfile', import.meta.url).pathname;

describe('the release build takes the vendor key at build time (DECISIONS §5)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'release-key-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  async function writeKey(content: string | null) {
    const keyFile = join(dir, 'key');
    const out = join(dir, 'release-key.ts');
    await rm(out, { force: true });
    if (content !== null) await writeFile(keyFile, content);
    const args = [SCRIPT, ...(content === null ? [] : [keyFile]), '--out', out];
    const result = await run(process.execPath, args).then(
      (ok) => ({ code: 0, stderr: ok.stderr }),
      (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
    );
    const written = await readFile(out, 'utf8').catch(() => null);
    return { ...result, written };
  }

  it.each([
    ['no key at all', null, /no key given/],
    ['an empty secret', '\n', /is empty/],
    ["the source build's placeholder", 'replicated_pk_openhands_enterprise_placeholder', /placeholder/],
    ['not a publishable key', 'sk_live_0123456789abcdef', /not a publishable key/],
    ['two lines', 'replicated_pk_abcdefgh12345\nreplicated_pk_other', /not a publishable key/],
  ])('refuses %s: the build stops and writes nothing', async (_name, content, reason) => {
    const { code, stderr, written } = await writeKey(content);
    expect(code).toBe(1);
    expect(stderr).toMatch(reason);
    expect(written).toBeNull();
  });

  it('compiles a real key in', async () => {
    const { code, written } = await writeKey('replicated_pk_2b9fWQdemo0Key_x\n');
    expect(code).toBe(0);
    expect(written).toContain(
      'export const RELEASE_PUBLISHABLE_KEY: string | null = "replicated_pk_2b9fWQdemo0Key_x";',
    );
  });

  it('the Dockerfile runs it with a required build secret before compiling', async () => {
    const dockerfile = await readFile(DOCKERFILE, 'utf8');
    const keyStep = dockerfile.indexOf(
      'RUN --mount=type=secret,id=replicated_publishable_key,required=true \\\n    node packages/telemetry/scripts/write-release-key.mjs /run/secrets/replicated_publishable_key',
    );
    expect(keyStep).toBeGreaterThan(0);
    expect(keyStep).toBeLessThan(dockerfile.indexOf('RUN npm run build'));
    expect(dockerfile).not.toMatch(/ARG REPLICATED_PUBLISHABLE_KEY|ENV REPLICATED_PUBLISHABLE_KEY/);
  });
});

describe('a source build never sends to the vendor', () => {
  it.each([
    [false, 'https://replicated.app', false],
    [false, 'https://replicated.app/', false],
    [false, 'https://api.replicated.app', false],
    [false, 'http://127.0.0.1:8787', true],
    [false, 'https://replicated.app.example.com', true],
    [true, 'https://replicated.app', true],
  ])('release build %s, endpoint %s: sends %s', (releaseBuild, endpoint, sends) => {
    expect(sendingPolicy(endpoint, releaseBuild).sends).toBe(sends);
  });

  it('says so in one sentence for the start line and the admin page', () => {
    expect(sendingPolicy('https://replicated.app', false).note).toBe(
      'Source build (placeholder publishable key): telemetry is collected and shown but not sent; it is sent only ' +
        'to an explicitly set REPLICATED_API_URL such as the emulator (npm run demo), never to the vendor.',
    );
    expect(sendingPolicy('http://127.0.0.1:8787', false).note).toBe(
      'Source build (placeholder publishable key): telemetry is sent to REPLICATED_API_URL=http://127.0.0.1:8787 only.',
    );
  });

  it('collects but makes no request at all against the default endpoint', async () => {
    const db = await createTestDb('pglite', [telemetryMigrations]);
    // The vendor's real endpoint is out of reach here: a dispatcher that fails on any request.
    const agent = new MockAgent();
    agent.disableNetConnect();
    const client = new ReplicatedClient({
      baseUrl: 'https://replicated.app',
      publishableKey: 'replicated_pk_openhands_enterprise_placeholder',
      appSlug: 'openhands-enterprise',
      dispatcher: agent,
    });
    try {
      await db.query(`INSERT INTO telemetry_metrics (metrics_data) VALUES ('{"a": 1}')`);
      const report = await runUploadCycle({
        db,
        client,
        adminEmail: 'admin@acme.example',
        appVersion: '1.0.0',
        instanceName: 'x',
        holder: 'test',
        now: () => new Date(),
        random: Math.random,
        signal: new AbortController().signal,
        releaseBuild: false,
      });
      expect(report).toMatchObject({ outcome: 'sending_disabled', requests: 0 });
      const { rows } = await db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM telemetry_metrics WHERE uploaded_at IS NULL',
      );
      expect(rows[0]?.n).toBe(1); // kept, shown, never sent
    } finally {
      await agent.close();
      await db.close();
    }
  });
});
