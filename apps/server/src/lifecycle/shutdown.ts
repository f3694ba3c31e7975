import type { FastifyBaseLogger } from 'fastify';

export interface ShutdownOptions {
  /** Stops taking requests and closes what the server holds (in order). */
  close: () => Promise<void>;
  log: FastifyBaseLogger;
  /** A shutdown that takes longer than this is cut short. Default 15 000 ms. */
  timeoutMs?: number;
  exit?: (code: number) => void;
}

/**
 * SIGTERM (Kubernetes) and SIGINT (Ctrl-C) stop the server gracefully: no new requests, in-flight
 * ones finish, the telemetry service stops, the database closes and its folder lock is released,
 * then exit 0. A second signal, or a shutdown that hangs, exits at once with 1.
 */
export function closeOnSignals(options: ShutdownOptions): void {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) {
      options.log.warn({ signal }, 'second signal during shutdown: exiting now');
      exit(1);
      return;
    }
    closing = true;
    options.log.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      options.log.error('shutdown did not finish in time: exiting');
      exit(1);
    }, options.timeoutMs ?? 15_000);
    timer.unref();
    options.close().then(
      () => {
        options.log.info('shut down cleanly');
        exit(0);
      },
      (error: unknown) => {
        options.log.error({ err: error }, 'shutdown failed');
        exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
