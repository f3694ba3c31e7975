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
    request.log.error({ err: error }, 'request failed');
    return reply.code(500).send({ error: 'internal_error', message: 'Something went wrong on the server.' });
  });
}
