#!/usr/bin/env node
/**
 * The OpenHands Enterprise server: reads its settings, opens and migrates the database (embedded
 * by default), serves the API and the UI, and stops gracefully on SIGTERM/SIGINT. Any setting it
 * cannot run with ends it at once with a one-line error and exit code 1.
 */
import { type Db, migrate, openDatabase } from '@openhands/db';
import { buildApp } from './app.js';
import { readAppVersion } from './config/app-version.js';
import { loadServerConfig } from './config/server-config.js';
import { createHostEvents, type ServerContext } from './context.js';
import { createLogger } from './http/logger.js';
import { type MetricsListener, startMetricsListener } from './http/metrics-access.js';
import { describeListenError } from './lifecycle/listen-errors.js';
import { closeOnSignals } from './lifecycle/shutdown.js';
import { allMigrations } from './migrations.js';
import { createTelemetryWiring } from './telemetry/telemetry.js';

async function main(): Promise<void> {
  const env = process.env;
  const config = loadServerConfig(env, readAppVersion());
  let db: Db | undefined;
  try {
    db = await openDatabase(config);
    await migrate(db, allMigrations);
    const ctx: ServerContext = { db, env, config, now: () => new Date(), events: createHostEvents() };
    const log = createLogger(config.logLevel);
    const telemetry = await createTelemetryWiring(ctx, { log, startedAt: new Date() });
    const app = await buildApp(ctx, { logger: log, plugins: [telemetry.plugin] });
    const openDb = db;
    let metrics: MetricsListener | undefined;
    closeOnSignals({
      log: app.log,
      close: async () => {
        await metrics?.close();
        await app.close();
        await openDb.close();
      },
    });
    try {
      await app.listen({ port: config.port, host: config.host });
    } catch (error) {
      await app.close().catch(() => undefined);
      throw describeListenError(error, config.host, config.port);
    }
    // Prometheus scrapes its own port, which the chart's Ingress never routes (DECISIONS §5).
    try {
      metrics = await startMetricsListener({
        port: config.access.metricsPort,
        host: config.host,
        text: () => telemetry.queries.prometheusText(),
      });
    } catch (error) {
      await app.close().catch(() => undefined);
      throw new Error(
        `METRICS_PORT ${config.access.metricsPort} cannot be used (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); choose a free port.`,
      );
    }
    app.log.info({ port: metrics.port }, 'Prometheus metrics are served on their own port at /metrics');
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
    app.log.info({ database: db.kind, location: db.location }, 'database ready');
    console.log(`OpenHands Enterprise is running at http://${shownHost}:${port}`);
  } catch (error) {
    await db?.close().catch(() => undefined);
    throw error;
  }
}

main().catch((error: unknown) => {
  console.error(`openhands: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
