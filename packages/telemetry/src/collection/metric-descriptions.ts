import type { CollectorRegistry } from './registry.js';

/**
 * Looks a sent key up in the collectors' declarations: exact keys first, then patterns such as
 * `model_usage_<model>`, where `<…>` stands for a normalised name.
 */
export function metricDescriber(registry: CollectorRegistry): (key: string) => string | null {
  const exact = new Map<string, string>();
  const patterns: Array<[RegExp, string]> = [];
  for (const collector of registry.describe()) {
    for (const metric of collector.metrics) {
      if (metric.key.includes('<')) {
        const source = metric.key
          .split(/<[^>]+>/)
          .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
          .join('[a-z0-9_]+');
        patterns.push([new RegExp(`^${source}$`), metric.description]);
      } else {
        exact.set(metric.key, metric.description);
      }
    }
  }
  return (key) => exact.get(key) ?? patterns.find(([pattern]) => pattern.test(key))?.[1] ?? null;
}
