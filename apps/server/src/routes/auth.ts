import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { KeycloakClient, PendingSignIn } from '../auth/keycloak.js';
import { requireUser } from '../auth/session.js';
import type { ServerContext } from '../context.js';
import { HttpError } from '../http/errors.js';
import { isEmail } from '../users/email.js';
import { userForIdentity } from '../users/provider-users.js';
import { findOrCreateUserByEmail } from '../users/users.js';
import { DevSignInBody, KeycloakCallbackQuery, KeycloakLoginQuery, SignInOptions } from './schemas.js';
import { userView } from './user-view.js';

const PENDING_COOKIE = 'oh_oidc';
const PENDING_MAX_AGE_S = 10 * 60;
const CALLBACK_PATH = '/api/auth/keycloak/callback';

export interface AuthRouteOptions {
  ctx: ServerContext;
  keycloak: KeycloakClient | undefined;
}

/**
 * Sign-in: through the customer's Keycloak realm (authorization code with PKCE), and the
 * development sign-in (any email, no password) only outside enterprise mode or where an operator
 * set OPENHANDS_DEV_SIGN_IN=true.
 */
export async function authRoutes(host: FastifyInstance, { ctx, keycloak }: AuthRouteOptions): Promise<void> {
  const app = host.withTypeProvider<TypeBoxTypeProvider>();
  const { access } = ctx.config;

  app.get('/api/auth/options', { schema: { response: { 200: SignInOptions } } }, async (): Promise<SignInOptions> => {
    let problem: string | null = null;
    if (keycloak) {
      try {
        await keycloak.ready();
      } catch (error) {
        problem = (error as Error).message;
      }
    }
    return {
      keycloak: keycloak ? { issuer: keycloak.issuer, ready: problem === null, problem } : null,
      devSignIn: access.devSignIn,
    };
  });

  app.post('/api/auth/dev-sign-in', { schema: { body: DevSignInBody } }, async (request, reply) => {
    if (access.devSignIn === 'off') {
      throw new HttpError(
        404,
        'dev_sign_in_disabled',
        'The development sign-in is off on this OpenHands Enterprise install; sign in with Keycloak.',
      );
    }
    const email = request.body.email.trim();
    if (!isEmail(email)) {
      throw new HttpError(
        400,
        'invalid_email',
        `"${printable(email)}" is not an email address, like name@example.com.`,
      );
    }
    const user = await findOrCreateUserByEmail(ctx.db, email);
    await reply.startSession(user, { authMethod: 'dev' });
    return { user: await userView(ctx, user) };
  });

  app.get('/api/auth/keycloak/login', { schema: { querystring: KeycloakLoginQuery } }, async (request, reply) => {
    if (!keycloak) throw keycloakNotConfigured();
    const returnTo = safeReturnPath(request.query.returnTo);
    const { url, pending } = await keycloak.startSignIn(redirectUri(request, access.publicUrl), returnTo);
    reply.setCookie(PENDING_COOKIE, JSON.stringify(pending), {
      signed: true,
      httpOnly: true,
      // Lax: the provider sends the browser back with a top-level GET, which carries it.
      sameSite: 'lax',
      secure: request.protocol === 'https',
      path: CALLBACK_PATH,
      maxAge: PENDING_MAX_AGE_S,
    });
    return reply.redirect(url.href);
  });

  app.get(CALLBACK_PATH, { schema: { querystring: KeycloakCallbackQuery } }, async (request, reply) => {
    if (!keycloak) throw keycloakNotConfigured();
    const pending = readPending(request);
    reply.clearCookie(PENDING_COOKIE, { path: CALLBACK_PATH });
    const { error, error_description: description } = request.query;
    if (error) {
      const detail = description ? ` (${description})` : '';
      return backToSignIn(reply, `Keycloak did not sign you in: ${printable(error)}${printable(detail)}.`);
    }
    if (!pending) {
      return backToSignIn(reply, 'This sign-in link is old or was opened in another browser. Please sign in again.');
    }
    try {
      const identity = await keycloak.finishSignIn(
        new URL(request.url, publicOrigin(request, access.publicUrl)),
        pending,
      );
      const user = await userForIdentity(ctx.db, identity);
      await reply.startSession(user, { authMethod: 'keycloak', idToken: identity.idToken ?? null });
    } catch (error) {
      if (error instanceof HttpError && error.statusCode === 400) return backToSignIn(reply, error.message);
      throw error;
    }
    return reply.redirect(pending.returnTo);
  });

  app.post('/api/auth/sign-out', async (request, reply) => {
    const ended = await reply.endSession();
    if (ended?.authMethod === 'keycloak' && keycloak) {
      const home = `${publicOrigin(request, access.publicUrl)}/sign-in`;
      const logoutUrl = keycloak.endSessionUrl(home, ended.idToken);
      // The browser goes on to the provider, which ends its own session (RP-initiated logout).
      if (logoutUrl) return { logoutUrl };
    }
    return reply.code(204).send();
  });

  app.get('/api/me', async (request) => ({ user: await userView(ctx, await requireUser(request)) }));
}

function keycloakNotConfigured(): HttpError {
  return new HttpError(
    404,
    'keycloak_not_configured',
    'Keycloak sign-in is not configured: set KEYCLOAK_SERVER_URL, KEYCLOAK_REALM_NAME and KEYCLOAK_CLIENT_ID.',
  );
}

/** The address the browser uses: OPENHANDS_PUBLIC_URL, else the request's (trusted-proxy aware) own. */
function publicOrigin(request: FastifyRequest, publicUrl: string | undefined): string {
  return publicUrl ?? `${request.protocol}://${request.host}`;
}

function redirectUri(request: FastifyRequest, publicUrl: string | undefined): string {
  return `${publicOrigin(request, publicUrl)}${CALLBACK_PATH}`;
}

/** Only a path on this server: an absolute or protocol-relative URL would be an open redirect. */
function safeReturnPath(raw: string | undefined): string {
  const isLocalPath = raw?.startsWith('/') && !raw.startsWith('//') && !raw.startsWith('/\\');
  return raw && isLocalPath && !/[\p{Cc}]/u.test(raw) ? raw : '/';
}

function readPending(request: FastifyRequest): PendingSignIn | undefined {
  const raw = request.cookies[PENDING_COOKIE];
  if (!raw) return undefined;
  const unsigned = request.unsignCookie(raw);
  if (!unsigned.valid || !unsigned.value) return undefined;
  try {
    const value = JSON.parse(unsigned.value) as Partial<PendingSignIn>;
    if ([value.state, value.nonce, value.codeVerifier, value.returnTo].every((v) => typeof v === 'string')) {
      return value as PendingSignIn;
    }
  } catch {
    // a cookie we did not write
  }
  return undefined;
}

function backToSignIn(reply: FastifyReply, message: string) {
  return reply.redirect(`/sign-in?error=${encodeURIComponent(message.slice(0, 500))}`);
}

function printable(value: string): string {
  return value.replace(/\p{Cc}/gu, '\uFFFD').slice(0, 80);
}
