import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startServer } from './support/server.js';

// The browser tests stand on this starter; when a server cannot start, the failure must say why.
describe('server starter', () => {
  it('starts the built server on a fresh embedded database and stops it with SIGTERM', async () => {
    const server = await startServer();
    expect(server.dataDir).not.toBeNull();
    expect(existsSync(server.dataDir!)).toBe(true);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);

    await server.stop();
    await expect(fetch(`${server.url}/readyz`)).rejects.toThrow();
    expect(existsSync(server.dataDir!)).toBe(false);
  });

  it("fails with the server's own output when the server cannot start", async () => {
    const failure = startServer({ env: { PORT: 'not-a-port' } });

    await expect(failure).rejects.toThrow(/exited \(code 1\) before it was ready\. Its output:\n.*PORT/s);
  });
});
