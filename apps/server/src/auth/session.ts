import fastifyCookie from '@fastify/cookie';
import type { Queryable } from '@openhands/db';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Env } from '../config/server-config.js';
import { adminOnly, termsRequired, unauthenticated } from '../http/errors.js';
import { isSameEmail, resolveAdminEmail } from '../users/admin-email.js';
import { findUserById, type User } from '../users/users.js';

export const SESSION_COOKIE = 'oh_session';
const SESSION_MAX_AGE_S = 30 * 24 * 3600;

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user, looked up once per request and only when asked for. */
    currentUser(): Promise<User | undefined>;
  }
  interface FastifyReply {
    startSession(user: User): void;
    endSession(): void;
  }
}

export interface SessionOptions {
  db: Queryable;
  secret: string;
  env: Env;
  now: () => Date;
}

/**
 * Signed-cookie sessions: the cookie holds the user id and the time it was issued, signed with the
 * installation's secret. No session table: signing out clears the cookie.
 */
export const sessionPlugin = fp(async (app: FastifyInstance, options: SessionOptions) => {
  await app.register(fastifyCookie, { secret: options.secret });

  app.decorateRequest('currentUser', function (this: FastifyRequest) {
    const cached = userCache.get(this);
    if (cached) return cached;
    const lookup = lookupUser(this, options);
    userCache.set(this, lookup);
    return lookup;
  });
  app.decorateReply('startSession', function (this: FastifyReply, user: User) {
    const issuedAt = Math.floor(options.now().getTime() / 1000);
    this.setCookie(SESSION_COOKIE, `${user.id}.${issuedAt}`, {
      signed: true,
      httpOnly: true,
      sameSite: 'lax',
      secure: this.request.protocol === 'https',
      path: '/',
      maxAge: SESSION_MAX_AGE_S,
    });
  });
  app.decorateReply('endSession', function (this: FastifyReply) {
    this.clearCookie(SESSION_COOKIE, { path: '/' });
  });
});

const userCache = new WeakMap<FastifyRequest, Promise<User | undefined>>();

async function lookupUser(request: FastifyRequest, options: SessionOptions): Promise<User | undefined> {
  const raw = request.cookies[SESSION_COOKIE];
  if (!raw) return undefined;
  const unsigned = request.unsignCookie(raw);
  if (!unsigned.valid || !unsigned.value) return undefined;
  const [id, issuedAt] = unsigned.value.split('.').map(Number);
  if (!Number.isSafeInteger(id) || !Number.isSafeInteger(issuedAt)) return undefined;
  if (options.now().getTime() / 1000 - issuedAt! > SESSION_MAX_AGE_S) return undefined;
  return findUserById(options.db, id!);
}

/** Route guards, in the order a request meets them. */
export async function requireUser(request: FastifyRequest): Promise<User> {
  const user = await request.currentUser();
  if (!user) throw unauthenticated();
  return user;
}

export async function requireTermsAccepted(request: FastifyRequest): Promise<User> {
  const user = await requireUser(request);
  if (!user.acceptedTosAt) throw termsRequired();
  return user;
}

export async function isAdmin(db: Queryable, env: Env, user: User): Promise<boolean> {
  if (!user.acceptedTosAt) return false;
  const admin = await resolveAdminEmail(db, env);
  return isSameEmail(admin?.email, user.email);
}

export async function requireAdminUser(request: FastifyRequest, db: Queryable, env: Env): Promise<User> {
  const user = await requireTermsAccepted(request);
  if (!(await isAdmin(db, env, user))) throw adminOnly();
  return user;
}
