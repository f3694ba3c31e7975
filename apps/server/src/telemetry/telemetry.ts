import { type Clock, metricDescriber, TelemetryService, telemetryPlugin } from '@openhands/telemetry';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { requireAdminUser } from '../auth/session.js';
import type { ServerContext } from '../context.js';
import { resolveAdminEmail } from '../users/admin-email.js';
import { loadCollectors } from './registry.js';

export interface TelemetryWiring {
  service: TelemetryService;
  /** Registers the engine's routes and lifecycle hooks on the host. */
  plugin: (app: FastifyInstance) => Promise<void>;
}

export interface TelemetryWiringOptions {
  log: FastifyBaseLogger;
  startedAt: Date;
  /** Tests drive the schedule with a manual clock. */
  clock?: Clock;
  random?: () => number;
}

/**
 * Embeds the telemetry engine in the host: its collectors, the host's admin email rule, the
 * Terms acceptance that makes the first upload happen at once, and the admin-only routes.
 */
export async function createTelemetry(ctx: ServerContext, options: TelemetryWiringOptions): Promise<TelemetryWiring> {
  const registry = await loadCollectors();
  const service = new TelemetryService({
    db: ctx.db,
    registry,
    host: {
      appVersion: ctx.config.appVersion,
      startedAt: options.startedAt,
      env: ctx.env,
      resolveAdminEmail: () => resolveAdminEmail(ctx.db, ctx.env),
      // A stable label: pods come and go, the installation is identified by its fingerprint.
      instanceName: 'OpenHands Enterprise',
    },
    logger: options.log.child({ component: 'telemetry' }),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.random ? { random: options.random } : {}),
  });
  ctx.events.onTermsAccepted(() => void service.notifyTermsAccepted());
  const describeMetric = metricDescriber(registry);
  return {
    service,
    plugin: async (app) => {
      await app.register(telemetryPlugin, {
        service,
        describeMetric,
        authorizeAdmin: async (request) => {
          await requireAdminUser(request, ctx.db, ctx.env);
        },
      });
    },
  };
}
