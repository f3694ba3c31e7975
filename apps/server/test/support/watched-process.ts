import type { ChildProcess } from 'node:child_process';

/** A child process whose output a test reads and waits on (the server, a replica). */
export interface WatchedProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  /** Resolves with the first match at or after `from` (an offset in the output). */
  waitFor(pattern: RegExp, timeoutMs?: number, from?: number): Promise<RegExpExecArray>;
}

/** Collects stdout and stderr as one text and wakes the waiters on every chunk or at exit. */
export function watchProcess(child: ChildProcess, defaultTimeoutMs: number): WatchedProcess {
  let text = '';
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    text += chunk.toString();
    for (const waiter of waiters) waiter();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    output: () => text,
    exited,
    waitFor(pattern, timeoutMs = defaultTimeoutMs, from = 0) {
      // A global pattern would carry lastIndex from one check to the next.
      const once = new RegExp(pattern.source, pattern.flags.replace('g', ''));
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = once.exec(text.slice(from));
          if (match) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(match);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no ${pattern} in the process's output within ${timeoutMs} ms:\n${text}`));
        }, timeoutMs);
        waiters.add(check);
        void exited.then(() => setTimeout(check, 10));
        check();
      });
    },
  };
}
