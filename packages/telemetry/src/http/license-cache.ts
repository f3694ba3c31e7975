import type { LicenseStatus } from '../license/license-state.js';

/**
 * `/api/license-status` is asked by every page of every user: it answers from memory, at most
 * `ttlMs` old, and the service drops the copy the moment a collection or an upload changes the
 * state (a recovered upload clears the warning at once). Concurrent misses share one query.
 */
export class LicenseStatusCache {
  private body: string | undefined;
  private loadedAt = 0;
  private loading: Promise<string> | undefined;
  private generation = 0;

  constructor(
    private readonly load: () => Promise<LicenseStatus>,
    private readonly ttlMs: number,
    private readonly nowMs: () => number,
  ) {}

  /** The answer as JSON text, ready to send. */
  async json(): Promise<string> {
    if (this.body !== undefined && this.nowMs() - this.loadedAt < this.ttlMs) return this.body;
    if (!this.loading) {
      const generation = this.generation;
      this.loading = this.load()
        .then((status) => {
          const body = JSON.stringify({ warn: status.warn, message: status.message });
          // A state change during the load makes this answer stale already: do not keep it.
          if (generation === this.generation) {
            this.body = body;
            this.loadedAt = this.nowMs();
          }
          return body;
        })
        .finally(() => {
          this.loading = undefined;
        });
    }
    return this.loading;
  }

  invalidate(): void {
    this.generation += 1;
    this.body = undefined;
  }
}
