import { type CollectorContext, type MetricResult, MetricsCollector, registerCollector } from '@openhands/telemetry';

/**
 * How heavy telemetry itself is: the previous collection's durations and errors (this one's are
 * still running), which the engine hands over in the context (no host code reads the engine's
 * tables), and the size of the database it counts.
 */
@registerCollector('performance_metrics')
export class PerformanceMetricsCollector extends MetricsCollector {
  static override readonly metrics = [
    {
      key: 'previous_collection_total_ms',
      description: 'Sum of the per-collector durations of the previous collection, ms (absent on the first).',
    },
    { key: 'previous_slowest_collector', description: 'Name of the slowest collector of the previous collection.' },
    { key: 'previous_slowest_collector_ms', description: 'Duration of that slowest collector, ms.' },
    { key: 'previous_collection_error_count', description: 'Collector errors recorded by the previous collection.' },
    { key: 'database_size_bytes', description: 'Size of the database, bytes.' },
  ];

  readonly collectorName = 'performance_metrics';

  async collect({ db, signal, previousBatch }: CollectorContext): Promise<MetricResult[]> {
    const results: MetricResult[] = [];
    const batch = previousBatch;
    if (batch) {
      const durations = Object.entries(batch.durations).filter(
        (entry): entry is [string, number] => typeof entry[1] === 'number' && Number.isFinite(entry[1]),
      );
      const total = durations.reduce((sum, [, ms]) => sum + ms, 0);
      results.push({ key: 'previous_collection_total_ms', value: Math.round(total) });
      const slowest = durations.reduce<[string, number] | undefined>(
        (max, entry) => (max === undefined || entry[1] > max[1] ? entry : max),
        undefined,
      );
      if (slowest) {
        results.push({ key: 'previous_slowest_collector', value: slowest[0] });
        results.push({ key: 'previous_slowest_collector_ms', value: Math.round(slowest[1]) });
      }
      const errors = batch.errors.length;
      results.push({ key: 'previous_collection_error_count', value: errors });
    }
    signal.throwIfAborted();
    const size = await db.query<{ bytes: number }>('SELECT pg_database_size(current_database())::bigint AS bytes');
    results.push({ key: 'database_size_bytes', value: size.rows[0]?.bytes ?? 0 });
    return results;
  }
}
