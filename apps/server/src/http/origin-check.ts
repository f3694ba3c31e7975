import type { FastifyInstance, FastifyRequest } from 'fastify';
import { hasSessionCookie } from '../auth/session.js';
import { HttpError } from './errors.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses a cookie-authenticated write that a browser made for another site (CSRF), the way Go's
 * CrossOriginProtection does: a browser says where a request comes from in `Sec-Fetch-Site`
 * (every current browser) or `Origin`; either naming another site is refused. A request with
 * neither did not come from a browser page, so a cookie in it was not sent behind the user's back.
 * A bearer token is not sent by browsers on their own: such requests need no check.
 */
export function installOriginCheck(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    if (SAFE_METHODS.has(request.method) || !hasSessionCookie(request)) return;
    if (request.headers.authorization?.startsWith('Bearer ')) return;
    if (!isSameOrigin(request)) {
      throw new HttpError(
        403,
        'cross_origin',
        'This request came from another site; sign-in cookies only work for requests from OpenHands itself.',
      );
    }
  });
}

export function isSameOrigin(request: FastifyRequest): boolean {
  const site = header(request, 'sec-fetch-site');
  if (site !== undefined) return site === 'same-origin' || site === 'none';
  const origin = header(request, 'origin');
  if (origin === undefined) return true;
  try {
    // Host is what the browser addressed (behind a trusted proxy, X-Forwarded-Host).
    return new URL(origin).host === request.host;
  } catch {
    return false; // "null" (a sandboxed frame, a file) or garbage
  }
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
