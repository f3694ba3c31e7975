import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { watchProcess } from './watched-process.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const MAIN = `${ROOT}apps/server/src/main.ts`;

export interface ServerProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
}

/** The real server as an operator runs it, from source, with exactly the env given. */
export function startServerProcess(env: Record<string, string>): ServerProcess {
  // `node --import tsx` rather than the tsx launcher: one process, so its PID is the server's.
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=source', MAIN], {
    cwd: ROOT,
    // METRICS_PORT 0: test processes run side by side, and 9464 can be taken only once.
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      LOG_LEVEL: 'info',
      METRICS_PORT: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const watched = watchProcess(child, 30_000);
  return { ...watched, waitFor: (pattern, timeoutMs) => watched.waitFor(pattern, timeoutMs).then((m) => m[0]) };
}

/** The last non-empty line the process wrote to stderr or stdout. */
export function lastLine(output: string): string {
  return (
    output
      .trim()
      .split('\n')
      .filter((l) => !l.includes('nodedir'))
      .at(-1) ?? ''
  );
}
