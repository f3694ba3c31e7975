import type { Db, DbKind } from '@openhands/db';
import { createTestDb } from '@openhands/db/testing';
import type { TelemetryService } from '@openhands/telemetry';
import { type ManualClock, seededRandom } from '@openhands/telemetry/testing';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/app.js';
import { type Env, loadServerConfig } from '../../src/config/server-config.js';
import { createHostEvents, type ServerContext } from '../../src/context.js';
import { createLogger } from '../../src/http/logger.js';
import { allMigrations } from '../../src/migrations.js';
import { createTelemetry } from '../../src/telemetry/telemetry.js';

export interface TestApp {
  app: FastifyInstance;
  /** Present when the app was built with telemetry. */
  telemetry?: TelemetryService;
  db: Db;
  ctx: ServerContext;
  /** Moves the server's clock. */
  setNow(date: Date): void;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Embeds the telemetry service, on this clock (which also drives the host's `now`). */
  telemetryClock?: ManualClock;
}

/** The host server on a fresh migrated database, driven through `app.inject()`. */
export async function createTestApp(kind: DbKind, env: Env = {}, options: TestAppOptions = {}): Promise<TestApp> {
  const db = await createTestDb(kind, allMigrations);
  let now = new Date('2026-11-23T12:00:00Z');
  const clock = options.telemetryClock;
  const config = loadServerConfig({ LOG_LEVEL: 'silent', OPENHANDS_WEB_DIR: '/nonexistent', ...env }, '1.2.3');
  const ctx: ServerContext = { db, env, config, now: () => clock?.now() ?? now, events: createHostEvents() };
  const log = createLogger('silent');
  const telemetry = clock
    ? await createTelemetry(ctx, { log, startedAt: clock.now(), clock, random: seededRandom(3) })
    : undefined;
  const app = await buildApp(ctx, { logger: log, plugins: telemetry ? [telemetry.plugin] : [] });
  return {
    app,
    db,
    ctx,
    ...(telemetry ? { telemetry: telemetry.service } : {}),
    setNow: (date) => {
      now = date;
      clock?.set(date);
    },
    async close() {
      await app.close();
      await db.close();
    },
  };
}

/** The session cookie a response set, ready for the next request's `cookie` header. */
export function sessionCookie(response: LightMyRequestResponse): string {
  const cookie = response.cookies.find((c) => c.name === 'oh_session');
  if (!cookie) throw new Error(`no session cookie in a ${response.statusCode} response: ${response.body}`);
  return `oh_session=${cookie.value}`;
}

/** Signs in (and optionally accepts the Terms), returning the cookie. */
export async function signIn(app: FastifyInstance, email: string, acceptTerms = true): Promise<string> {
  const response = await app.inject({ method: 'POST', url: '/api/auth/dev-sign-in', payload: { email } });
  const cookie = sessionCookie(response);
  if (acceptTerms) await app.inject({ method: 'POST', url: '/api/tos/accept', headers: { cookie } });
  return cookie;
}
