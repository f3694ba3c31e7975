/**
 * The logging the engine needs: a pino-compatible subset, so that a Fastify host passes
 * `app.log.child({ component: 'telemetry' })` and anything else passes an adapter.
 */
export interface Logger {
  debug(obj: object | string, msg?: string): void;
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * `a***@example.com`. Logs never carry a full email address (DECISIONS §4): enough for an
 * operator to recognise the admin, not enough to leak it.
 */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${email[0]}***${email.slice(at)}`;
}
