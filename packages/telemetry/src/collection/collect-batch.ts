import type { Queryable } from '@openhands/db';
import { insertBatch } from '../storage/batches.js';
import { readPreviousBatch } from '../storage/pending-batches.js';
import type { MetricsCollector } from './collector.js';
import { describeError } from './errors.js';
import type { CollectorRegistry } from './registry.js';
import { runCollection } from './run-collection.js';
import type { CollectorError, HostInfo, PreviousBatch, StoredBatch } from './types.js';

export interface CollectBatchOptions {
  db: Queryable;
  registry: CollectorRegistry;
  /** The collection's time: stored as `collected_at` and the end of every window. */
  now: Date;
  host: HostInfo;
  /** Per collector. Default 30 000 ms. */
  timeoutMs?: number;
  /** Statements the collectors may run at once. Default 2. */
  maxConcurrentQueries?: number;
  /** The previous collection's durations and errors, offered to the collectors. Default: read from the batches. */
  previousBatch?: PreviousBatch | null;
  /** The sender is stopping: collectors and their SQL are cancelled and nothing is stored. */
  signal?: AbortSignal;
}

/**
 * One collection: every registered collector runs, then exactly one row is stored, even when
 * every collector failed (the row then carries only their errors). Throws only when the row
 * itself cannot be written, or when `signal` aborted the collection (then nothing is stored).
 */
export async function collectBatch(options: CollectBatchOptions): Promise<StoredBatch> {
  const { db, registry, now, host, timeoutMs, maxConcurrentQueries, signal } = options;
  const collectors: MetricsCollector[] = [];
  const setupErrors: CollectorError[] = [];
  for (const name of registry.names()) {
    try {
      const collector = registry.get(name);
      if (collector) collectors.push(collector);
    } catch (error) {
      setupErrors.push({ collector: name, message: `could not be created: ${describeError(error)}` });
    }
  }
  const previousBatch = options.previousBatch !== undefined ? options.previousBatch : await readPreviousBatch(db, now);
  const result = await runCollection(
    collectors,
    { db, now, host, previousBatch },
    { timeoutMs, maxConcurrentQueries, ...(signal ? { signal } : {}) },
  );
  if (signal?.aborted) throw new Error('the collection was stopped before it finished; nothing was stored');
  const stored = { ...result, errors: [...setupErrors, ...result.errors] };
  const { id } = await insertBatch(db, { collectedAt: now, result: stored });
  return { id, collectedAt: now, ...stored };
}
