import { Writable } from 'node:stream';
import { createTestDb } from '@openhands/db/testing';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { loadServerConfig } from '../src/config/server-config.js';
import { createHostEvents, type ServerContext } from '../src/context.js';
import { createLogger } from '../src/http/logger.js';
import { allMigrations } from '../src/migrations.js';
import { createTelemetryWiring } from '../src/telemetry/telemetry.js';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, log: createLogger('info', stream) };
}

describe('telemetry inside the server', () => {
  it('starts with the server, says so, stops with it, and a failure to start never stops the server', async () => {
    const db = await createTestDb('pglite', allMigrations);
    const env = { TELEMETRY_UPLOAD_INTERVAL_HOURS: 'daily', REPLICATED_API_URL: 'http://127.0.0.1:9' };
    const config = loadServerConfig({ ...env, OPENHANDS_WEB_DIR: '/nonexistent' }, '1.0.0');
    const ctx: ServerContext = { db, env, config, now: () => new Date(), events: createHostEvents() };
    const { lines, log } = capture();
    try {
      const telemetry = await createTelemetryWiring(ctx, { log, startedAt: new Date() });
      const app = await buildApp(ctx, { logger: log, plugins: [telemetry.plugin] });
      await app.ready();
      expect(telemetry.sender.isRunning).toBe(true);
      const text = lines.join('');
      expect(text).toContain('Telemetry is active');
      expect(text).toContain('docs/metrics.md');
      // A bad interval is logged by name and value; the default is used and the server runs.
      expect(text).toContain('ignoring TELEMETRY_UPLOAD_INTERVAL_HOURS=\\"daily\\"');
      expect(telemetry.settings.uploadIntervalHours).toBe(24);
      await app.close();
      expect(telemetry.sender.isRunning).toBe(false);

      const broken = await createTelemetryWiring(ctx, { log, startedAt: new Date() });
      broken.sender.start = async () => {
        throw new Error('the engine would not start');
      };
      const survivor = await buildApp(ctx, { logger: log, plugins: [broken.plugin] });
      await survivor.ready();
      expect((await survivor.inject({ url: '/healthz' })).statusCode).toBe(200);
      expect(lines.join('')).toContain('telemetry did not start; the server runs on without it');
      await survivor.close();
    } finally {
      await db.close();
    }
  });
});
