import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/**
 * Security headers on every answer (pages, API, errors). The UI is a Vite build with no inline
 * script or style, so the policy is 'self' only; the e2e tests load every page in chromium and
 * fail on any CSP violation.
 */
export async function installSecurityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        // The Keycloak sign-in leaves by a top-level navigation, which form-action does not govern.
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    // Keycloak's login page and the post-logout return are cross-origin navigations of the same tab.
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    referrerPolicy: { policy: 'no-referrer' },
    // Only over HTTPS does HSTS mean anything; helmet sends it regardless, browsers ignore it on http.
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: false },
  });
}
