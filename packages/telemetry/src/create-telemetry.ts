import type { Db } from '@openhands/db';
import { ReplicatedClient } from '@openhands/replicated';
import { type CollectorRegistry, DEFAULT_COLLECTOR_TIMEOUT_MS, metricDescriber } from './collection/index.js';
import { Commands, type CommandsOptions } from './commands/commands.js';
import { REPLICATED_APP_SLUG, REPLICATED_PUBLISHABLE_KEY } from './config/constants.js';
import type { TelemetryHostSettings } from './config/settings.js';
import type { HostPort } from './host/host-port.js';
import { type Logger, silentLogger } from './log/logger.js';
import { Queries } from './queries/queries.js';
import { Sender } from './sender/sender.js';
import { type Clock, systemClock } from './time/clock.js';

export interface CreateTelemetryOptions {
  db: Db;
  host: HostPort;
  registry: CollectorRegistry;
  /** Intervals and endpoint, as the host read them from its configuration. */
  settings: TelemetryHostSettings;
  /** Default: the system clock. Tests pass a ManualClock. */
  clock?: Clock;
  /** Default: Math.random; jitter and back-off draw from it. */
  random?: () => number;
  logger?: Logger;
  /** Default: a client of `settings.replicatedApiUrl` with the built-in publishable key. */
  client?: ReplicatedClient;
  /** A collector (and each of its statements) that runs longer is cut off. Default 30 000 ms. */
  collectorTimeoutMs?: number;
  /** How long `sender.stop()` waits for the step in progress. Default 5 000 ms. */
  stopTimeoutMs?: number;
  commands?: CommandsOptions;
  /** How long the sender lets a burst of admin commands gather before running them once. Default 250 ms. */
  commandCoalesceMs?: number;
}

/** The engine, as three parts with one job each. */
export interface Telemetry {
  /** Runs only while this process holds the sender lock, and owns every telemetry write. */
  sender: Sender;
  /** Admin actions from any replica, executed once by the sender. */
  commands: Commands;
  /** Read-only answers for the admin API and monitoring, on any replica. */
  queries: Queries;
  /** The metric descriptions the collectors declare. */
  describeMetric: (key: string) => string | null;
  settings: TelemetryHostSettings & { isEnterprise: boolean };
}

/** Builds the engine for one host process. Nothing runs until `sender.start()`. */
export function createTelemetry(options: CreateTelemetryOptions): Telemetry {
  const { db, host, registry } = options;
  const settings = { ...options.settings, isEnterprise: host.isEnterprise };
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const client =
    options.client ??
    new ReplicatedClient({
      baseUrl: settings.replicatedApiUrl,
      publishableKey: REPLICATED_PUBLISHABLE_KEY,
      appSlug: REPLICATED_APP_SLUG,
    });
  const sender = new Sender({
    db,
    host,
    registry,
    settings,
    clock,
    random: options.random ?? Math.random,
    logger,
    client,
    collectorTimeoutMs: options.collectorTimeoutMs ?? DEFAULT_COLLECTOR_TIMEOUT_MS,
    stopTimeoutMs: options.stopTimeoutMs ?? 5_000,
    commandCoalesceMs: options.commandCoalesceMs ?? 250,
  });
  const describeMetric = metricDescriber(registry);
  const commands = new Commands(db, options.commands);
  const queries = new Queries({ db, host, settings, clock, sender, describeMetric });
  return { sender, commands, queries, describeMetric, settings };
}
