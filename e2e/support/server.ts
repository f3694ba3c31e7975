import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { repoRoot, serverMain, webIndex } from './paths.js';

export interface StartServerOptions {
  /** Use this PostgreSQL instead of a fresh embedded database in a temporary folder. */
  databaseUrl?: string;
  /** More environment for the server (enterprise settings, telemetry intervals, …). */
  env?: Record<string, string>;
  /** The port to listen on; default a free one. Set it when another party must know the URL first (an OpenID provider's redirect URIs). */
  port?: number;
  /** How long to wait for `GET /readyz` to answer 200. Default 60 000 ms (a first embedded start runs initdb). */
  readyTimeoutMs?: number;
  /** How long a SIGTERM may take before the server is killed and the stop fails. Default 15 000 ms. */
  stopTimeoutMs?: number;
}

export interface RunningServer {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  url: string;
  /** The temporary folder of the embedded database (removed by `stop`), or null with `databaseUrl`. */
  dataDir: string | null;
  /** Everything the server printed so far, stdout and stderr interleaved. */
  output(): string;
  /** SIGTERM, wait for the exit, remove the temporary data folder. */
  stop(): Promise<void>;
}

const OUTPUT_LIMIT_CHARS = 64_000;

/** Starts the BUILT server (`apps/server/dist/main.js`) as a child process and waits until it is ready. */
export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  for (const [file, what] of [
    [serverMain, 'apps/server/dist/main.js'],
    [webIndex, 'apps/web/dist/index.html'],
  ] as const) {
    if (!existsSync(file)) throw new Error(`${what} does not exist: run \`npm run build\` first (npm test does).`);
  }

  const port = options.port ?? (await findFreePort());
  const url = `http://127.0.0.1:${port}`;
  const dataDir = options.databaseUrl ? null : mkdtempSync(join(tmpdir(), 'openhands-e2e-'));
  // METRICS_PORT 0: the Prometheus listener takes any free port, so that servers never collide on 9464.
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1', METRICS_PORT: '0' };
  // The test decides the database, not whatever the shell running it happens to export.
  delete env.DATABASE_URL;
  delete env.OPENHANDS_DATA_DIR;
  if (options.databaseUrl) env.DATABASE_URL = options.databaseUrl;
  if (dataDir) env.OPENHANDS_DATA_DIR = dataDir;
  Object.assign(env, options.env);

  const child = spawn(process.execPath, [serverMain], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const record = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_LIMIT_CHARS);
  };
  child.stdout?.on('data', record);
  child.stderr?.on('data', record);
  const exited = exitOf(child);

  const removeDataDir = () => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  const stop = async () => {
    try {
      await stopChild(child, exited, options.stopTimeoutMs ?? 15_000, () => output);
    } finally {
      removeDataDir();
    }
  };

  try {
    await waitUntilReady(url, exited, options.readyTimeoutMs ?? 60_000, () => output);
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    removeDataDir();
    throw error;
  }
  return { url, dataDir, output: () => output, stop };
}

async function waitUntilReady(
  url: string,
  exited: Promise<number | null>,
  timeoutMs: number,
  output: () => string,
): Promise<void> {
  let finished: number | null | undefined;
  void exited.then((code) => {
    finished = code;
  });
  const deadline = Date.now() + timeoutMs;
  let lastAnswer = 'no answer yet';
  while (Date.now() < deadline) {
    if (finished !== undefined) {
      throw new Error(`The server exited (code ${finished}) before it was ready. Its output:\n${output()}`);
    }
    try {
      const response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2_000) });
      if (response.status === 200) return;
      lastAnswer = `${response.status} ${await response.text()}`;
    } catch (error) {
      lastAnswer = (error as Error).message;
    }
    // Polling a real process: there is no event to wait on before it listens.
    await delay(100);
  }
  throw new Error(
    `The server did not answer GET /readyz with 200 within ${timeoutMs} ms (last: ${lastAnswer}). Its output:\n${output()}`,
  );
}

async function stopChild(
  child: ChildProcess,
  exited: Promise<number | null>,
  timeoutMs: number,
  output: () => string,
): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const cancelTimer = new AbortController();
  const timer = delay(timeoutMs, 'timeout' as const, { signal: cancelTimer.signal }).catch(() => 'cancelled' as const);
  const first = await Promise.race([exited, timer]);
  cancelTimer.abort();
  if (first === 'timeout') {
    child.kill('SIGKILL');
    await exited;
    throw new Error(`The server did not stop within ${timeoutMs} ms of SIGTERM. Its output:\n${output()}`);
  }
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** A port nobody listens on right now (the OS picks it; the server takes it a moment later). */
function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
