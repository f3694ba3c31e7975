import type { FastifyInstance } from 'fastify';

// Probes hit every few seconds and assets are many: they would drown the lines that matter.
const QUIET = /^\/(healthz|readyz|metrics|assets\/)/;

/** One line per request, after the answer: method, path, status and time. */
export function installRequestLog(app: FastifyInstance): void {
  app.addHook('onResponse', async (request, reply) => {
    const line = {
      method: request.method,
      url: request.url.split('?')[0],
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime),
    };
    if (QUIET.test(request.url)) request.log.debug(line, 'request');
    else request.log.info(line, 'request');
  });
}
