import { EventEmitter } from 'node:events';
import type { StoredBatch } from '../collection/index.js';
import type { Phase } from '../schedule/rules.js';
import type { UploadCycleReport } from '../upload/upload-cycle.js';

/**
 * What the service tells the outside, as `noun:verb` events that tests await instead of sleeping
 * and that the HTTP layer uses to drop its caches.
 */
export interface TelemetryEvents {
  'batch:collected': { batch: StoredBatch };
  'upload:succeeded': { batchId: string; collectedAt: Date };
  'upload:failed': { stage: 'identity' | 'metrics' | 'checkin'; error: string; retryAt?: string };
  'upload:cycle': { report: UploadCycleReport };
  'phase:changed': { from: Phase; to: Phase };
  'leader:acquired': { holder: string };
  'leader:lost': { holder: string; reason: string };
  /** Another process changed the stored state (over LISTEN/NOTIFY): caches are stale. */
  'state:changed': Record<string, never>;
  'tick:done': { collected: boolean; uploaded: boolean; nextCheckInMs: number };
}

export type TelemetryEventName = keyof TelemetryEvents;

/** A typed EventEmitter whose listeners can never break the service: their errors are logged. */
export class TelemetryEventEmitter {
  private readonly emitter = new EventEmitter();

  constructor(private readonly onListenerError: (event: string, error: unknown) => void) {
    this.emitter.setMaxListeners(50);
  }

  on<E extends TelemetryEventName>(event: E, listener: (payload: TelemetryEvents[E]) => void): () => void {
    this.emitter.on(event, listener);
    return () => this.emitter.off(event, listener);
  }

  once<E extends TelemetryEventName>(event: E): Promise<TelemetryEvents[E]> {
    return new Promise((resolve) => this.emitter.once(event, resolve));
  }

  emit<E extends TelemetryEventName>(event: E, payload: TelemetryEvents[E]): void {
    for (const listener of this.emitter.listeners(event)) {
      try {
        (listener as (payload: TelemetryEvents[E]) => void)(payload);
      } catch (error) {
        this.onListenerError(event, error);
      }
    }
  }
}
