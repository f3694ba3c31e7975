import { release, type } from 'node:os';
import type { Queryable } from '@openhands/db';
import {
  type CollectorContext,
  describeError,
  type MetricResult,
  MetricsCollector,
  registerCollector,
} from '@openhands/telemetry';

/** Well inside the collector's own timeout, so a stuck database still leaves the other facts. */
const DATABASE_PROBE_TIMEOUT_MS = 5_000;

/**
 * The state of the installation at collection time. It never throws: a probe that fails adds
 * `health_check_error` and the facts gathered so far are still sent.
 */
@registerCollector('health_check')
export class HealthCheckCollector extends MetricsCollector {
  static override readonly metrics = [
    { key: 'collection_timestamp', description: 'When this collection ran (ISO 8601, UTC).' },
    { key: 'platform_system', description: 'Operating system of the server, such as Linux.' },
    { key: 'platform_release', description: 'Kernel release of the server.' },
    { key: 'runtime_version', description: 'Node.js version of the server.' },
    { key: 'app_version', description: 'OpenHands Enterprise version.' },
    { key: 'database_healthy', description: 'Whether the database answered a trivial query within 5 seconds.' },
    { key: 'has_github_app_config', description: 'Whether GITHUB_APP_CLIENT_ID is set.' },
    { key: 'has_keycloak_config', description: 'Whether KEYCLOAK_SERVER_URL and KEYCLOAK_REALM_NAME are both set.' },
    { key: 'uptime_seconds', description: 'Seconds since the server process started.' },
    { key: 'health_check_error', description: 'Why a probe failed; sent only when one did.' },
  ];

  readonly collectorName = 'health_check';

  async collect({ db, now, signal, host }: CollectorContext): Promise<MetricResult[]> {
    const results: MetricResult[] = [];
    const problems: string[] = [];
    const probe = (what: string, read: () => MetricResult[]) => {
      try {
        results.push(...read());
      } catch (error) {
        problems.push(`${what}: ${describeError(error)}`);
      }
    };

    probe('clock', () => [{ key: 'collection_timestamp', value: now.toISOString() }]);
    probe('platform', () => [
      { key: 'platform_system', value: type() },
      { key: 'platform_release', value: release() },
      { key: 'runtime_version', value: process.version },
    ]);
    probe('host', () => [
      { key: 'app_version', value: host.appVersion },
      { key: 'has_github_app_config', value: host.facts.githubAppConfigured === true },
      { key: 'has_keycloak_config', value: host.facts.keycloakConfigured === true },
      { key: 'uptime_seconds', value: Math.max(0, Math.floor((now.getTime() - host.startedAt.getTime()) / 1000)) },
    ]);
    try {
      await probeDatabase(db, signal);
      results.push({ key: 'database_healthy', value: true });
    } catch (error) {
      results.push({ key: 'database_healthy', value: false });
      problems.push(`database: ${describeError(error)}`);
    }
    if (problems.length > 0) results.push({ key: 'health_check_error', value: problems.join('; ').slice(0, 1_000) });
    return results;
  }
}

async function probeDatabase(db: Queryable, signal: AbortSignal): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const giveUp = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${DATABASE_PROBE_TIMEOUT_MS} ms`)),
      DATABASE_PROBE_TIMEOUT_MS,
    );
    onAbort = () => reject(new Error('the collection timed out'));
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    await Promise.race([db.query('SELECT 1'), giveUp]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}
