#!/usr/bin/env node
// Puts the vendor's publishable key into a release build (DECISIONS §5). The image build runs it
// before `npm run build`, with the key from a build secret:
//
//   node packages/telemetry/scripts/write-release-key.mjs /run/secrets/replicated_publishable_key
//
// It rewrites packages/telemetry/src/config/release-key.ts, which the build then compiles in: no
// setting read at run time can change the key. It refuses (exit 1, one line saying why) a missing
// or empty key, the source's placeholder, and anything that is not a publishable key, so a
// release build cannot come out without the vendor's key. `--out <file>` writes elsewhere (tests).
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PLACEHOLDER = 'replicated_pk_openhands_enterprise_placeholder';
const KEY_PATTERN = /^replicated_pk_[A-Za-z0-9_-]{8,200}$/;

function fail(message) {
  process.stderr.write(`write-release-key: ${message}\n`);
  process.exit(1);
}

const args = process.argv.slice(2);
const outAt = args.indexOf('--out');
const out =
  outAt >= 0 ? args.splice(outAt, 2)[1] : join(dirname(fileURLToPath(import.meta.url)), '../src/config/release-key.ts');
if (!out) fail('--out needs a file path.');
const source = args[0];
if (!source) {
  fail(
    'no key given. Build the image with the vendor publishable key as a build secret: ' +
      'docker build --secret id=replicated_publishable_key,env=REPLICATED_PUBLISHABLE_KEY .',
  );
}
let key;
try {
  key = readFileSync(source, 'utf8').trim();
} catch (error) {
  fail(
    `cannot read the key from ${source} (${error.code ?? error.message}): pass the build secret replicated_publishable_key.`,
  );
}
if (key.length === 0) fail(`the key in ${source} is empty: pass the vendor's publishable key (replicated_pk_...).`);
if (key === PLACEHOLDER) fail("that is the source build's placeholder, not the vendor's publishable key.");
if (!KEY_PATTERN.test(key)) {
  fail('that is not a publishable key: it must be replicated_pk_ followed by letters, digits, _ or - (one line).');
}
writeFileSync(
  out,
  `/**
 * The vendor's publishable key of this release build, written by scripts/write-release-key.mjs
 * during the image build. A source checkout has null here (DECISIONS §5).
 */
export const RELEASE_PUBLISHABLE_KEY: string | null = ${JSON.stringify(key)};
`,
);
process.stdout.write(`write-release-key: the release key (${key.slice(0, 18)}…) is built into ${out}\n`);
