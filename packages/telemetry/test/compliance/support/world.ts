import type { Db, DbKind, Queryable } from '@openhands/db';
import { createTestDb } from '@openhands/db/testing';
import { ReplicatedClient } from '@openhands/replicated';
import { type Emulator, startEmulator } from '@openhands/replicated/emulator';
import {
  CollectorRegistry,
  createTelemetry,
  type MetricResult,
  MetricsCollector,
  REPLICATED_APP_SLUG,
  REPLICATED_PUBLISHABLE_KEY,
  type Sender,
  type Telemetry,
  telemetryMigrations,
} from '../../../src/index.js';
import { readScheduleState, type ScheduleState } from '../../../src/storage/schedule-state.js';
import { ManualClock, seededRandom } from '../../../src/testing/index.js';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const MINUTE = 60_000;

/** Each collection counts up, so the vendor's current set tells which batch it holds. */
export class CountingCollector extends MetricsCollector {
  static next = 1;
  readonly collectorName = 'counting';
  collect(): MetricResult[] {
    return [{ key: 'batch_number', value: CountingCollector.next++ }];
  }
}

/** Log lines, as text. */
export class Lines {
  readonly lines: string[] = [];
  debug = (o: object | string, m?: string) => this.push('debug', o, m);
  info = (o: object | string, m?: string) => this.push('info', o, m);
  warn = (o: object | string, m?: string) => this.push('warn', o, m);
  error = (o: object | string, m?: string) => this.push('error', o, m);
  private push(level: string, o: object | string, m?: string) {
    this.lines.push(`${level} ${typeof o === 'string' ? o : JSON.stringify(o)} ${m ?? ''}`);
  }
}

export interface InstallOptions {
  db?: Db;
  adminEmail?: string;
  uploadIntervalHours?: number;
  collectionIntervalDays?: number;
  clientTimeoutMs?: number;
  /** A new installation made its own database (its own installation id), not a copy of the template. */
  ownInstallationId?: boolean;
}

/** One OpenHands installation: its database and its running sender. */
export interface Installation {
  db: Db;
  admin: { email: string | undefined };
  telemetry: Telemetry;
  sender: Sender;
  logs: Lines;
  state(): Promise<ScheduleState>;
  /** Stops the process and starts a new one on the same database (a pod restart). */
  restart(): Promise<void>;
}

/** A clock, an emulator of the vendor, and installations that run against it. */
export interface World {
  kind: DbKind;
  clock: ManualClock;
  emulator: Emulator;
  install(options?: InstallOptions): Promise<Installation>;
  /** Moves the clock, letting every sender finish what each timer started. */
  advance(ms: number): Promise<void>;
  close(): Promise<void>;
}

export async function createWorld(kind: DbKind, start = '2026-01-05T00:00:00.000Z', seed = 1): Promise<World> {
  CountingCollector.next = 1;
  const clock = new ManualClock(start);
  const emulator = await startEmulator({ now: () => clock.now() });
  const registry = new CollectorRegistry();
  registry.register(CountingCollector);
  const random = seededRandom(seed);
  const installations: Installation[] = [];
  const dbs: Db[] = [];

  const install = async (options: InstallOptions = {}): Promise<Installation> => {
    const db = options.db ?? (await createTestDb(kind, [telemetryMigrations]));
    if (!options.db) dbs.push(db);
    if (options.ownInstallationId) {
      await db.query('UPDATE telemetry_identity SET installation_id = gen_random_uuid() WHERE id = 1');
    }
    const admin = { email: options.adminEmail ?? 'admin@acme.example' } as { email: string | undefined };
    const logs = new Lines();
    const build = () =>
      createTelemetry({
        db,
        host: {
          appVersion: '1.4.0',
          instanceName: 'acme-prod',
          isEnterprise: true,
          startedAt: clock.now(),
          adminEmail: async () => (admin.email ? { email: admin.email, source: 'env' } : undefined),
          facts: {},
        },
        registry,
        settings: {
          collectionIntervalDays: options.collectionIntervalDays ?? 7,
          uploadIntervalHours: options.uploadIntervalHours ?? 24,
          warningThresholdDays: 4,
          replicatedApiUrl: emulator.url,
          adminToken: undefined,
        },
        clock,
        random,
        logger: logs,
        client: new ReplicatedClient({
          baseUrl: emulator.url,
          publishableKey: REPLICATED_PUBLISHABLE_KEY,
          appSlug: REPLICATED_APP_SLUG,
          timeoutMs: options.clientTimeoutMs ?? 5_000,
        }),
      });
    const installation: Installation = {
      db,
      admin,
      logs,
      telemetry: build(),
      get sender() {
        return this.telemetry.sender;
      },
      state: () => readScheduleState(db),
      async restart() {
        await this.telemetry.sender.stop();
        await this.telemetry.commands.close();
        this.telemetry = build();
        await this.telemetry.sender.start();
      },
    };
    installations.push(installation);
    await installation.sender.start();
    return installation;
  };

  return {
    kind,
    clock,
    emulator,
    install,
    async advance(ms) {
      await clock.advance(ms, async () => {
        for (let i = 0; i < 3; i++) await Promise.all(installations.map((it) => it.sender.idle()));
      });
    },
    async close() {
      for (const it of installations) {
        await it.sender.stop();
        await it.telemetry.commands.close();
      }
      await emulator.close();
      for (const db of dbs) await db.close().catch(() => undefined);
    },
  };
}

export interface BatchRow {
  batchNumber: number;
  collectedAt: Date;
  uploadedAt: Date | null;
  failedAt: Date | null;
}

/** Every batch, in collection order, with its number and fate. */
export async function batches(db: Queryable): Promise<BatchRow[]> {
  const { rows } = await db.query<BatchRow>(
    `SELECT (metrics_data->>'batch_number')::int AS "batchNumber", collected_at AS "collectedAt",
            uploaded_at AS "uploadedAt", failed_at AS "failedAt"
     FROM telemetry_metrics ORDER BY collected_at, seq`,
  );
  return rows;
}

/** The batch numbers the vendor received, in arrival order (one metrics request each). */
export function receivedBatchNumbers(emulator: Emulator, instanceId?: string): number[] {
  return emulator
    .state()
    .events.filter((e) => e.key === 'batch_number' && (instanceId === undefined || e.instanceId === instanceId))
    .map((e) => e.value as number);
}
