import type { CollectorContext, MetricDescription, MetricResult } from './types.js';

/**
 * A source of metrics. A collector is created afresh for every collection, so it may keep state
 * for one run but never across runs. Register it with `@registerCollector('name')` in a module
 * of the collectors folder; nothing else needs to change for a new metric to be sent.
 */
export abstract class MetricsCollector {
  /** Every key (or key pattern) the collector sends, for the metrics dictionary. */
  static readonly metrics?: readonly MetricDescription[];

  /** The name under which the collector is registered; errors and durations are keyed by it. */
  abstract readonly collectorName: string;

  abstract collect(ctx: CollectorContext): Promise<MetricResult[]> | MetricResult[];

  /** Whether to run in this collection. Runs under the same timeout as `collect`. */
  shouldCollect(_ctx: CollectorContext): boolean | Promise<boolean> {
    return true;
  }
}

/** A concrete collector class, as the registry stores it. */
export type CollectorClass = (new () => MetricsCollector) & { readonly metrics?: readonly MetricDescription[] };
