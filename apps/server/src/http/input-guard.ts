import type { FastifyInstance } from 'fastify';
import { HttpError } from './errors.js';

/**
 * Two things no route can want, checked once for every route. A NUL in a string: PostgreSQL
 * cannot store one in text and answers an error, which would otherwise be a 500. A number that is not finite (`?limit=1e309`, or `1e309` in JSON,
 * both read as Infinity, which JSON Schema's `integer` and `maximum` let through): checked after
 * the schema has coerced the query.
 */
export function installInputGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const where =
      findNul(request.query, 'querystring') ?? findNul(request.body, 'body') ?? findNul(request.params, 'params');
    if (where) throw new HttpError(400, 'invalid_request', `${where} contains a NUL character, which is not allowed.`);
  });
  app.addHook('preHandler', async (request) => {
    const where = findInfinite(request.query, 'querystring') ?? findInfinite(request.body, 'body');
    if (where) throw new HttpError(400, 'invalid_request', `${where} must be a finite number.`);
  });
}

function findInfinite(value: unknown, path: string, depth = 0): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : path;
  if (depth > 20 || value === null || typeof value !== 'object') return undefined;
  for (const [key, item] of Object.entries(value)) {
    const found = findInfinite(item, Array.isArray(value) ? `${path}[${key}]` : `${path}/${key}`, depth + 1);
    if (found) return found;
  }
  return undefined;
}

function findNul(value: unknown, path: string, depth = 0): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined;
  if (depth > 20 || value === null || typeof value !== 'object') return undefined;
  for (const [key, item] of Object.entries(value)) {
    if (key.includes('\u0000')) return `${path} key`;
    const found = findNul(item, Array.isArray(value) ? `${path}[${key}]` : `${path}/${key}`, depth + 1);
    if (found) return found;
  }
  return undefined;
}
