import { ConfigError } from '../config/errors.js';

/** Turns the socket errors of `listen()` into the one-line answer an operator can act on. */
export function describeListenError(error: unknown, host: string, port: number): Error {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'EADDRINUSE':
      return new ConfigError(
        `PORT: ${port} is already in use on ${host}. Stop the process listening there, or set PORT to a free port.`,
      );
    case 'EACCES':
      return new ConfigError(
        `PORT: this user may not listen on ${port}; ports below 1024 need privileges. Choose a port above 1023.`,
      );
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return new ConfigError(`HOST: ${host} is not an address of this machine. Use 0.0.0.0 to listen on all of them.`);
    default:
      return error as Error;
  }
}
