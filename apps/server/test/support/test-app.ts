import type { Db, DbKind } from '@openhands/db';
import { createTestDb } from '@openhands/db/testing';
import type { Sender } from '@openhands/telemetry';
import { type ManualClock, seededRandom } from '@openhands/telemetry/testing';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/app.js';
import { type Env, loadServerConfig } from '../../src/config/server-config.js';
import { createHostEvents, type ServerContext } from '../../src/context.js';
import { createLogger } from '../../src/http/logger.js';
import { allMigrations } from '../../src/migrations.js';
import { createTelemetryWiring } from '../../src/telemetry/telemetry.js';
import { LogCapture } from './log-capture.js';

export interface TestApp {
  app: FastifyInstance;
  /** Present when the app was built with telemetry. */
  telemetry?: Sender;
  db: Db;
  ctx: ServerContext;
  /** Every line the server logged (at info level and above). */
  logs: LogCapture;
  /** Moves the server's clock. */
  setNow(date: Date): void;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Embeds the telemetry service, on this clock (which also drives the host's `now`). */
  telemetryClock?: ManualClock;
}

/**
 * The host server on a fresh migrated database, driven through `app.inject()`. The development
 * sign-in is allowed (OPENHANDS_DEV_SIGN_IN=true) unless `env` says otherwise, so that tests of an
 * enterprise install can sign users in; the access tests set it off explicitly.
 */
export async function createTestApp(kind: DbKind, givenEnv: Env = {}, options: TestAppOptions = {}): Promise<TestApp> {
  const env: Env = { OPENHANDS_DEV_SIGN_IN: 'true', ...givenEnv };
  const db = await createTestDb(kind, allMigrations);
  let now = new Date('2026-11-23T12:00:00Z');
  const clock = options.telemetryClock;
  const config = loadServerConfig({ LOG_LEVEL: 'silent', OPENHANDS_WEB_DIR: '/nonexistent', ...env }, '1.2.3');
  const ctx: ServerContext = { db, env, config, now: () => clock?.now() ?? now, events: createHostEvents() };
  const logs = new LogCapture();
  const log = createLogger('info', logs);
  const telemetry = clock
    ? await createTelemetryWiring(ctx, { log, startedAt: clock.now(), clock, random: seededRandom(3) })
    : undefined;
  const app = await buildApp(ctx, { logger: log, plugins: telemetry ? [telemetry.plugin] : [] });
  return {
    app,
    db,
    ctx,
    logs,
    ...(telemetry ? { telemetry: telemetry.sender } : {}),
    setNow: (date) => {
      now = date;
      clock?.set(date);
    },
    async close() {
      await app.close();
      await db.close();
      logs.assertNoLeaks();
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
