import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, test } from 'vitest';
import { startEmulator } from '../src/emulator/index.js';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CLI = fileURLToPath(new URL('../src/emulator/cli.ts', import.meta.url));

let child: ChildProcessWithoutNullStreams | undefined;

afterEach(() => {
  if (child?.exitCode === null) child.kill('SIGKILL');
  child = undefined;
});

/** Runs the CLI the way `npm run emulator` does (tsx with the source condition), without npm in between. */
function runCli(args: string[]) {
  const process_ = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', CLI, ...args], {
    cwd: REPO_ROOT,
  });
  child = process_;
  let stdout = '';
  let stderr = '';
  process_.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  process_.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => process_.on('exit', (code) => resolve(code)));
  const printed = (pattern: RegExp) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const check = () => {
        const match = pattern.exec(stdout);
        if (match) resolve(match);
      };
      process_.stdout.on('data', check);
      process_.on('exit', () => reject(new Error(`exited before printing ${pattern}: ${stdout}${stderr}`)));
      check();
    });
  return { process: process_, exited, printed, output: () => ({ stdout, stderr }) };
}

test('prints where it listens, serves, and stops cleanly on SIGTERM', async () => {
  const cli = runCli(['--port', '0']);
  const [, url] = await cli.printed(/Replicated emulator listening on (http:\/\/127\.0\.0\.1:\d+)\n/);
  await cli.printed(/state: .*\/_emulator\/state/);

  const state = await fetch(`${url}/_emulator/state`);
  expect(state.status).toBe(200);
  expect(cli.output().stdout).toContain(`page:  ${url}/`);

  cli.process.kill('SIGTERM');
  expect(await cli.exited).toBe(0);
  expect(cli.output().stdout).toContain('stopping (SIGTERM)');
});

test('stops on SIGINT too', async () => {
  const cli = runCli(['--port', '0', '--host', '127.0.0.1']);
  await cli.printed(/listening on/);

  cli.process.kill('SIGINT');
  expect(await cli.exited).toBe(0);
});

test('refuses a port that is not a number, saying what to give', async () => {
  const cli = runCli(['--port', 'eighty']);

  expect(await cli.exited).not.toBe(0);
  expect(cli.output().stderr).toContain('Give a port number from 0 to 65535');
});

test('says so when the port is taken', async () => {
  const occupant = await startEmulator();
  const cli = runCli(['--port', new URL(occupant.url).port]);

  expect(await cli.exited).toBe(1);
  expect(cli.output().stderr).toContain('the port is in use; pick another with --port');
  await occupant.close();
});
