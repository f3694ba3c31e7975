export { insertBatch, type NewBatch } from '../storage/batches.js';
export { cancellableQueryable, StatementCancelledError } from './cancellable-db.js';
export { type CollectBatchOptions, collectBatch } from './collect-batch.js';
export { type CollectorClass, MetricsCollector } from './collector.js';
export { renderMetricsDictionary } from './dictionary.js';
export { listCollectorModules } from './discovery.js';
export { describeError, isTelemetryError, TelemetryError, type TelemetryErrorCode } from './errors.js';
export { metricDescriber } from './metric-descriptions.js';
export { concurrencyGate, limitConcurrency } from './query-limit.js';
export {
  type CollectorDescription,
  CollectorRegistry,
  type CollectorRegistryOptions,
  collectorRegistry,
  registerCollector,
} from './registry.js';
export {
  DEFAULT_COLLECTOR_TIMEOUT_MS,
  DEFAULT_MAX_CONCURRENT_QUERIES,
  type RunCollectionOptions,
  runCollection,
} from './run-collection.js';
export { createCollectionScope, sharedResult } from './scope.js';
export type {
  CollectionResult,
  CollectionScope,
  CollectorContext,
  CollectorError,
  HostInfo,
  MetricDescription,
  MetricResult,
  MetricValue,
  PreviousBatch,
  StoredBatch,
} from './types.js';
export { checkResults, MAX_STRING_VALUE_LENGTH } from './validation.js';
