import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { AdminApi, CannotTell } from './admin-api.js';
import type { CommandContext } from './commands.js';
import * as commands from './commands.js';
import { EXIT, type ExitCode } from './exit-codes.js';

export interface CliIo {
  env: Readonly<Record<string, string | undefined>>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  now?: () => Date;
}

const DEFAULT_URL = 'http://localhost:3000';

function positiveInteger(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0)
    throw new InvalidArgumentError('a whole number of milliseconds, such as 10000');
  return value;
}

/**
 * `openhands-telemetry <command>`: the admin API of a running server from a terminal or a
 * pipeline. Resolves with the exit code instead of exiting, so tests run it in-process.
 */
export async function runTelemetryCli(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  let exitCode: ExitCode = EXIT.healthy;
  const program = new Command()
    .name('openhands-telemetry')
    .description(
      'Usage telemetry of a running OpenHands server: status, the next payload, collect and upload now, export, and a doctor.\n' +
        'Authenticates with TELEMETRY_ADMIN_TOKEN. Exit codes: 0 healthy, 1 needs attention, 2 cannot tell.',
    )
    .addOption(new Option('--url <url>', 'the server').env('OPENHANDS_URL').default(DEFAULT_URL))
    .option('--json', 'print JSON for scripts instead of text', false)
    .addOption(
      new Option('--timeout <ms>', 'give up on a request after this long').argParser(positiveInteger).default(15_000),
    )
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError();
  // Commander reads `.env()` defaults from process.env; the CLI's env is given, so apply it by hand.
  const context = (): CommandContext => {
    const options = program.opts<{ url: string; json: boolean; timeout: number }>();
    const url = program.getOptionValueSource('url') === 'cli' ? options.url : io.env['OPENHANDS_URL'] || DEFAULT_URL;
    return {
      api: new AdminApi({
        baseUrl: url,
        token: io.env['TELEMETRY_ADMIN_TOKEN'] || undefined,
        timeoutMs: options.timeout,
      }),
      json: options.json,
      env: io.env,
      now: io.now ?? (() => new Date()),
      print: (text) => io.stdout(`${text}\n`),
      note: (text) => io.stderr(`${text}\n`),
    };
  };
  const action = (run: (ctx: CommandContext) => Promise<ExitCode>) => async () => {
    exitCode = await run(context());
  };

  program
    .command('status')
    .description('the diagnosis and the facts of the admin page; exit 1 when something needs attention')
    .action(action(commands.status));
  program.command('preview').description('exactly what the next upload sends').action(action(commands.preview));
  program
    .command('collect')
    .description('collect a batch now; exit 1 when a collector failed')
    .action(action(commands.collect));
  program
    .command('upload')
    .description('run an upload cycle now; exit 1 unless the vendor took it')
    .action(action(commands.upload));
  program
    .command('export')
    .description('the payload file for an air-gapped install (to stdout, or --output)')
    .option('-o, --output <file>', 'write it to this file instead of stdout')
    .action(async (options: { output?: string }) => {
      exitCode = await commands.exportPayload(context(), options.output);
    });
  program
    .command('doctor')
    .description("why uploads fail: the server's checks of its own egress, the sender, the batches and the license")
    .option('--here', 'also run the network checks from this machine (its proxy variables and CA bundle)', false)
    .option(
      '--endpoint <url>',
      'the vendor endpoint for --here when the server cannot be asked (default https://replicated.app)',
    )
    .option(
      '--ca <file>',
      "with --here: trust only the CAs in this PEM file, e.g. to try your proxy's CA before putting it in extraCaCertificates",
    )
    .action(async (options: { here: boolean; endpoint?: string; ca?: string }) => {
      const ctx = context();
      exitCode = await commands.doctor(ctx, {
        here: options.here,
        endpoint: options.endpoint,
        caFile: options.ca,
        timeoutMs: Math.min(program.opts<{ timeout: number }>().timeout, 10_000),
        requestTimeoutMs: program.opts<{ timeout: number }>().timeout,
      });
    });

  try {
    if (argv.length === 0) {
      program.outputHelp();
      return EXIT.cannotTell;
    }
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end the run without a failure; a usage error is "cannot tell".
      return error.exitCode === 0 ? EXIT.healthy : EXIT.cannotTell;
    }
    if (error instanceof CannotTell) {
      const json = program.opts<{ json: boolean }>().json;
      if (json)
        io.stdout(
          `${JSON.stringify({ exitCode: EXIT.cannotTell, error: { code: error.code, message: error.message } }, null, 2)}\n`,
        );
      else io.stderr(`openhands-telemetry: ${error.message}\n`);
      return EXIT.cannotTell;
    }
    io.stderr(`openhands-telemetry: unexpected failure: ${(error as Error).stack ?? String(error)}\n`);
    return EXIT.cannotTell;
  }
}
