#!/usr/bin/env node
import { Command, InvalidArgumentError } from 'commander';
import { startEmulator } from './server.js';

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new InvalidArgumentError('Give a port number from 0 to 65535 (0 picks a free one).');
  }
  return port;
}

const program = new Command('replicated-emulator')
  .description('A local Replicated vendor API for development, tests and the demo.')
  .option('--port <port>', 'port to listen on', parsePort, 8787)
  .option('--host <host>', 'address to listen on', '127.0.0.1')
  .parse();

const { port, host } = program.opts<{ port: number; host: string }>();
const emulator = await startEmulator({ port, host }).catch((error: unknown) => {
  const reason =
    (error as NodeJS.ErrnoException).code === 'EADDRINUSE'
      ? 'the port is in use; pick another with --port'
      : String(error);
  console.error(`Replicated emulator could not start on ${host}:${port}: ${reason}`);
  process.exit(1);
});

let stopping = false;
const stop = (signal: NodeJS.Signals): void => {
  if (stopping) return;
  stopping = true;
  console.log(`Replicated emulator stopping (${signal})`);
  void emulator.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

// Printed last: whoever waits for this line can signal the process right away.
console.log(`Replicated emulator listening on ${emulator.url}`);
console.log(`  page:  ${emulator.url}/`);
console.log(`  state: ${emulator.url}/_emulator/state`);
