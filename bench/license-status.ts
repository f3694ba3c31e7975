/**
 * `npm run bench:license-status`: the throughput of `GET /api/license-status` divided by that of a
 * trivial JSON route of the same server (`GET /healthz`, `{"status":"ok"}`), in the same run.
 * Every page of every user polls the status, so it must cost no more than a trivial route: the
 * target is a ratio of at least 0.8.
 *
 * The server runs in its own process (as in production, on the embedded database, as an
 * OpenHands Enterprise install); this process loads it over keep-alive connections. Rounds
 * alternate between the two routes so that drift in the machine's load hits both alike.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { freePort } from '../scripts/lib/free-port.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 2000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);

async function startServer(port: number, dataDir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=source', 'apps/server/src/main.ts'], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      OPENHANDS_DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      // Nothing listens there: uploads fail quietly in the background, as on an offline install.
      REPLICATED_API_URL: 'http://127.0.0.1:9',
      GITHUB_APP_CLIENT_ID: 'gh',
      KEYCLOAK_SERVER_URL: 'https://kc.example',
      KEYCLOAK_REALM_NAME: 'oh',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error('the server did not become ready within 60 s');
}

/** Requests per second on one path, CONNECTIONS requests in flight for ROUND_MS. */
async function throughput(pool: Pool, path: string): Promise<number> {
  let done = 0;
  const deadline = performance.now() + ROUND_MS;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < deadline) {
        const response = await pool.request({ path, method: 'GET' });
        if (response.statusCode !== 200) throw new Error(`${path} answered ${response.statusCode}`);
        await response.body.text();
        done += 1;
      }
    }),
  );
  return done / ((performance.now() - started) / 1000);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const port = await freePort();
const dataDir = mkdtempSync(join(tmpdir(), 'oh-bench-license-'));
const server = await startServer(port, dataDir);
const pool = new Pool(`http://127.0.0.1:${port}`, { connections: CONNECTIONS });
try {
  const body = await (await fetch(`http://127.0.0.1:${port}/api/license-status`)).json();
  console.log(`GET /api/license-status answers ${JSON.stringify(body)}`);
  await throughput(pool, '/healthz'); // warm-up: JIT, connections
  await throughput(pool, '/api/license-status');
  const trivial: number[] = [];
  const status: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    // Each route goes first in every other round: whatever the first leaves behind (garbage,
    // warm caches) falls on both alike.
    if (round % 2 === 0) {
      trivial.push(await throughput(pool, '/healthz'));
      status.push(await throughput(pool, '/api/license-status'));
    } else {
      status.push(await throughput(pool, '/api/license-status'));
      trivial.push(await throughput(pool, '/healthz'));
    }
  }
  // Each round pairs the two routes a few seconds apart: the median of the paired ratios is
  // robust to the machine's load drifting between rounds.
  const ratio = median(status.map((s, i) => s / trivial[i]!));
  console.log(`\n${ROUNDS} alternating rounds of ${ROUND_MS} ms, ${CONNECTIONS} requests in flight`);
  console.log(`  GET /healthz (trivial JSON):  median ${median(trivial).toFixed(0)} requests/s`);
  console.log(`  GET /api/license-status:      median ${median(status).toFixed(0)} requests/s`);
  console.log(`  per round: ${trivial.map((t, i) => (status[i]! / t).toFixed(2)).join(', ')}`);
  console.log(`  ratio license-status / trivial (median of rounds): ${ratio.toFixed(2)} (target ≥ 0.80)`);
} finally {
  await pool.close();
  server.kill('SIGTERM');
  await new Promise((resolve) => server.once('exit', resolve));
  rmSync(dataDir, { recursive: true, force: true });
}
