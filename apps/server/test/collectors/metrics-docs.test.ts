import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderMetricsDictionary } from '@openhands/telemetry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCollectors } from '../../src/telemetry/registry.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

function metricsDocs(...args: string[]) {
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--conditions=source', 'apps/server/src/cli/metrics-docs.ts', ...args],
    { cwd: ROOT, encoding: 'utf8' },
  );
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('the metrics dictionary', () => {
  it('docs/metrics.md is what the collectors declare', async () => {
    const expected = renderMetricsDictionary((await loadCollectors()).describe());
    expect(await readFile(join(ROOT, 'docs/metrics.md'), 'utf8')).toBe(expected);
  });

  it('lists every collector with each of its keys', async () => {
    const text = renderMetricsDictionary((await loadCollectors()).describe());
    for (const { name, metrics } of (await loadCollectors()).describe()) {
      expect(text).toContain(`## \`${name}\``);
      for (const { key } of metrics) expect(text).toContain(`| \`${key}\` `);
    }
  });

  describe('npm run docs:metrics', () => {
    let folder: string;
    beforeAll(async () => {
      folder = await mkdtemp(join(tmpdir(), 'oh-metrics-docs-'));
    });
    afterAll(async () => {
      await rm(folder, { recursive: true, force: true });
    });

    it('writes the file, and --check passes on it, then fails once it is stale', async () => {
      const output = join(folder, 'metrics.md');
      expect(metricsDocs('--check', '--output', output)).toMatchObject({ code: 1 });
      expect(metricsDocs('--check', '--output', output).stderr).toContain('is missing');

      const written = metricsDocs('--output', output);
      expect(written.code).toBe(0);
      expect(written.stdout).toMatch(/Wrote .*metrics\.md \(6 collectors, \d+ keys\)/);
      expect(metricsDocs('--check', '--output', output)).toMatchObject({ code: 0 });

      await writeFile(output, (await readFile(output, 'utf8')).replace('`total_users`', '`all_users`'));
      const stale = metricsDocs('--check', '--output', output);
      expect(stale.code).toBe(1);
      expect(stale.stderr).toContain('is stale');
      expect(stale.stderr).toContain('Run `npm run docs:metrics` and commit the result.');
    }, 60_000);
  });
});
