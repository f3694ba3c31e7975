import fastifyCookie from '@fastify/cookie';
import type { Queryable } from '@openhands/db';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Env } from '../config/server-config.js';
import { adminOnly, termsRequired, unauthenticated } from '../http/errors.js';
import { isAdminEmail, resolveAdminEmail } from '../users/admin-email.js';
import { findUserById, type User } from '../users/users.js';
import {
  type AuthMethod,
  createSession,
  deleteSession,
  findSession,
  type SessionLifetimes,
  type StoredSession,
} from './session-store.js';

export const SESSION_COOKIE = 'oh_session';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user, looked up once per request and only when asked for. */
    currentUser(): Promise<User | undefined>;
  }
  interface FastifyReply {
    startSession(user: User, how: { authMethod: AuthMethod; idToken?: string | null }): Promise<void>;
    /** Ends the session on the server and clears the cookie; returns the session that ended. */
    endSession(): Promise<StoredSession | undefined>;
  }
}

export interface SessionOptions {
  db: Queryable;
  /** Signs the short-lived sign-in cookies (state, PKCE verifier); sessions themselves are random tokens. */
  secret: string;
  env: Env;
  now: () => Date;
  lifetimes: SessionLifetimes;
}

/**
 * Server-side sessions: the cookie holds a random token, the table holds its hash, the user, and
 * the idle and absolute ends. Signing out deletes the row, so a copied cookie is refused at once.
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
  app.decorateReply(
    'startSession',
    async function (this: FastifyReply, user: User, how: { authMethod: AuthMethod; idToken?: string | null }) {
      // A session from before this sign-in (another account in the same browser) ends here.
      const previous = this.request.cookies[SESSION_COOKIE];
      if (previous) await deleteSession(options.db, previous);
      const token = await createSession(options.db, {
        userId: user.id,
        authMethod: how.authMethod,
        idToken: how.idToken ?? null,
        now: options.now(),
        lifetimes: options.lifetimes,
      });
      this.setCookie(SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: 'lax',
        secure: this.request.protocol === 'https',
        path: '/',
        maxAge: Math.floor(options.lifetimes.maxMs / 1000),
      });
    },
  );
  app.decorateReply('endSession', async function (this: FastifyReply) {
    const token = this.request.cookies[SESSION_COOKIE];
    this.clearCookie(SESSION_COOKIE, { path: '/' });
    return token ? deleteSession(options.db, token) : undefined;
  });
});

const userCache = new WeakMap<FastifyRequest, Promise<User | undefined>>();

async function lookupUser(request: FastifyRequest, options: SessionOptions): Promise<User | undefined> {
  const token = request.cookies[SESSION_COOKIE];
  // A token is 43 base64url characters; anything else was never issued here.
  if (!token || !/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
  const session = await findSession(options.db, token, options.now(), options.lifetimes);
  return session ? findUserById(options.db, session.userId) : undefined;
}

/** Whether the request carries a session cookie at all (the origin check guards such requests). */
export function hasSessionCookie(request: FastifyRequest): boolean {
  return !!request.cookies[SESSION_COOKIE];
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
  return isAdminEmail(await resolveAdminEmail(db, env), user);
}

export async function requireAdminUser(request: FastifyRequest, db: Queryable, env: Env): Promise<User> {
  const user = await requireTermsAccepted(request);
  if (!(await isAdmin(db, env, user))) throw adminOnly();
  return user;
}
