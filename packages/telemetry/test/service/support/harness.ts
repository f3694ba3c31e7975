import type { Db, DbKind } from '@openhands/db';
import { createTestDb } from '@openhands/db/testing';
import { ReplicatedClient } from '@openhands/replicated';
import { type Emulator, startEmulator } from '@openhands/replicated/emulator';
import {
  CollectorRegistry,
  type Logger,
  type MetricResult,
  MetricsCollector,
  REPLICATED_APP_SLUG,
  REPLICATED_PUBLISHABLE_KEY,
  readTelemetrySettings,
  type TelemetryEventName,
  TelemetryService,
  telemetryMigrations,
} from '../../../src/index.js';
import { ManualClock, seededRandom } from '../../../src/testing/index.js';

export const START = '2026-11-01T00:00:00.000Z';

/** A collector whose value the test sets: `users` counts whatever the test says. */
export class FixtureCollector extends MetricsCollector {
  static value = 1;
  readonly collectorName = 'fixture';
  collect(): MetricResult[] {
    return [
      { key: 'active_users', value: FixtureCollector.value },
      { key: 'edition', value: 'enterprise' },
    ];
  }
}

/** Every log line the service wrote, as text, to look for leaks. */
export class CapturingLogger implements Logger {
  readonly lines: string[] = [];
  debug = (obj: object | string, msg?: string) => this.push('debug', obj, msg);
  info = (obj: object | string, msg?: string) => this.push('info', obj, msg);
  warn = (obj: object | string, msg?: string) => this.push('warn', obj, msg);
  error = (obj: object | string, msg?: string) => this.push('error', obj, msg);
  private push(level: string, obj: object | string, msg?: string) {
    this.lines.push(`${level} ${typeof obj === 'string' ? obj : JSON.stringify(obj, errorReplacer)} ${msg ?? ''}`);
  }
}

function errorReplacer(_key: string, value: unknown) {
  return value instanceof Error ? { message: value.message, stack: value.stack } : value;
}

export interface Harness {
  db: Db;
  clock: ManualClock;
  emulator: Emulator;
  services: TelemetryService[];
  /** The admin email the host reports; undefined: none yet. */
  admin: { email: string | undefined };
  logger: CapturingLogger;
  newService(options?: { db?: Db; env?: Record<string, string> }): TelemetryService;
  /** Moves the clock, letting every service finish what each timer started. */
  advance(ms: number): Promise<void>;
  events<E extends TelemetryEventName>(service: TelemetryService, event: E): unknown[];
  close(): Promise<void>;
}

export async function createHarness(kind: DbKind, options: { clientTimeoutMs?: number } = {}): Promise<Harness> {
  const db = await createTestDb(kind, [telemetryMigrations]);
  FixtureCollector.value = 1;
  const clock = new ManualClock(START);
  const emulator = await startEmulator({ now: () => clock.now() });
  const admin: { email: string | undefined } = { email: 'admin@acme.example' };
  const logger = new CapturingLogger();
  const services: TelemetryService[] = [];
  const extraDbs: Db[] = [];
  const registry = new CollectorRegistry();
  registry.register(FixtureCollector);
  const random = seededRandom(1);
  const harness: Harness = {
    db,
    clock,
    emulator,
    services,
    admin,
    logger,
    newService(serviceOptions = {}) {
      const env = {
        REPLICATED_API_URL: emulator.url,
        GITHUB_APP_CLIENT_ID: 'gh',
        KEYCLOAK_SERVER_URL: 'https://kc',
        KEYCLOAK_REALM_NAME: 'oh',
        ...serviceOptions.env,
      };
      if (serviceOptions.db && serviceOptions.db !== db) extraDbs.push(serviceOptions.db);
      const service = new TelemetryService({
        db: serviceOptions.db ?? db,
        host: {
          appVersion: '1.4.0',
          startedAt: new Date(START),
          env,
          resolveAdminEmail: async () => (admin.email ? { email: admin.email, source: 'env' } : undefined),
          instanceName: 'acme-prod',
        },
        registry,
        settings: readTelemetrySettings(env).settings,
        clock,
        random,
        logger,
        client: new ReplicatedClient({
          baseUrl: emulator.url,
          publishableKey: REPLICATED_PUBLISHABLE_KEY,
          appSlug: REPLICATED_APP_SLUG,
          timeoutMs: options.clientTimeoutMs ?? 2000,
        }),
      });
      services.push(service);
      return service;
    },
    async advance(ms) {
      await clock.advance(ms, async () => {
        // A timer's work may itself wait on the network (the emulator): let it finish.
        for (let i = 0; i < 3; i++) await Promise.all(services.map((s) => s.idle()));
      });
    },
    events(service, event) {
      const seen: unknown[] = [];
      service.on(event, (payload) => seen.push(payload));
      return seen;
    },
    async close() {
      for (const service of services) await service.stop();
      await emulator.close();
      for (const extra of extraDbs) await extra.close().catch(() => undefined);
      await db.close();
    },
  };
  return harness;
}

/** Metrics requests the emulator answered with 2xx. */
export function metricsRequests(emulator: Emulator) {
  return emulator.state().requests.filter((r) => r.path === '/application/custom-metrics');
}
