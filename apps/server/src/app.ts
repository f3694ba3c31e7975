import Fastify, { type FastifyInstance, type FastifyServerOptions, LogController } from 'fastify';
import { sessionPlugin } from './auth/session.js';
import { loadSessionSecret } from './auth/session-secret.js';
import type { ServerContext } from './context.js';
import { installErrorHandler } from './http/errors.js';
import { installRequestLog } from './http/request-log.js';
import { authRoutes } from './routes/auth.js';
import { conversationRoutes } from './routes/conversations.js';
import { healthRoutes } from './routes/health.js';
import { termsRoutes } from './routes/terms.js';
import { webRoutes } from './web/static.js';

/** Log paths that must never be written: credentials of users, admins and the vendor. */
export const REDACTED_LOG_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.serviceToken',
  '*.service_token',
  '*.publishableKey',
];

export function loggerOptions(level: string): FastifyServerOptions['logger'] {
  return { level, redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' } };
}

export interface BuildAppOptions {
  logger?: FastifyServerOptions['logger'];
  /** Plugins of embedded services (telemetry), registered after the host's routes. */
  plugins?: Array<(app: FastifyInstance) => Promise<void>>;
}

/** The host server: its routes and the UI, on a database that is already migrated. */
export async function buildApp(ctx: ServerContext, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? loggerOptions(ctx.config.logLevel),
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
