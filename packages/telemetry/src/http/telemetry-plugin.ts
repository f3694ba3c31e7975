import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { telemetryExport, telemetryHistory, telemetryOverview, telemetryPreview } from '../service/admin-view.js';
import type { TelemetryService } from '../service/telemetry-service.js';
import { LicenseStatusCache } from './license-cache.js';

export interface TelemetryPluginOptions {
  service: TelemetryService;
  /**
   * Lets a signed-in admin through and throws an error with `statusCode` 401 or 403 otherwise.
   * A valid `Authorization: Bearer <TELEMETRY_ADMIN_TOKEN>` is accepted before it is asked.
   */
  authorizeAdmin(request: FastifyRequest): Promise<void>;
  /** The one-line description of a metric key, from the collectors' declarations. */
  describeMetric?: (key: string) => string | null;
  /** How long a license status may be served from memory. Default 60 000 ms. */
  licenseCacheTtlMs?: number;
}

/** An API error the host's error handler turns into `{ error, message }`. */
class TelemetryHttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The engine's edge in a Fastify server: starts the service when the server is ready (a failure
 * is logged, never fatal), stops it before the server closes, and serves the license status, the
 * admin API and the Prometheus metrics.
 */
export const telemetryPlugin = fp(
  async (app: FastifyInstance, options: TelemetryPluginOptions) => {
    const { service } = options;
    const cache = new LicenseStatusCache(
      () => service.licenseStatus(),
      options.licenseCacheTtlMs ?? 60_000,
      () => service.now().getTime(),
    );
    for (const event of ['batch:collected', 'upload:cycle', 'state:changed'] as const) {
      service.on(event, () => cache.invalidate());
    }

    app.addHook('onReady', async () => {
      try {
        await service.start();
      } catch (error) {
        app.log.error({ err: error }, 'telemetry did not start; the server runs on without it');
      }
    });
    app.addHook('preClose', async () => {
      await service.stop().catch((error: unknown) => app.log.error({ err: error }, 'telemetry did not stop cleanly'));
    });

    app.get('/api/license-status', async (_request, reply) => {
      reply.type('application/json; charset=utf-8').header('cache-control', 'no-store');
      return reply.send(await cache.json());
    });

    app.get('/metrics', async (_request, reply) => {
      return reply.type('text/plain; version=0.0.4; charset=utf-8').send(await service.prometheusText());
    });

    const adminOnly = { preHandler: (request: FastifyRequest) => authorize(request, service, options) };

    app.get('/api/admin/telemetry', adminOnly, async () => {
      const view = await service.adminView();
      const [overview, history] = await Promise.all([
        telemetryOverview(view),
        telemetryHistory(view.db, view.settings, view.now),
      ]);
      return { ...overview, history };
    });

    app.get('/api/admin/telemetry/preview', adminOnly, async () =>
      telemetryPreview({ ...(await service.adminView()), describe: options.describeMetric ?? (() => null) }),
    );

    app.get('/api/admin/telemetry/export', adminOnly, async (_request, reply: FastifyReply) => {
      const view = await service.adminView();
      const payload = await telemetryExport(view);
      const stamp = view.now.toISOString().slice(0, 10);
      reply.header('content-disposition', `attachment; filename="openhands-telemetry-${stamp}.json"`);
      return payload;
    });

    app.post('/api/admin/telemetry/collect', adminOnly, async () => {
      const batch = await service.collectNow();
      return {
        batch: {
          id: batch.id,
          collectedAt: batch.collectedAt.toISOString(),
          metrics: batch.metrics,
          errors: batch.errors,
          durations: batch.durations,
        },
      };
    });

    app.post('/api/admin/telemetry/upload', adminOnly, async () => ({ upload: await service.uploadNow() }));
  },
  { name: 'openhands-telemetry', fastify: '5.x' },
);

async function authorize(request: FastifyRequest, service: TelemetryService, options: TelemetryPluginOptions) {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) {
    const token = service.settings.adminToken;
    if (token && safeEqual(header.slice('Bearer '.length).trim(), token)) return;
    throw new TelemetryHttpError(401, 'invalid_token', 'The bearer token is not TELEMETRY_ADMIN_TOKEN.');
  }
  await options.authorizeAdmin(request);
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
