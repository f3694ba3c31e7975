/**
 * `npm run docs:metrics [-- --check] [-- --output <file>]`: writes the metrics dictionary,
 * `docs/metrics.md`, from the collectors' declarations; with `--check`, exits 1 when the file
 * on disk differs from what the collectors declare (CI runs that).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { renderMetricsDictionary } from '@openhands/telemetry';
import { loadCollectors } from '../telemetry/registry.js';

const DEFAULT_OUTPUT = fileURLToPath(new URL('../../../../docs/metrics.md', import.meta.url));

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { check: { type: 'boolean', default: false }, output: { type: 'string', default: DEFAULT_OUTPUT } },
  });
  const output = values.output;
  const shown = relative(process.cwd(), output) || output;

  const registry = await loadCollectors();
  const failures = registry.registrationErrors();
  if (failures.length > 0) {
    for (const failure of failures) console.error(`${failure.code}: ${failure.message}`);
    console.error(`${shown} was not touched: fix the collectors above first, so that the dictionary is complete.`);
    return 1;
  }
  const collectors = registry.describe();
  const expected = renderMetricsDictionary(collectors);
  const keys = collectors.reduce((sum, { metrics }) => sum + metrics.length, 0);

  if (values.check) {
    const actual = await readFile(output, 'utf8').catch(() => undefined);
    if (actual === expected) {
      console.log(`${shown} is current (${collectors.length} collectors, ${keys} keys).`);
      return 0;
    }
    console.error(
      `${shown} is ${actual === undefined ? 'missing' : 'stale'}: the collectors declare other metrics than it lists. ` +
        'Run `npm run docs:metrics` and commit the result.',
    );
    return 1;
  }
  await writeFile(output, expected);
  console.log(`Wrote ${shown} (${collectors.length} collectors, ${keys} keys).`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
