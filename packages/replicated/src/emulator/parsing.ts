import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { METRIC_KEY_PATTERN } from '../protocol.js';

// Reading the parts of a vendor request (headers, JSON objects, metric values, tag data), kept apart
// from the rules in vendor.ts so that those read as the protocol, not as parsing.

export function metricProblem(data: Record<string, unknown>): string | undefined {
  const entries = Object.entries(data);
  if (entries.length === 0) return 'data must not be empty.';
  for (const [key, value] of entries) {
    if (!METRIC_KEY_PATTERN.test(key))
      return `Metric key ${JSON.stringify(key)} must be letters, digits or underscores.`;
    const ok =
      typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
    if (!ok) return `Metric ${JSON.stringify(key)} must be a string, a number or a boolean, not ${kindOf(value)}.`;
  }
  return undefined;
}

export function decodeTagData(
  encoded: string | undefined,
): { force: boolean; name: string | null; tags: Record<string, string> } | undefined {
  if (encoded === undefined) return { force: false, name: null, tags: {} };
  try {
    const parsed = asObject(JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')));
    const tags = parsed?.['tags'] === undefined ? {} : asObject(parsed['tags']);
    const force = parsed?.['force'] ?? false;
    const name = tags?.['name'] ?? null;
    if (parsed === undefined || tags === undefined || typeof force !== 'boolean') return undefined;
    if (name !== null && typeof name !== 'string') return undefined;
    const others = Object.entries(tags ?? {}).filter(([key]) => key !== 'name');
    if (others.some(([, value]) => typeof value !== 'string')) return undefined;
    return { force, name, tags: Object.fromEntries(others) as Record<string, string> };
  } catch {
    return undefined;
  }
}

export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  const text = Array.isArray(value) ? value[0] : value;
  return text === undefined || text === '' ? undefined : text;
}

export function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

export function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Base62 like the vendor's KSUID-style ids; random, so that nothing depends on creation order. */
export function newId(length = 27): string {
  const bytes = randomBytes(length);
  let id = '';
  for (const byte of bytes) id += ID_ALPHABET[byte % ID_ALPHABET.length];
  return id;
}
