import { Writable } from 'node:stream';

// What must never reach a log line: an email address, a session token, a bearer credential.
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/;
const SESSION_TOKEN = /(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/;
const BEARER = /Bearer\s+(?!\[redacted\])\S/i;

export interface LogLeak {
  line: string;
  what: 'email' | 'token';
}

/**
 * Every server built by `createTestApp` logs here, at info level, and every line is scanned as
 * it is written; `createTestApp().close()` fails the test file if any line leaked. So the whole
 * server suite doubles as a test that logs carry no email address and no token.
 */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  readonly leaks: LogLeak[] = [];

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line) continue;
      this.lines.push(line);
      const leak = findLeak(line);
      if (leak) this.leaks.push({ line, what: leak });
    }
    done();
  }

  assertNoLeaks(): void {
    if (this.leaks.length === 0) return;
    const shown = this.leaks.slice(0, 3).map((leak) => `  ${leak.what}: ${leak.line.slice(0, 400)}`);
    throw new Error(`${this.leaks.length} log line(s) leaked personal data or a token:\n${shown.join('\n')}`);
  }
}

export function findLeak(line: string): LogLeak['what'] | undefined {
  if (EMAIL.test(line)) return 'email';
  if (SESSION_TOKEN.test(line) || BEARER.test(line)) return 'token';
  return undefined;
}
