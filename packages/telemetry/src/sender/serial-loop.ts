import type { Clock, TimerHandle } from '../time/clock.js';

/**
 * A loop that never overlaps itself: one timer at a time, and every piece of work (the timer's
 * step, `runOnce()`, an admin's "Collect now") queued behind the one running. Errors stay in the
 * step that threw them; the queue goes on.
 */
export class SerialLoop {
  private timer: TimerHandle | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private nextAt: Date | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly step: () => Promise<void>,
  ) {}

  /** Runs `work` after everything queued before it; its result or error goes to the caller only. */
  serialized<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** The next step in `delayMs`, replacing any step already planned. */
  schedule(delayMs: number): void {
    this.cancel();
    this.nextAt = new Date(this.clock.now().getTime() + delayMs);
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      void this.serialized(this.step);
    }, delayMs);
  }

  cancel(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** When the next step is planned, if one is. */
  get next(): Date | undefined {
    return this.timer === undefined ? undefined : this.nextAt;
  }

  /** Resolves once nothing runs and nothing is queued (work may queue more while we wait). */
  async idle(): Promise<void> {
    let seen: Promise<unknown>;
    do {
      seen = this.queue;
      await seen;
    } while (seen !== this.queue);
  }
}
