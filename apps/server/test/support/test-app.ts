import type { Db, DbKind } from '@openhands/db';
import { createTestDb } from '@openhands/db/testing';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/app.js';
import { type Env, loadServerConfig } from '../../src/config/server-config.js';
import { createHostEvents, type ServerContext } from '../../src/context.js';
import { allMigrations } from '../../src/migrations.js';

export interface TestApp {
  app: FastifyInstance;
  db: Db;
  ctx: ServerContext;
  /** Moves the server's clock. */
  setNow(date: Date): void;
  close(): Promise<void>;
}

/** The host server on a fresh migrated database, driven through `app.inject()`. */
export async function createTestApp(kind: DbKind, env: Env = {}): Promise<TestApp> {
  const db = await createTestDb(kind, allMigrations);
  let now = new Date('2026-11-23T12:00:00Z');
  const config = loadServerConfig({ LOG_LEVEL: 'silent', OPENHANDS_WEB_DIR: '/nonexistent', ...env }, '1.2.3');
  const ctx: ServerContext = { db, env, config, now: () => now, events: createHostEvents() };
  const app = await buildApp(ctx);
  return {
    app,
    db,
    ctx,
    setNow: (date) => {
      now = date;
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
