#!/usr/bin/env node
// The `openhands-telemetry` command (a bin of @openhands/server): `npx openhands-telemetry --help`.
import { runTelemetryCli } from './program.js';

const code = await runTelemetryCli(process.argv.slice(2), {
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
process.exitCode = code;
