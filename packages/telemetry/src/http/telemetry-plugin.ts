import { timingSafeEqual } from 'node:crypto';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import Type from 'typebox';
import {
  ApiErrorSchema,
  BatchDetailSchema,
  CollectNowResultSchema,
  TelemetryExportSchema,
  TelemetryOverviewSchema,
  TelemetryPreviewSchema,
  UploadNowResultSchema,
} from '../api/schemas.js';
import { TelemetryCommandError } from '../commands/commands.js';
import type { Telemetry } from '../create-telemetry.js';
import { registerDoctorRoute } from '../doctor/route.js';
import { LicenseStatusCache } from './license-cache.js';

export interface TelemetryPluginOptions {
  telemetry: Telemetry;
  /**
   * Lets a signed-in admin through and throws an error with `statusCode` 401 or 403 otherwise.
   * A valid `Authorization: Bearer <TELEMETRY_ADMIN_TOKEN>` is accepted before it is asked.
   */
  authorizeAdmin(request: FastifyRequest): Promise<void>;
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

const errors = {
  401: ApiErrorSchema,
  403: ApiErrorSchema,
  500: ApiErrorSchema,
  503: ApiErrorSchema,
  504: ApiErrorSchema,
};

/**
 * The engine's edge in a Fastify server: starts the sender when the server is ready (a failure
 * is logged, never fatal), stops it before the server closes, and serves the license status, the
 * admin API and the Prometheus metrics. Every JSON answer is serialized by its schema in
 * src/api/schemas.ts, the same schemas the web app takes its types from.
 */
export const telemetryPlugin = fp(
  async (host: FastifyInstance, options: TelemetryPluginOptions) => {
    const app = host.withTypeProvider<TypeBoxTypeProvider>();
    const { sender, commands, queries } = options.telemetry;
    const cache = new LicenseStatusCache(
      () => queries.licenseStatus(),
      options.licenseCacheTtlMs ?? 60_000,
      () => queries.now().getTime(),
    );
    for (const event of ['batch:collected', 'upload:cycle', 'state:changed'] as const) {
      sender.on(event, () => cache.invalidate());
    }

    app.addHook('onReady', async () => {
      try {
        await sender.start();
      } catch (error) {
        app.log.error({ err: error }, 'telemetry did not start; the server runs on without it');
      }
    });
    app.addHook('preClose', async () => {
      await sender.stop().catch((error: unknown) => app.log.error({ err: error }, 'telemetry did not stop cleanly'));
      await commands.close();
    });

    app.get('/api/license-status', async (_request, reply) => {
      reply.type('application/json; charset=utf-8').header('cache-control', 'no-store');
      return reply.send(await cache.json());
    });

    app.get('/metrics', async (_request, reply) => {
      return reply.type('text/plain; version=0.0.4; charset=utf-8').send(await queries.prometheusText());
    });

    const adminOnly = (request: FastifyRequest) => authorize(request, options);

    app.get(
      '/api/admin/telemetry',
      { preHandler: adminOnly, schema: { response: { 200: TelemetryOverviewSchema, ...errors } } },
      async () => queries.overview(),
    );

    app.get(
      '/api/admin/telemetry/preview',
      { preHandler: adminOnly, schema: { response: { 200: TelemetryPreviewSchema, ...errors } } },
      async () => queries.preview(),
    );

    app.get(
      '/api/admin/telemetry/export',
      { preHandler: adminOnly, schema: { response: { 200: TelemetryExportSchema, ...errors } } },
      async (_request, reply: FastifyReply) => {
        const payload = await queries.exportFile();
        const stamp = payload.exportedAt.slice(0, 10);
        reply.header('content-disposition', `attachment; filename="openhands-telemetry-${stamp}.json"`);
        return payload;
      },
    );

    // A past (or waiting) batch as it was sent: the admin page's "Raw JSON" of a batch.
    app.get(
      '/api/admin/telemetry/batches/:id',
      {
        preHandler: adminOnly,
        schema: {
          params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
          response: { 200: BatchDetailSchema, 400: ApiErrorSchema, 404: ApiErrorSchema, ...errors },
        },
      },
      async (request) => {
        const batch = await queries.batch(request.params.id);
        if (!batch)
          throw new TelemetryHttpError(
            404,
            'batch_not_found',
            `No batch has the id ${request.params.id}; it may have been pruned.`,
          );
        return batch;
      },
    );

    app.post(
      '/api/admin/telemetry/collect',
      { preHandler: adminOnly, schema: { response: { 200: CollectNowResultSchema, ...errors } } },
      async (_request, reply) => commandAnswer(reply, () => commands.collectNow()),
    );

    app.post(
      '/api/admin/telemetry/upload',
      { preHandler: adminOnly, schema: { response: { 200: UploadNowResultSchema, ...errors } } },
      async (_request, reply) => commandAnswer(reply, () => commands.uploadNow()),
    );

    await registerDoctorRoute(app, {
      preHandler: adminOnly,
      endpoint: options.telemetry.settings.replicatedApiUrl,
      now: () => queries.now(),
      overview: () => queries.overview(),
    });
  },
  { name: 'openhands-telemetry', fastify: '5.x' },
);

/** A command's result, or its error as `{ error, message }` with 503 (no sender) or 504. */
async function commandAnswer<T>(reply: FastifyReply, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof TelemetryCommandError) {
      if (error.statusCode === 503) reply.header('retry-after', '30');
      return reply.code(error.statusCode).send({ error: error.code, message: error.message }) as never;
    }
    throw error;
  }
}

async function authorize(request: FastifyRequest, options: TelemetryPluginOptions) {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) {
    const token = options.telemetry.settings.adminToken;
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
