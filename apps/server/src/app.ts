import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import { KeycloakClient } from './auth/keycloak.js';
import { sessionPlugin } from './auth/session.js';
import { loadSessionSecret } from './auth/session-secret.js';
import type { ServerContext } from './context.js';
import { installErrorHandler } from './http/errors.js';
import { installInputGuard } from './http/input-guard.js';
import { createLogger } from './http/logger.js';
import { installMetricsGate } from './http/metrics-access.js';
import { installOriginCheck } from './http/origin-check.js';
import { installRequestLog } from './http/request-log.js';
import { installSecurityHeaders } from './http/security-headers.js';
import { authRoutes } from './routes/auth.js';
import { conversationRoutes } from './routes/conversations.js';
import { docsPageRoutes } from './routes/docs-pages.js';
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
  const { access } = ctx.config;
  const app = Fastify({
    loggerInstance: options.logger ?? createLogger(ctx.config.logLevel),
    // Off unless TRUST_PROXY names the hops or the proxies: X-Forwarded-* from anyone else is ignored.
    trustProxy: typeof access.trustProxy === 'number' ? trustHops(access.trustProxy) : access.trustProxy,
    bodyLimit: 64 * 1024,
    logController: new LogController({ disableRequestLogging: true }),
    // Unknown fields are a 400, not silently dropped.
    ajv: { customOptions: { removeAdditional: false } },
  });
  // JSON only: a text/plain body is what a cross-site HTML form can send without asking.
  app.removeContentTypeParser('text/plain');
  installErrorHandler(app);
  installRequestLog(app);
  await installSecurityHeaders(app);
  installMetricsGate(app, ctx.env.TELEMETRY_ADMIN_TOKEN?.trim() || undefined);
  await app.register(sessionPlugin, {
    db: ctx.db,
    secret: await loadSessionSecret(ctx.db, ctx.config.sessionSecret),
    env: ctx.env,
    now: ctx.now,
    lifetimes: { idleMs: access.sessionIdleMs, maxMs: access.sessionMaxMs },
  });
  installOriginCheck(app); // after the cookie parser, which it reads
  installInputGuard(app);

  const keycloak = access.keycloak
    ? new KeycloakClient(access.keycloak, app.log.child({ component: 'keycloak' }))
    : undefined;
  if (keycloak) app.addHook('onReady', async () => keycloak.warmUp());
  if (access.devSignIn === 'flagged') {
    app.log.warn(
      'OPENHANDS_DEV_SIGN_IN=true: anyone who can reach this server can sign in with any email address and no password. Never set it on a production install.',
    );
  }

  await app.register(healthRoutes, ctx);
  await app.register(authRoutes, { ctx, keycloak });
  await app.register(termsRoutes, ctx);
  await app.register(conversationRoutes, ctx);
  await app.register(docsPageRoutes);
  for (const plugin of options.plugins ?? []) await app.register(plugin);
  // Not encapsulated: its not-found handler must answer for the whole server.
  await webRoutes(app, { webDir: ctx.config.webDir });
  return app;
}

/** Trusts the nearest `hops` proxies (what Fastify does with a number, which its types omit). */
function trustHops(hops: number): (address: string, hop: number) => boolean {
  return (_address, hop) => hop < hops;
}
