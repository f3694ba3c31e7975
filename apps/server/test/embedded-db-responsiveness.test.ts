import { createWorkerTestDb } from '@openhands/db/testing';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { loadServerConfig } from '../src/config/server-config.js';
import { createHostEvents, type ServerContext } from '../src/context.js';
import { createLogger } from '../src/http/logger.js';
import { allMigrations } from '../src/migrations.js';

/**
 * The embedded database runs in a worker thread: a slow query there must not hold up the server.
 * The server listens on a real port; /healthz is asked over HTTP, one request after another,
 * for as long as a query that occupies the database runs.
 */
describe('the server while the embedded database is busy', () => {
  it('answers /healthz within 50 ms during a slow query', async () => {
    const db = await createWorkerTestDb(allMigrations);
    const env = { LOG_LEVEL: 'silent', OPENHANDS_WEB_DIR: '/nonexistent' };
    const ctx: ServerContext = {
      db,
      env,
      config: loadServerConfig(env, '1.2.3'),
      now: () => new Date(),
      events: createHostEvents(),
    };
    const app = await buildApp(ctx, { logger: createLogger('silent'), plugins: [] });
    try {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const address = app.server.address();
      const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/healthz`;
      await fetch(url); // the first request sets up the connection

      let slowDone = false;
      const started = performance.now();
      const slow = db.query('SELECT pg_sleep(1.5)').then(() => {
        slowDone = true;
      });
      const latenciesMs: number[] = [];
      while (!slowDone) {
        const sent = performance.now();
        const response = await fetch(url);
        expect(await response.json()).toEqual({ status: 'ok' });
        if (!slowDone) latenciesMs.push(performance.now() - sent);
      }
      await slow;
      const slowMs = performance.now() - started;
      latenciesMs.sort((a, b) => a - b);
      const median = latenciesMs[Math.floor(latenciesMs.length / 2)]!;
      const p90 = latenciesMs[Math.floor(latenciesMs.length * 0.9)]!;
      console.log(
        `/healthz during a ${slowMs.toFixed(0)} ms query: ${latenciesMs.length} answers, median ${median.toFixed(1)} ms, p90 ${p90.toFixed(1)} ms, max ${latenciesMs.at(-1)?.toFixed(1)} ms`,
      );
      // Many answers while the database was busy, typically within the 50 ms. The median
      // decides: on a CI machine shared with other jobs a few answers wait for a CPU, not for us.
      // (With PGlite in the server's thread there would be one answer, after the whole query.)
      expect(slowMs).toBeGreaterThan(1400);
      expect(latenciesMs.length).toBeGreaterThan(10);
      expect(median).toBeLessThan(50);
    } finally {
      await app.close();
      await db.close();
    }
  }, 120_000);
});
