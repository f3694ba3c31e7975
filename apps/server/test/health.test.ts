import { TEST_BACKENDS } from '@openhands/db/testing';
import { describe, expect, it } from 'vitest';
import { createTestApp } from './support/test-app.js';

describe.each(TEST_BACKENDS)('health probes on %s', (kind) => {
  it('answers /healthz and /readyz when the database is migrated, and 503 when it is gone', async () => {
    const t = await createTestApp(kind);
    try {
      expect((await t.app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
      expect((await t.app.inject({ url: '/readyz' })).json()).toEqual({ status: 'ready' });
      await t.db.query('DELETE FROM schema_migrations WHERE component = $1', ['host']);
      // Once ready, migrations cannot go backwards in a live process: readiness is about the database now.
      await t.db.close();
      const gone = await t.app.inject({ url: '/readyz' });
      expect(gone.statusCode).toBe(503);
      expect(gone.json().reason).toMatch(/database unreachable/);
      await t.app.close();
    } catch (error) {
      await t.close().catch(() => undefined);
      throw error;
    }
  });

  it('is not ready before the migrations are applied', async () => {
    const t = await createTestApp(kind);
    try {
      await t.db.query('DELETE FROM schema_migrations WHERE component = $1', ['telemetry']);
      const response = await t.app.inject({ url: '/readyz' });
      expect(response.statusCode).toBe(503);
      expect(response.json().reason).toMatch(/migrations/);
    } finally {
      await t.close();
    }
  });
});
