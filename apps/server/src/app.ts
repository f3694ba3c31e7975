import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import { sessionPlugin } from './auth/session.js';
import { loadSessionSecret } from './auth/session-secret.js';
import type { ServerContext } from './context.js';
import { installErrorHandler } from './http/errors.js';
import { createLogger } from './http/logger.js';
import { installRequestLog } from './http/request-log.js';
import { authRoutes } from './routes/auth.js';
import { conversationRoutes } from './routes/conversations.js';
import { healthRoutes } from './routes/health.js';
import { termsRoutes } from './routes/terms.js';
import { webRoutes } from './web/static.js';

export interface BuildAppOptions {
  logger?: FastifyBaseLogger;
  /** Plugins of embedded services (telemetry), registered after the host's routes. */
  plugins?: Array<(app: FastifyInstance) => Promise<void>>;
}

/** The host server: its routes and the UI, on a database that is already migrated. */
export async function buildApp(ctx: ServerContext, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.logger ?? createLogger(ctx.config.logLevel),
    trustProxy: true,
    bodyLimit: 64 * 1024,
    logController: new LogController({ disableRequestLogging: true }),
  });
  installErrorHandler(app);
  installRequestLog(app);
  await app.register(sessionPlugin, {
    db: ctx.db,
    secret: await loadSessionSecret(ctx.db, ctx.config.sessionSecret),
    env: ctx.env,
    now: ctx.now,
  });
  await app.register(healthRoutes, ctx);
  await app.register(authRoutes, ctx);
  await app.register(termsRoutes, ctx);
  await app.register(conversationRoutes, ctx);
  for (const plugin of options.plugins ?? []) await app.register(plugin);
  // Not encapsulated: its not-found handler must answer for the whole server.
  await webRoutes(app, { webDir: ctx.config.webDir });
  return app;
}
