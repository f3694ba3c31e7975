import pino, { type DestinationStream, type Logger } from 'pino';

/** Log paths that must never be written: credentials of users, admins and the vendor. */
export const REDACTED_LOG_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.serviceToken',
  '*.service_token',
  '*.publishableKey',
  '*.sessionSecret',
];

/** The process's one logger; the server and the telemetry engine write through it. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' } }, destination);
}
