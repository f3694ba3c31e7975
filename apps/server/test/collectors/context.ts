import type { Queryable } from '@openhands/db';
import type { CollectorContext, HostInfo, MetricResult, MetricValue } from '@openhands/telemetry';
import { NOW } from './known-data.js';

export const HOST: HostInfo = {
  appVersion: '1.4.0-test',
  startedAt: new Date(NOW.getTime() - 90_061_000),
  facts: {},
};

export function contextFor(db: Queryable, overrides: Partial<CollectorContext> = {}): CollectorContext {
  return { db, now: NOW, signal: new AbortController().signal, host: HOST, ...overrides };
}

export function asMap(results: MetricResult[]): Record<string, MetricValue> {
  const map: Record<string, MetricValue> = {};
  for (const { key, value } of results) {
    if (key in map) throw new Error(`metric ${key} sent twice`);
    map[key] = value;
  }
  return map;
}
