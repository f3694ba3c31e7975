import type { Queryable } from '@openhands/db';

/** What the vendor accepts as a metric value: `null`, arrays and objects are rejected there. */
export type MetricValue = string | number | boolean;

export interface MetricResult {
  key: string;
  value: MetricValue;
}

/** One line of the metrics dictionary (`docs/metrics.md`). */
export interface MetricDescription {
  /** The key, or a pattern of keys such as `model_usage_<model>`. */
  key: string;
  /** One line: what the value is, its unit and its window. */
  description: string;
}

/** What the host tells the collectors about itself: facts it chose to give, never its environment. */
export interface HostInfo {
  appVersion: string;
  startedAt: Date;
  facts: Readonly<Record<string, string | number | boolean>>;
}

/** The engine's record of the previous collection, for collectors that report on collection itself. */
export interface PreviousBatch {
  collectedAt: Date;
  /** Milliseconds per collector. */
  durations: Record<string, number>;
  errors: CollectorError[];
}

export interface CollectorContext {
  db: Queryable;
  /** The collection's clock: windows are computed from it, never from SQL `now()`, so boundaries are testable. */
  now: Date;
  /** Aborted when the collector's time is up; pass it to anything that can be cancelled. */
  signal: AbortSignal;
  host: HostInfo;
  /** The previous collection's durations and errors (null before the first), read by the engine. */
  previousBatch?: PreviousBatch | null;
  /**
   * Shared by the collectors of one collection, so that one expensive query can feed several of
   * them (see `sharedResult`). `runCollection` provides it; a collector called on its own has none.
   */
  scope?: CollectionScope;
}

/** Results computed once per collection and handed to every collector that asks for them. */
export interface CollectionScope {
  once<T>(key: string, compute: () => Promise<T>): Promise<T>;
}

/** A collector's failure, stored beside the batch's metrics rather than thrown. */
export interface CollectorError {
  collector: string;
  message: string;
}

export interface CollectionResult {
  metrics: Record<string, MetricValue>;
  errors: CollectorError[];
  /** Milliseconds per collector that ran. */
  durations: Record<string, number>;
}

/** A collection as stored: one row of `telemetry_metrics`. */
export interface StoredBatch extends CollectionResult {
  id: string;
  collectedAt: Date;
}
