import type { Db, Unlisten } from '@openhands/db';
import type { CollectNowResult, UploadNowResult } from '../api/schemas.js';
import { COMMAND_CHANNEL } from './channel.js';
import { type CommandKind, expireCommand, insertCommand, readCommand } from './command-rows.js';

/** An admin action that could not be done: `statusCode` and `code` go into the HTTP answer. */
export class TelemetryCommandError extends Error {
  constructor(
    readonly statusCode: 503 | 504 | 500,
    readonly code: 'no_sender' | 'sender_timeout' | 'command_failed',
    message: string,
  ) {
    super(message);
  }
}

export interface CommandsOptions {
  /** How long a command waits for a sender to take it before the caller gets 503. Default 15 s. */
  takeTimeoutMs?: number;
  /** How long a taken command may run before the caller gets 504. Default 5 min. */
  runTimeoutMs?: number;
  /** The re-read interval when no notification comes (a NOTIFY can be missed). Default 1 s. */
  pollMs?: number;
}

/**
 * Admin actions, from any replica. "Collect now" and "Upload now" never run where the request
 * lands: they become a row in `telemetry_commands` and a NOTIFY; the sender (the lock holder,
 * possibly this very process) takes every open command of a kind at once, runs the action once
 * and writes one result for all of them. The caller waits for that result.
 */
export class Commands {
  private readonly takeTimeoutMs: number;
  private readonly runTimeoutMs: number;
  private readonly pollMs: number;
  private readonly waiters = new Set<() => void>();
  private listening: Promise<Unlisten | undefined> | undefined;
  private closed = false;

  constructor(
    private readonly db: Db,
    options: CommandsOptions = {},
  ) {
    this.takeTimeoutMs = options.takeTimeoutMs ?? 15_000;
    this.runTimeoutMs = options.runTimeoutMs ?? 300_000;
    this.pollMs = options.pollMs ?? 1_000;
  }

  collectNow(): Promise<CollectNowResult> {
    return this.request('collect') as Promise<CollectNowResult>;
  }

  uploadNow(): Promise<UploadNowResult> {
    return this.request('upload') as Promise<UploadNowResult>;
  }

  /**
   * The host's nudge: a user accepted the Terms. Stored, so that it is not lost while no sender
   * runs (a new sender takes it within its ten minutes); every replica hears the NOTIFY.
   */
  async termsAccepted(): Promise<void> {
    await insertCommand(this.db, 'terms_accepted', 600_000);
    await this.db.notify(COMMAND_CHANNEL, 'new');
  }

  /** Stops listening for results; requests still waiting answer 503 at once (the process is closing). */
  async close(): Promise<void> {
    this.closed = true;
    const unlisten = await this.listening?.catch(() => undefined);
    this.listening = undefined;
    await unlisten?.().catch(() => undefined);
    for (const wake of this.waiters) wake();
  }

  private async request(kind: CommandKind): Promise<unknown> {
    if (this.closed)
      throw new TelemetryCommandError(503, 'no_sender', 'This server is shutting down; try again in a moment.');
    await this.listen();
    const id = await insertCommand(this.db, kind, this.takeTimeoutMs);
    await this.db.notify(COMMAND_CHANNEL, 'new');
    const started = Date.now();
    for (;;) {
      const row = await readCommand(this.db, id);
      const waited = Date.now() - started;
      if (row?.state === 'done') return row.result;
      if (row?.state === 'failed') throw new TelemetryCommandError(500, 'command_failed', row.error ?? 'failed');
      if (!row || row.state === 'expired' || (row.state === 'pending' && waited >= this.takeTimeoutMs)) {
        if (!row || row.state === 'expired' || (await expireCommand(this.db, id))) {
          throw new TelemetryCommandError(
            503,
            'no_sender',
            `No telemetry sender answered within ${Math.round(this.takeTimeoutMs / 1000)} s: no replica holds the ` +
              'sender lock right now (one takes over within a minute of a restart). Nothing was done; try again shortly.',
          );
        }
        continue; // the sender took it at the last moment: wait for its result
      }
      if (row.state === 'running' && waited >= this.takeTimeoutMs + this.runTimeoutMs) {
        throw new TelemetryCommandError(
          504,
          'sender_timeout',
          `The telemetry sender took the ${kind} command but has not finished it in ` +
            `${Math.round(this.runTimeoutMs / 1000)} s; it goes on in the background.`,
        );
      }
      await this.nextSignal();
      if (this.closed) {
        const expired = await expireCommand(this.db, id).catch(() => false);
        throw new TelemetryCommandError(
          503,
          'no_sender',
          expired
            ? 'This server is shutting down; the command was not run. Try again in a moment.'
            : 'This server is shutting down; the sender took the command and may still finish it (see the admin page).',
        );
      }
    }
  }

  private listen(): Promise<Unlisten | undefined> {
    this.listening ??= this.db
      .listen(COMMAND_CHANNEL, (payload) => {
        if (payload === 'done') for (const wake of this.waiters) wake();
      })
      .catch(() => undefined); // polling alone still works
    return this.listening;
  }

  private nextSignal(): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, this.pollMs);
      this.waiters.add(wake);
    });
  }
}
