/**
 * A real OpenID Connect provider on this machine, shaped like Keycloak (issuer
 * `http://127.0.0.1:<port>/realms/<realm>`), for the tests and `npm run demo`: discovery, the
 * authorization code flow with PKCE, a login page, ID tokens with `email` and `email_verified`,
 * and RP-initiated logout. It is oidc-provider (panva, the certified implementation) with its
 * development login page: any password is accepted, but only the logins listed in `accounts`.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import Provider from 'oidc-provider';

export interface LocalAccount {
  email: string;
  emailVerified: boolean;
  name?: string;
}

export interface LocalProviderOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  realm?: string;
  clientId?: string;
  clientSecret?: string;
  /** Where the server under test sends users back: its `/api/auth/keycloak/callback` URLs. */
  redirectUris: string[];
  /** Where the provider may send users after logout: the server's `/sign-in` URLs. */
  postLogoutRedirectUris: string[];
  /** Login name → claims. */
  accounts: Record<string, LocalAccount>;
}

export interface LocalProvider {
  /** `http://127.0.0.1:<port>`: what KEYCLOAK_SERVER_URL is set to. */
  serverUrl: string;
  realm: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The environment a server needs to use this provider (with GITHUB_APP_CLIENT_ID for enterprise mode). */
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function startLocalProvider(options: LocalProviderOptions): Promise<LocalProvider> {
  const realm = options.realm ?? 'openhands';
  const clientId = options.clientId ?? 'openhands';
  const clientSecret = options.clientSecret ?? randomBytes(24).toString('base64url');
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const serverUrl = `http://127.0.0.1:${port}`;
  const mountPath = `/realms/${realm}`;
  const issuer = `${serverUrl}${mountPath}`;

  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: options.redirectUris,
        post_logout_redirect_uris: options.postLogoutRedirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'local-1', use: 'sig', alg: 'RS256' }] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    pkce: { required: () => true },
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    // Like Keycloak: the ID token carries the email claims, not only the userinfo endpoint.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
    async findAccount(_ctx: unknown, id: string) {
      const account = options.accounts[id];
      if (!account) return undefined;
      return {
        accountId: id,
        async claims() {
          return { sub: id, email: account.email, email_verified: account.emailVerified, name: account.name ?? id };
        },
      };
    },
    // A first-party client: no consent screen, as Keycloak does for a client with consent off.
    async loadExistingGrant(ctx: {
      oidc: {
        client: { clientId: string };
        session: { accountId: string; grantIdFor(clientId: string): string | undefined };
        provider: { Grant: GrantClass };
      };
    }) {
      const { client, session, provider: op } = ctx.oidc;
      const existing = session.grantIdFor(client.clientId);
      if (existing) return op.Grant.find(existing);
      const grant = new op.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
  });
  const handle = provider.callback();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '/';
    if (!url.startsWith(`${mountPath}/`) && url !== mountPath) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`Not a realm of this provider: ${url}`);
      return;
    }
    // Mounted like Express does: oidc-provider reads the mount path from originalUrl.
    (req as IncomingMessage & { originalUrl?: string }).originalUrl = url;
    req.url = url.slice(mountPath.length) || '/';
    handle(req, res);
  });

  return {
    serverUrl,
    realm,
    issuer,
    clientId,
    clientSecret,
    env: {
      KEYCLOAK_SERVER_URL: serverUrl,
      KEYCLOAK_REALM_NAME: realm,
      KEYCLOAK_CLIENT_ID: clientId,
      KEYCLOAK_CLIENT_SECRET: clientSecret,
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface GrantInstance {
  addOIDCScope(scope: string): void;
  save(): Promise<string>;
}
interface GrantClass {
  new (init: { clientId: string; accountId: string }): GrantInstance;
  find(id: string): Promise<GrantInstance | undefined>;
}
