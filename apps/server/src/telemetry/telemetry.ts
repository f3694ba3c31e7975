import {
  type Clock,
  type CommandsOptions,
  createTelemetry,
  type HostPort,
  type Telemetry,
  telemetryPlugin,
} from '@openhands/telemetry';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { requireAdminUser } from '../auth/session.js';
import type { ServerContext } from '../context.js';
import { resolveAdminEmail } from '../users/admin-email.js';
import { loadCollectors } from './registry.js';
import { collectorFacts, isEnterpriseInstall, readTelemetrySettings } from './settings.js';

export interface TelemetryWiring extends Telemetry {
  /** Registers the engine's routes and lifecycle hooks on the host. */
  plugin: (app: FastifyInstance) => Promise<void>;
}

export interface TelemetryWiringOptions {
  log: FastifyBaseLogger;
  startedAt: Date;
  /** Tests drive the schedule with a manual clock. */
  clock?: Clock;
  random?: () => number;
  /** Tests shorten the wait for a sender. */
  commands?: CommandsOptions;
  collectorTimeoutMs?: number;
}

/**
 * Embeds the telemetry engine in the host. The host reads the telemetry settings from its own
 * environment and hands the engine facts through the HostPort (never the environment): its
 * version, its enterprise rule, its admin email rule and what the collectors may know about
 * its configuration. The Terms acceptance becomes the engine's nudge.
 */
export async function createTelemetryWiring(
  ctx: ServerContext,
  options: TelemetryWiringOptions,
): Promise<TelemetryWiring> {
  const registry = await loadCollectors();
  const log = options.log.child({ component: 'telemetry' });
  const { settings, problems } = readTelemetrySettings(ctx.env);
  for (const problem of problems) {
    log.warn(problem, `ignoring ${problem.name}=${JSON.stringify(problem.value)}: ${problem.problem}`);
  }
  const host: HostPort = {
    appVersion: ctx.config.appVersion,
    // A stable label: pods come and go, the installation is identified by its fingerprint.
    instanceName: 'OpenHands Enterprise',
    isEnterprise: isEnterpriseInstall(ctx.env),
    startedAt: options.startedAt,
    adminEmail: () => resolveAdminEmail(ctx.db, ctx.env),
    facts: collectorFacts(ctx.env),
  };
  const telemetry = createTelemetry({
    db: ctx.db,
    host,
    registry,
    settings,
    logger: log,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.random ? { random: options.random } : {}),
    ...(options.commands ? { commands: options.commands } : {}),
    ...(options.collectorTimeoutMs ? { collectorTimeoutMs: options.collectorTimeoutMs } : {}),
  });
  ctx.events.onTermsAccepted(() => {
    telemetry.commands
      .termsAccepted()
      .catch((error: unknown) =>
        log.warn({ err: error }, 'could not tell the telemetry sender about a Terms acceptance'),
      );
  });
  return {
    ...telemetry,
    plugin: async (app) => {
      await app.register(telemetryPlugin, {
        telemetry,
        authorizeAdmin: async (request) => {
          await requireAdminUser(request, ctx.db, ctx.env);
        },
      });
    },
  };
}
