import type { FastifyBaseLogger } from 'fastify';
import * as oidc from 'openid-client';
import type { KeycloakConfig } from '../config/access-config.js';
import { HttpError } from '../http/errors.js';

/** What the server keeps from a successful sign-in at the provider. */
export interface ProviderIdentity {
  subject: string;
  email: string | null;
  emailVerified: boolean;
  idToken: string | undefined;
}

/** The per-browser secrets of one sign-in attempt, kept in a signed cookie between the two legs. */
export interface PendingSignIn {
  state: string;
  nonce: string;
  codeVerifier: string;
  /** Where the user was going; a path on this server only. */
  returnTo: string;
}

// A failed discovery is tried again on the next sign-in, but not more often than this.
const RETRY_DISCOVERY_AFTER_MS = 5_000;
// Keycloak's and our clocks may differ a little (NTP drift); more than this is a misconfiguration.
const CLOCK_TOLERANCE_S = 30;

/**
 * The OpenID Connect client of the customer's Keycloak realm. Discovery happens in the background
 * and again on demand: an unreachable or misconfigured provider never stops the server; sign-in
 * answers 503 naming the issuer until discovery succeeds.
 */
export class KeycloakClient {
  private configuration: oidc.Configuration | undefined;
  private inFlight: Promise<oidc.Configuration> | undefined;
  private lastFailure: { atMs: number; reason: string } | undefined;

  constructor(
    readonly settings: KeycloakConfig,
    private readonly log: FastifyBaseLogger,
    private readonly nowMs: () => number = Date.now,
  ) {}

  get issuer(): string {
    return this.settings.issuer;
  }

  /** Starts discovery without waiting for it (server start). */
  warmUp(): void {
    this.ready().catch(() => undefined);
  }

  /** The discovered configuration, or an HttpError 503 that names the issuer and the reason. */
  async ready(): Promise<oidc.Configuration> {
    if (this.configuration) return this.configuration;
    if (this.inFlight) return this.inFlight;
    const failure = this.lastFailure;
    if (failure && this.nowMs() - failure.atMs < RETRY_DISCOVERY_AFTER_MS) throw this.unavailable(failure.reason);
    this.inFlight = this.discover().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async discover(): Promise<oidc.Configuration> {
    const { issuer, clientId, clientSecret } = this.settings;
    const issuerUrl = new URL(issuer);
    try {
      const configuration = await oidc.discovery(
        issuerUrl,
        clientId,
        { [oidc.clockTolerance]: CLOCK_TOLERANCE_S, ...(clientSecret ? { client_secret: clientSecret } : {}) },
        clientSecret ? oidc.ClientSecretBasic(clientSecret) : oidc.None(),
        {
          timeout: 5,
          // http:// is for a provider on the same machine (tests, the demo); production uses https.
          ...(issuerUrl.protocol === 'http:' ? { execute: [oidc.allowInsecureRequests] } : {}),
        },
      );
      this.configuration = configuration;
      this.lastFailure = undefined;
      this.log.info({ issuer }, 'Keycloak sign-in is ready');
      return configuration;
    } catch (error) {
      const reason = describeDiscoveryError(error);
      this.lastFailure = { atMs: this.nowMs(), reason };
      this.log.warn({ issuer, reason }, 'Keycloak discovery failed; sign-in answers 503 until it succeeds');
      throw this.unavailable(reason);
    }
  }

  private unavailable(reason: string): HttpError {
    return new HttpError(
      503,
      'sign_in_unavailable',
      `Sign-in is unavailable: the Keycloak realm at ${this.settings.issuer} cannot be reached or is misconfigured (${reason}). Check KEYCLOAK_SERVER_URL and KEYCLOAK_REALM_NAME.`,
    );
  }

  /** The provider's login page for a new attempt, and the secrets to keep until the callback. */
  async startSignIn(redirectUri: string, returnTo: string): Promise<{ url: URL; pending: PendingSignIn }> {
    const configuration = await this.ready();
    const pending: PendingSignIn = {
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      codeVerifier: oidc.randomPKCECodeVerifier(),
      returnTo,
    };
    const url = oidc.buildAuthorizationUrl(configuration, {
      redirect_uri: redirectUri,
      scope: 'openid email profile',
      response_type: 'code',
      code_challenge: await oidc.calculatePKCECodeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
    });
    return { url, pending };
  }

  /** Exchanges the code of the callback URL for verified identity claims. */
  async finishSignIn(callbackUrl: URL, pending: PendingSignIn): Promise<ProviderIdentity> {
    const configuration = await this.ready();
    let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
    try {
      tokens = await oidc.authorizationCodeGrant(configuration, callbackUrl, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
    } catch (error) {
      const reason = describeGrantError(error);
      this.log.warn({ issuer: this.settings.issuer, reason }, 'a Keycloak sign-in was refused');
      throw new HttpError(400, 'sign_in_failed', `Keycloak sign-in did not complete: ${reason} Please sign in again.`);
    }
    const claims = tokens.claims();
    if (!claims) throw new HttpError(400, 'sign_in_failed', 'Keycloak sent no ID token. Please sign in again.');
    const email = typeof claims.email === 'string' && claims.email.trim() ? claims.email.trim() : null;
    return {
      subject: claims.sub,
      email,
      emailVerified: email !== null && claims.email_verified === true,
      idToken: tokens.id_token,
    };
  }

  /** The provider's logout page that ends its session too, then comes back; undefined before discovery. */
  endSessionUrl(postLogoutRedirectUri: string, idToken: string | null): string | undefined {
    if (!this.configuration?.serverMetadata().end_session_endpoint) return undefined;
    const parameters: Record<string, string> = {
      post_logout_redirect_uri: postLogoutRedirectUri,
      client_id: this.settings.clientId,
    };
    if (idToken) parameters.id_token_hint = idToken;
    return oidc.buildEndSessionUrl(this.configuration, parameters).href;
  }
}

function describeDiscoveryError(error: unknown): string {
  const err = error as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const cause = err.cause?.code ?? err.cause?.message;
  return [err.code, err.message, cause].filter(Boolean).join(': ').slice(0, 300);
}

function describeGrantError(error: unknown): string {
  const err = error as { code?: string; message?: string; error?: string; error_description?: string };
  if (err.error)
    return `the provider answered ${err.error}${err.error_description ? ` (${err.error_description})` : ''}.`;
  const message = err.message ?? String(error);
  if (/\b(iat|exp|nbf)\b|clock/i.test(message)) {
    return `the ID token's times do not match this server's clock (${message}); check that both clocks are synchronised (NTP).`;
  }
  return `${message}.`;
}
