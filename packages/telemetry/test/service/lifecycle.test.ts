import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './support/harness.js';

describe('the service lifecycle (embedded database)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness('pglite', { clientTimeoutMs: 30_000 });
  });
  afterEach(async () => {
    await h.close();
  });

  it('treats a second start as a no-op', async () => {
    const service = h.newService();
    const leaders = h.events(service, 'leader:acquired');
    await service.start();
    await service.start();
    await h.advance(0);
    expect(leaders).toHaveLength(1);
    expect(h.clock.pending).toBe(1); // one loop, one timer
  });

  it('stops promptly during a hung request, keeping its batch pending, and starts again', async () => {
    const service = h.newService();
    h.emulator.injectFaults({ kind: 'hang', path: '/application/custom-metrics' });
    await service.start();
    h.clock.advance(0); // fires the first check; it hangs at the vendor (30 s timeout)
    for (
      let i = 0;
      i < 200 && !h.emulator.state().requests.some((r) => r.path === '/application/custom-metrics');
      i++
    ) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const started = performance.now();
    await service.stop();
    expect(performance.now() - started).toBeLessThan(2000);
    const { rows } = await h.db.query<{ pending: number; claimed: number; attempts: number }>(
      `SELECT count(*) FILTER (WHERE uploaded_at IS NULL)::int AS pending,
              count(*) FILTER (WHERE claimed_by IS NOT NULL)::int AS claimed,
              coalesce(max(upload_attempts), 0)::int AS attempts FROM telemetry_metrics`,
    );
    expect(rows[0]).toEqual({ pending: 1, claimed: 0, attempts: 0 }); // aborted is not a failed attempt
    expect(h.clock.pending).toBe(0);

    const cycles = h.events(service, 'upload:cycle');
    await service.start();
    await h.advance(0);
    expect(cycles).toMatchObject([{ report: { outcome: 'uploaded' } }]);
  });

  it('never lets a failing check stop the loop', async () => {
    const service = h.newService();
    await service.start();
    await h.advance(0);
    await h.db.query('ALTER TABLE telemetry_metrics RENAME TO telemetry_metrics_gone');
    await h.advance(4 * 3_600_000); // checks fail hourly... and keep being scheduled
    expect(h.clock.pending).toBe(1);
    expect(h.logger.lines.some((l) => l.includes('telemetry check failed'))).toBe(true);
    await h.db.query('ALTER TABLE telemetry_metrics_gone RENAME TO telemetry_metrics');
    const collected = h.events(service, 'batch:collected');
    await h.advance(8 * 86_400_000);
    expect(collected.length).toBeGreaterThan(0);
  });

  it('logs that telemetry is active, where it sends and where the metrics are listed, and never a full email or token', async () => {
    h.admin.email = 'secret.admin@acme.example';
    const service = h.newService();
    await service.start();
    await h.advance(0);
    h.emulator.injectFaults({ kind: 'status', status: 500 });
    await h.advance(8 * 86_400_000);
    const log = h.logger.lines.join('\n');
    expect(log).toContain(`Telemetry is active`);
    expect(log).toContain(h.emulator.url);
    expect(log).toContain('docs/metrics.md');
    expect(log).toContain('s***@acme.example');
    expect(log).not.toContain('secret.admin@acme.example');
    const { rows } = await h.db.query<{ service_token: string }>('SELECT service_token FROM telemetry_identity');
    expect(rows[0]?.service_token).toBeTruthy();
    expect(log).not.toContain(rows[0]!.service_token);
  });
});
