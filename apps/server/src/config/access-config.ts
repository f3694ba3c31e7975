import { isIP } from 'node:net';
import { ConfigError } from './errors.js';
import type { Env } from './server-config.js';

/** The customer's Keycloak realm, as this server's OpenID Connect client sees it. */
export interface KeycloakConfig {
  /** `<KEYCLOAK_SERVER_URL>/realms/<KEYCLOAK_REALM_NAME>`: what discovery and tokens must name. */
  issuer: string;
  clientId: string;
  /** Unset for a public client (PKCE alone); set for Keycloak's usual confidential client. */
  clientSecret: string | undefined;
}

/**
 * Who may open the development sign-in: `open` outside enterprise mode, `flagged` in enterprise
 * mode with OPENHANDS_DEV_SIGN_IN=true (logged and labelled), `off` otherwise.
 */
export type DevSignIn = 'open' | 'flagged' | 'off';

export interface AccessConfig {
  /** GITHUB_APP_CLIENT_ID, KEYCLOAK_SERVER_URL and KEYCLOAK_REALM_NAME all set. */
  enterprise: boolean;
  /** Present when the Keycloak server, realm and client id are set. */
  keycloak: KeycloakConfig | undefined;
  devSignIn: DevSignIn;
  /** Fastify's `trustProxy`: false, a number of hops, or the proxies' addresses/CIDRs. */
  trustProxy: false | number | string[];
  /** The port of the Prometheus listener (0: any free port). */
  metricsPort: number;
  /** The address the browser uses, e.g. https://openhands.example.com; else taken from the request. */
  publicUrl: string | undefined;
  sessionIdleMs: number;
  sessionMaxMs: number;
}

/** Reads the sign-in and hardening settings; throws a ConfigError for any value it cannot run with. */
export function loadAccessConfig(env: Env): AccessConfig {
  const serverUrl = nonEmpty(env.KEYCLOAK_SERVER_URL);
  const realm = nonEmpty(env.KEYCLOAK_REALM_NAME);
  const enterprise = !!(nonEmpty(env.GITHUB_APP_CLIENT_ID) && serverUrl && realm);
  const devFlag = parseBoolean('OPENHANDS_DEV_SIGN_IN', env.OPENHANDS_DEV_SIGN_IN);
  return {
    enterprise,
    keycloak: keycloakConfig(serverUrl, realm, env),
    devSignIn: !enterprise ? 'open' : devFlag ? 'flagged' : 'off',
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    metricsPort: parsePort('METRICS_PORT', env.METRICS_PORT, 9464),
    publicUrl: parsePublicUrl(env.OPENHANDS_PUBLIC_URL),
    sessionIdleMs: parseWhole('SESSION_IDLE_TIMEOUT_MINUTES', env.SESSION_IDLE_TIMEOUT_MINUTES, 12 * 60, 1) * 60_000,
    sessionMaxMs: parseWhole('SESSION_MAX_AGE_HOURS', env.SESSION_MAX_AGE_HOURS, 7 * 24, 1) * 3_600_000,
  };
}

function keycloakConfig(serverUrl: string | undefined, realm: string | undefined, env: Env) {
  const clientId = nonEmpty(env.KEYCLOAK_CLIENT_ID);
  if (!serverUrl || !realm || !clientId) return undefined;
  let base: URL;
  try {
    base = new URL(serverUrl);
  } catch {
    throw new ConfigError(
      `KEYCLOAK_SERVER_URL must be a URL such as https://keycloak.example.com, not "${serverUrl}".`,
    );
  }
  if (base.protocol !== 'https:' && base.protocol !== 'http:') {
    throw new ConfigError(
      `KEYCLOAK_SERVER_URL must start with https:// (or http:// for a local test), not "${serverUrl}".`,
    );
  }
  if (!/^[A-Za-z0-9._-]+$/.test(realm)) {
    throw new ConfigError(`KEYCLOAK_REALM_NAME must be a realm name (letters, digits, . _ -), not "${realm}".`);
  }
  return {
    issuer: `${base.href.replace(/\/+$/, '')}/realms/${realm}`,
    clientId,
    clientSecret: nonEmpty(env.KEYCLOAK_CLIENT_SECRET),
  };
}

/** Hop counts or the proxies' addresses: `true` would trust X-Forwarded-* from any client. */
function parseTrustProxy(raw: string | undefined): false | number | string[] {
  const value = nonEmpty(raw);
  if (value === undefined || value === 'false' || value === '0') return false;
  if (/^\d+$/.test(value)) return Number(value);
  const entries = value.split(',').map((entry) => entry.trim());
  for (const entry of entries) {
    const [address, bits, extra] = entry.split('/');
    const family = isIP(address ?? '');
    const maxBits = family === 6 ? 128 : 32;
    const validBits = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= maxBits);
    if (!family || !validBits || extra !== undefined) {
      throw new ConfigError(
        `TRUST_PROXY must be a number of proxy hops (e.g. 1) or a comma-separated list of proxy addresses or CIDRs (e.g. 10.0.0.0/8), not "${value}".`,
      );
    }
  }
  return entries;
}

function parsePublicUrl(raw: string | undefined): string | undefined {
  const value = nonEmpty(raw);
  if (value === undefined) return undefined;
  try {
    const url = new URL(value);
    if (url.protocol === 'https:' || url.protocol === 'http:') return url.origin;
  } catch {
    // fall through to the error below
  }
  throw new ConfigError(
    `OPENHANDS_PUBLIC_URL must be the URL users open, such as https://openhands.example.com, not "${value}".`,
  );
}

function parseBoolean(name: string, raw: string | undefined): boolean {
  const value = nonEmpty(raw)?.toLowerCase();
  if (value === undefined || value === 'false' || value === '0') return false;
  if (value === 'true' || value === '1') return true;
  throw new ConfigError(`${name} must be true or false, not "${raw}".`);
}

function parsePort(name: string, raw: string | undefined, fallback: number): number {
  const value = nonEmpty(raw);
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) > 65535) {
    throw new ConfigError(`${name} must be a whole number from 0 to 65535, not "${value}".`);
  }
  return Number(value);
}

function parseWhole(name: string, raw: string | undefined, fallback: number, min: number): number {
  const value = nonEmpty(raw);
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > 1_000_000) {
    throw new ConfigError(`${name} must be a whole number from ${min} to 1000000, not "${value}".`);
  }
  return Number(value);
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
