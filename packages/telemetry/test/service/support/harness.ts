import type { Db, DbKind } from '@openhands/db';
import { createTestDb } from '@openhands/db/testing';
import { ReplicatedClient } from '@openhands/replicated';
import { type Emulator, startEmulator } from '@openhands/replicated/emulator';
import {
  CollectorRegistry,
  createTelemetry,
  type Logger,
  type MetricResult,
  MetricsCollector,
  REPLICATED_APP_SLUG,
  REPLICATED_PUBLISHABLE_KEY,
  type Sender,
  type Telemetry,
  type TelemetryEventName,
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

/** A process's engine, as tests drive it: its sender, plus the host's nudge and the other parts. */
export type TestService = Sender & { telemetry: Telemetry; notifyTermsAccepted(): Promise<void> };

export interface Harness {
  db: Db;
  clock: ManualClock;
  emulator: Emulator;
  services: TestService[];
  /** The admin email the host reports; undefined: none yet. */
  admin: { email: string | undefined };
  logger: CapturingLogger;
  newService(options?: { db?: Db; enterprise?: boolean; commands?: { takeTimeoutMs?: number } }): TestService;
  /** Moves the clock, letting every service finish what each timer started. */
  advance(ms: number): Promise<void>;
  events<E extends TelemetryEventName>(service: Sender, event: E): unknown[];
  close(): Promise<void>;
}

export async function createHarness(kind: DbKind, options: { clientTimeoutMs?: number } = {}): Promise<Harness> {
  const db = await createTestDb(kind, [telemetryMigrations]);
  FixtureCollector.value = 1;
  const clock = new ManualClock(START);
  const emulator = await startEmulator({ now: () => clock.now() });
  const admin: { email: string | undefined } = { email: 'admin@acme.example' };
  const logger = new CapturingLogger();
  const services: TestService[] = [];
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
      if (serviceOptions.db && serviceOptions.db !== db) extraDbs.push(serviceOptions.db);
      const telemetry = createTelemetry({
        db: serviceOptions.db ?? db,
        host: {
          appVersion: '1.4.0',
          instanceName: 'acme-prod',
          isEnterprise: serviceOptions.enterprise ?? true,
          startedAt: new Date(START),
          adminEmail: async () => (admin.email ? { email: admin.email, source: 'env' } : undefined),
          facts: {},
        },
        registry,
        settings: {
          collectionIntervalDays: 7,
          uploadIntervalHours: 24,
          warningThresholdDays: 4,
          replicatedApiUrl: emulator.url,
          adminToken: undefined,
        },
        clock,
        random,
        logger,
        client: new ReplicatedClient({
          baseUrl: emulator.url,
          publishableKey: REPLICATED_PUBLISHABLE_KEY,
          appSlug: REPLICATED_APP_SLUG,
          timeoutMs: options.clientTimeoutMs ?? 2000,
        }),
        ...(serviceOptions.commands ? { commands: serviceOptions.commands } : {}),
      });
      const service = Object.assign(telemetry.sender, {
        telemetry,
        notifyTermsAccepted: () => telemetry.commands.termsAccepted(),
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
      for (const service of services) {
        await service.stop();
        await service.telemetry.commands.close();
      }
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
