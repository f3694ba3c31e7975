import type { FastifyError, FastifyInstance } from 'fastify';

/**
 * An answer to a bad request: its status, a stable code for programs and a sentence for people.
 * Every error the API returns has the shape `{ error, message }`.
 */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const unauthenticated = () => new HttpError(401, 'unauthenticated', 'Sign in first.');
export const termsRequired = () =>
  new HttpError(403, 'tos_required', 'Accept the Terms of Service before using OpenHands Enterprise.');
export const adminOnly = () => new HttpError(403, 'admin_only', 'Only the administrator may do this.');

// Fastify's own client errors, renamed for API users.
const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_BODY_TOO_LARGE: 'body_too_large',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_request',
};

// What a client should wait before trying again when the database is away (a restart, a failover).
const RETRY_AFTER_S = 5;

// Connection-level failures of pg and PGlite: the database is away, not the request wrong.
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'EPIPE',
  'EAI_AGAIN',
]);
const UNAVAILABLE_MESSAGE =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|PGlite is closed|database is closed|Cannot use a pool after calling end/i;

/** Whether an error means the database cannot be reached right now (503), rather than a bug (500). */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (typeof code === 'string') {
      // SQLSTATE class 08 (connection exception), 57P01-57P03 (shutting down), 53300 (too many connections)
      if (NETWORK_CODES.has(code) || /^08/.test(code) || /^57P0[123]$/.test(code) || code === '53300') return true;
      if (code === 'DB_ERR_UNREACHABLE') return true;
    }
    if (typeof message === 'string' && UNAVAILABLE_MESSAGE.test(message)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** Client mistakes answer 4xx with a message; only our own faults answer 500, and are logged. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | HttpError, request, reply) => {
    if (error instanceof HttpError) {
      return reply.code(error.statusCode).send({ error: error.code, message: error.message });
    }
    if (error.validation) {
      const where = error.validationContext ?? 'request';
      return reply
        .code(400)
        .send({ error: 'invalid_request', message: `${where}${error.message.replace(/^\S+/, '')}` });
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      // Plugins (the telemetry engine) speak our dialect: a snake_case code of their own.
      const code = FASTIFY_CODES[error.code] ?? (/^[a-z_]+$/.test(error.code ?? '') ? error.code : 'invalid_request');
      return reply.code(error.statusCode).send({ error: code, message: error.message });
    }
    if (isDatabaseUnavailable(error)) {
      request.log.error({ err: error }, 'the database is unavailable');
      return reply
        .code(503)
        .header('retry-after', String(RETRY_AFTER_S))
        .send({ error: 'database_unavailable', message: 'The database is not answering; try again in a few seconds.' });
    }
    request.log.error({ err: error }, 'request failed');
    return reply.code(500).send({ error: 'internal_error', message: 'Something went wrong on the server.' });
  });
}
