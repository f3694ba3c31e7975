/**
 * `npm run demo`: the whole flow with no configuration. Starts a local Replicated emulator, a local
 * OpenID provider shaped like a Keycloak realm, and the built server wired to both, on a fresh
 * embedded database, as an OpenHands Enterprise install.
 * Sign in, accept the Terms, and watch the emulator's page receive the customer, the metrics and
 * the check-in within seconds.
 */
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { startEmulator } from '@openhands/replicated/emulator';
import { startLocalProvider } from './oidc/local-provider.js';

const port = Number(process.env.PORT ?? 3000);
const emulatorPort = Number(process.env.EMULATOR_PORT ?? 8787);
const dataDir = resolve(process.env.OPENHANDS_DATA_DIR ?? '.data/demo');
const main = resolve('apps/server/dist/main.js');

if (!existsSync(main)) {
  console.error('demo: the server is not built; run `npm run build` first (npm run demo does).');
  process.exit(1);
}
// A fresh installation each time: the emulator forgets everything when it stops, so should we.
rmSync(dataDir, { recursive: true, force: true });

const emulator = await startEmulator({ port: emulatorPort });
// A real OpenID provider standing in for the customer's Keycloak realm (issuer .../realms/openhands).
const appUrls = [`http://localhost:${port}`, `http://127.0.0.1:${port}`];
const keycloak = await startLocalProvider({
  port: Number(process.env.KEYCLOAK_PORT ?? 8180),
  redirectUris: appUrls.map((url) => `${url}/api/auth/keycloak/callback`),
  postLogoutRedirectUris: appUrls.map((url) => `${url}/sign-in`),
  accounts: {
    admin: { email: 'admin@acme.example', emailVerified: true, name: 'Ada Admin' },
    dev: { email: 'dev@acme.example', emailVerified: true, name: 'Dan Developer' },
    unverified: { email: 'new.hire@acme.example', emailVerified: false, name: 'Nia New' },
  },
});
const server = spawn(process.execPath, [main], {
  stdio: ['ignore', 'inherit', 'inherit'],
  env: {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    OPENHANDS_DATA_DIR: dataDir,
    REPLICATED_API_URL: emulator.url,
    // Demo values: they make this an OpenHands Enterprise install, so the license warning applies.
    GITHUB_APP_CLIENT_ID: 'demo-github-app',
    ...keycloak.env,
  },
});

console.log(`
  OpenHands Enterprise demo
  ─────────────────────────
  1. Open http://localhost:${port} and sign in with Keycloak (${keycloak.issuer}):
     login "admin" (verified email admin@acme.example), "dev", or "unverified"; any password.
  2. Accept the Terms of Service: you are the first user, so your email becomes the admin email.
  3. Watch ${emulator.url}/ receive the customer, the metrics and the check-in within seconds.
  4. As that user, open http://localhost:${port}/admin/telemetry to see exactly what was sent.
  Ctrl-C stops all three.
`);

let stopping = false;
const stop = async (code: number) => {
  if (stopping) return;
  stopping = true;
  server.kill('SIGTERM');
  await new Promise((done) => server.once('exit', done));
  await emulator.close();
  await keycloak.close();
  process.exit(code);
};
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
server.on('exit', (code) => {
  if (!stopping) {
    console.error(`demo: the server exited (${code}); stopping the emulator and the OpenID provider.`);
    void Promise.all([emulator.close(), keycloak.close()]).then(() => process.exit(code ?? 1));
  }
});
