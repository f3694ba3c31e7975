#!/usr/bin/env node
// `npm test`: every check and every test, on a fresh machine too. It provisions what the tests
// need when it is missing (a throwaway PostgreSQL, Debian's chromium, the helm binary), runs
// lint, the type check, the build, the metrics dictionary check and vitest, then prints the
// plain `N passed, N failed, N skipped` line that CI reads.
//
//   npm test                        everything
//   npm test -- --no-checks <filter> only vitest, with vitest's filters (for a quick loop)
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { ensureChromium } from './provision/chromium.mjs';
import { ensureHelm } from './provision/helm.mjs';
import { ensureTestPostgres } from './provision/postgres.mjs';

const args = process.argv.slice(2);
const quick = args.includes('--no-checks');
const vitestArgs = args.filter((arg) => arg !== '--no-checks');

function step(title, command, commandArgs, env = process.env) {
  console.log(`\n▶ ${title}`);
  const started = Date.now();
  const result = spawnSync(command, commandArgs, { stdio: 'inherit', env });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`✖ ${title} failed after ${seconds} s (exit ${result.status})`);
    return false;
  }
  console.log(`✔ ${title} (${seconds} s)`);
  return true;
}

let ok = true;
if (!quick) {
  ok = step('lint and format (biome)', 'npx', ['biome', 'ci', '.']) && ok;
  ok = step('build (tsc -b, vite build)', 'npm', ['run', 'build', '--silent']) && ok;
  ok = step('type check of the tests', 'npx', ['tsc', '-p', 'tsconfig.tests.json']) && ok;
  // vite build does not type-check: the UI gets its own pass.
  ok = step('type check of the UI', 'npx', ['tsc', '-p', 'apps/web']) && ok;
  ok = step('docs/metrics.md is current', 'npm', ['run', 'docs:metrics', '--silent', '--', '--check']) && ok;
}

const postgres = await ensureTestPostgres();
const env = {
  ...process.env,
  TEST_DATABASE_URL: postgres.url,
  CHROMIUM_PATH: ensureChromium(),
  HELM_BIN: ensureHelm(),
};

const report = '.cache/vitest-report.json';
mkdirSync('.cache', { recursive: true });
rmSync(report, { force: true });
const vitestOk = step(
  'tests (vitest)',
  'npx',
  ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...vitestArgs],
  env,
);
await postgres.stop();

let passed = 0;
let failed = 0;
let skipped = 0;
try {
  const json = JSON.parse(readFileSync(report, 'utf8'));
  passed = json.numPassedTests;
  failed = json.numFailedTests;
  skipped = json.numPendingTests + json.numTodoTests;
  // A file that fails to load has no tests to count: count it as a failure.
  failed += json.testResults.filter((file) => file.status === 'failed' && file.assertionResults.length === 0).length;
} catch {
  failed += 1;
  console.error('✖ vitest wrote no report');
}
if (!ok) console.error('✖ a check before the tests failed (see above)');
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(ok && vitestOk && failed === 0 ? 0 : 1);
