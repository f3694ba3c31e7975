import { cancellableQueryable } from './cancellable-db.js';
import type { MetricsCollector } from './collector.js';
import { describeError } from './errors.js';
import { concurrencyGate } from './query-limit.js';
import { createCollectionScope } from './scope.js';
import type { CollectionResult, CollectorContext, CollectorError, MetricResult, MetricValue } from './types.js';
import { checkResults } from './validation.js';

/** How long one collector may take, `shouldCollect` included, before it is cut off. */
export const DEFAULT_COLLECTOR_TIMEOUT_MS = 30_000;
/** Statements a collection runs at once, whatever the number of collectors. */
export const DEFAULT_MAX_CONCURRENT_QUERIES = 2;

export interface RunCollectionOptions {
  /** Per collector. Default 30 000 ms. */
  timeoutMs?: number;
  /**
   * Statements the collectors may run at once; the others wait their turn. It keeps most of the
   * host's connection pool and of the database's cores for the host. Default 2.
   */
  maxConcurrentQueries?: number;
  /** Aborts every collector (and its SQL): the sender is stopping. */
  signal?: AbortSignal;
}

type Outcome =
  | { kind: 'skipped'; name: string }
  | { kind: 'ran'; name: string; durationMs: number; results: MetricResult[]; problems: string[] };

/**
 * Runs the collectors side by side, each under its own timeout, and merges what they return
 * into one flat map. A collector that throws, hangs or returns bad values costs only its own
 * metrics: its failure comes back as data in `errors`. Never throws. The collectors share one
 * CollectionScope, for queries that several of them read, and a database handle that runs a
 * few of their statements at a time.
 */
export async function runCollection(
  collectors: readonly MetricsCollector[],
  ctx: Omit<CollectorContext, 'signal'>,
  options: RunCollectionOptions = {},
): Promise<CollectionResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_COLLECTOR_TIMEOUT_MS;
  const gate = concurrencyGate(options.maxConcurrentQueries ?? DEFAULT_MAX_CONCURRENT_QUERIES);
  const runCtx = { ...ctx, scope: ctx.scope ?? createCollectionScope() };
  const outcomes = await Promise.all(
    collectors.map((collector, index) =>
      runOne(collector, nameOf(collector, index), runCtx, { timeoutMs, gate, stop: options.signal }),
    ),
  );

  const metrics: Record<string, MetricValue> = {};
  const errors: CollectorError[] = [];
  const durations: Record<string, number> = {};
  const producer = new Map<string, string>();
  // Merged in the collectors' order, not their finishing order, so that a clash always keeps
  // the same collector's value.
  for (const outcome of outcomes) {
    if (outcome.kind === 'skipped') continue;
    const { name } = outcome;
    durations[name] = outcome.durationMs;
    for (const message of outcome.problems) errors.push({ collector: name, message });
    for (const { key, value } of outcome.results) {
      const first = producer.get(key);
      if (first !== undefined) {
        errors.push({ collector: name, message: `metric "${key}" is also sent by "${first}", whose value was kept` });
        continue;
      }
      producer.set(key, name);
      metrics[key] = value;
    }
  }
  return { metrics, errors, durations };
}

interface RunLimits {
  timeoutMs: number;
  gate: <T>(statement: () => Promise<T>) => Promise<T>;
  stop: AbortSignal | undefined;
}

async function runOne(
  collector: MetricsCollector,
  name: string,
  ctx: Omit<CollectorContext, 'signal'>,
  { timeoutMs, gate, stop }: RunLimits,
): Promise<Outcome> {
  const controller = new AbortController();
  const onStop = () => controller.abort(new Error('the telemetry sender is stopping'));
  if (stop?.aborted) onStop();
  stop?.addEventListener('abort', onStop, { once: true });
  // The collector's statements: a few at a time across the collection, each cancelled in SQL
  // when this collector's time is up or the sender stops.
  const own = cancellableQueryable(ctx.db, controller.signal, timeoutMs);
  const db = { query: own.query.bind(own), exec: own.exec.bind(own) };
  const fullCtx: CollectorContext = {
    ...ctx,
    db: { query: (text, params) => gate(() => db.query(text, params)), exec: (script) => gate(() => db.exec(script)) },
    signal: controller.signal,
  };
  const started = performance.now();
  const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
  try {
    const results = await withTimeout(
      (async () => ((await collector.shouldCollect(fullCtx)) ? await collector.collect(fullCtx) : SKIPPED))(),
      timeoutMs,
      controller,
    );
    if (results === SKIPPED) return { kind: 'skipped', name };
    const { valid, problems } = checkResults(results);
    return { kind: 'ran', name, durationMs: elapsed(), results: valid, problems };
  } catch (error) {
    return { kind: 'ran', name, durationMs: elapsed(), results: [], problems: [describeError(error)] };
  } finally {
    stop?.removeEventListener('abort', onStop);
  }
}

const SKIPPED = Symbol('skipped');

/** Settles with `work`, or rejects once `timeoutMs` has passed and aborts the collector's signal. */
function withTimeout<T>(work: Promise<T>, timeoutMs: number, controller: AbortController): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      const error = new Error(`timed out after ${timeoutMs} ms; its results, if any come later, are dropped`);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
    controller.signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(controller.signal.reason);
    });
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

function nameOf(collector: MetricsCollector, index: number): string {
  try {
    if (typeof collector.collectorName === 'string' && collector.collectorName) return collector.collectorName;
  } catch {
    // Reported below as a collector without a usable name.
  }
  return `collector_${index + 1}`;
}
