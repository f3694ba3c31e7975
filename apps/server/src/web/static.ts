import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/**
 * Serves the built React UI. Any GET that is not an API route and not a file answers index.html,
 * so that the client-side router can show `/admin/telemetry` after a reload.
 */
export async function webRoutes(app: FastifyInstance, { webDir }: { webDir: string }): Promise<void> {
  const built = existsSync(join(webDir, 'index.html'));
  if (built) {
    await app.register(fastifyStatic, { root: webDir, wildcard: false, index: false });
  } else {
    app.log.warn({ webDir }, 'the UI is not built: run `npm run build`; the API works without it');
  }

  app.setNotFoundHandler((request, reply) => {
    const isPage = request.method === 'GET' && !request.url.startsWith('/api/') && request.url !== '/metrics';
    if (isPage && built) return reply.type('text/html').sendFile('index.html');
    if (isPage)
      return reply.code(503).type('text/plain').send('The UI is not built. Run `npm run build`, then reload.');
    return reply
      .code(404)
      .send({ error: 'not_found', message: `No route ${request.method} ${request.url.split('?')[0]}.` });
  });
}
