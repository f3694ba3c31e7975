import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import Fastify from 'fastify';
import { HttpError } from './errors.js';

/**
 * `/metrics` is for Prometheus, not for the world: the main listener (the one the Ingress routes
 * to) serves it only with `Authorization: Bearer <TELEMETRY_ADMIN_TOKEN>`; everyone else is told
 * where it lives. Prometheus scrapes the separate metrics listener instead.
 */
export function installMetricsGate(app: FastifyInstance, adminToken: string | undefined): void {
  app.addHook('onRequest', async (request) => {
    if (request.url.split('?')[0] !== '/metrics') return;
    const header = request.headers.authorization;
    const given = header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : undefined;
    if (adminToken && given && safeEqual(given, adminToken)) return;
    throw new HttpError(
      404,
      'not_found',
      'Metrics are served on the metrics port (METRICS_PORT, default 9464), or here with the admin bearer token.',
    );
  });
}

export interface MetricsListener {
  port: number;
  close(): Promise<void>;
}

/** The Prometheus listener on its own port: only GET /metrics, nothing else, no cookies. */
export async function startMetricsListener(options: {
  port: number;
  host: string;
  text: () => Promise<string>;
}): Promise<MetricsListener> {
  const server = Fastify({ logger: false });
  server.get('/metrics', async (_request, reply) =>
    reply.type('text/plain; version=0.0.4; charset=utf-8').send(await options.text()),
  );
  await server.listen({ port: options.port, host: options.host });
  const address = server.server.address();
  return {
    port: typeof address === 'object' && address ? address.port : options.port,
    close: () => server.close(),
  };
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
