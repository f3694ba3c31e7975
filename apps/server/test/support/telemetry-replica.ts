/**
 * One replica of the telemetry engine as its own OS process, for the process tests: a small host
 * (the engine, its Fastify routes, the server's own shutdown handler) on a PostgreSQL that the
 * test migrated. It prints one line per event the test waits for:
 *   READY <port> <holder>   LEADER <holder>   DB CLOSED
 * Settings come from the environment of this test script only (the engine never reads it):
 *   DATABASE_URL, VENDOR_URL, ADMIN_TOKEN
 *   CLOCK_SCALE      simulated ms per real ms (a test clock, injected; 1 = real time)
 *   CLOCK_START      the real epoch ms at which every replica's simulated clock starts
 *   SLOW_COLLECTOR_S a collector that sleeps that long in SQL (pg_sleep)
 *   COMMAND_TIMEOUT_MS, COALESCE_MS, GRACE_MS  the engine's and the shutdown's waits
 */
import { randomUUID } from 'node:crypto';
import { openServerDb } from '@openhands/db';
import {
  type Clock,
  type CollectorContext,
  CollectorRegistry,
  createTelemetry,
  type MetricResult,
  MetricsCollector,
  type TimerHandle,
  telemetryPlugin,
} from '@openhands/telemetry';
import Fastify from 'fastify';
import { closeOnSignals } from '../../src/lifecycle/shutdown.js';

const env = process.env;
const say = (line: string) => process.stdout.write(`${line}\n`);

/** Real time sped up `scale` times from the moment the process starts: short intervals without a production switch. */
function scaledClock(scale: number, realStart: number): Clock {
  // Every replica shares one timeline: simulated time starts at the same real instant for all.
  const simulatedStart = Date.parse('2026-11-01T00:00:00Z');
  return {
    now: () => new Date(simulatedStart + (Date.now() - realStart) * scale),
    setTimeout: (callback, delayMs) => setTimeout(callback, Math.max(0, delayMs / scale)) as unknown as TimerHandle,
    clearTimeout: (handle) => clearTimeout(handle as unknown as NodeJS.Timeout),
  };
}

/** A value unique to each collection, so the test can tell batches apart at the vendor. */
class MarkerCollector extends MetricsCollector {
  readonly collectorName = 'marker';
  collect(): MetricResult[] {
    return [{ key: 'marker', value: randomUUID() }];
  }
}

/** A collector stuck in SQL, for the shutdown test. */
class SlowCollector extends MetricsCollector {
  readonly collectorName = 'slow';
  async collect({ db }: CollectorContext): Promise<MetricResult[]> {
    say('SLOW COLLECTOR STARTED');
    await db.query('SELECT pg_sleep($1::float8)', [Number(env.SLOW_COLLECTOR_S)]);
    return [{ key: 'slow_done', value: true }];
  }
}

async function main(): Promise<void> {
  const db = await openServerDb({ url: env.DATABASE_URL!, maxConnections: 4 });
  const registry = new CollectorRegistry();
  registry.register(MarkerCollector);
  if (env.SLOW_COLLECTOR_S) registry.register(SlowCollector);
  const scale = Number(env.CLOCK_SCALE ?? '1');
  const telemetry = createTelemetry({
    db,
    host: {
      appVersion: '9.9.9',
      instanceName: 'replica-test',
      isEnterprise: true,
      startedAt: new Date(),
      adminEmail: async () => ({ email: 'ops@acme.example', source: 'env' }),
      facts: {},
    },
    registry,
    settings: {
      collectionIntervalDays: 1,
      uploadIntervalHours: 24,
      warningThresholdDays: 4,
      replicatedApiUrl: env.VENDOR_URL!,
      adminToken: env.ADMIN_TOKEN,
    },
    ...(scale !== 1 ? { clock: scaledClock(scale, Number(env.CLOCK_START)) } : {}),
    collectorTimeoutMs: 60_000,
    commands: { takeTimeoutMs: Number(env.COMMAND_TIMEOUT_MS ?? '15000') },
    commandCoalesceMs: Number(env.COALESCE_MS ?? '250'),
  });
  telemetry.sender.on('leader:acquired', ({ holder }) => say(`LEADER ${holder}`));
  const app = Fastify({ logger: false });
  await app.register(telemetryPlugin, {
    telemetry,
    authorizeAdmin: async () => {
      throw Object.assign(new Error('use the bearer token'), { statusCode: 401 });
    },
  });
  closeOnSignals({
    log: {
      info: () => undefined,
      warn: () => undefined,
      error: (o: unknown) => say(`ERROR ${JSON.stringify(o)}`),
    } as never,
    timeoutMs: Number(env.GRACE_MS ?? '15000'),
    close: async () => {
      await app.close();
      await db.close();
      say('DB CLOSED');
    },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  say(`READY ${typeof address === 'object' && address ? address.port : 0} ${telemetry.sender.processId}`);
}

main().catch((error: unknown) => {
  say(`FAILED ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});
