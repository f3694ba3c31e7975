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
  '*.idToken',
  '*.id_token',
];

// Fields of database errors that carry the statement's values: pg's `detail` ("Key
// (lower(email))=(ada@example.com) already exists."), `where`, `hint`; PGlite's `query` and
// `params`. None of them is needed to find the fault; the code, the constraint and the table are.
const VALUE_BEARING_FIELDS = ['detail', 'where', 'hint', 'query', 'params', 'parameters', 'internalQuery'];
const EMAIL_ANYWHERE = /[^\s"'<>(),;:=]+@[^\s"'<>(),;:=]+\.[A-Za-z]{2,}/g;

/** An error fit for the log: no statement values, no email address anywhere in it. */
export function serializeError(error: unknown): Record<string, unknown> {
  const serialized = pino.stdSerializers.err(error as Error) as unknown as Record<string, unknown>;
  return scrub(serialized, 0) as Record<string, unknown>;
}

function scrub(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return value.replace(EMAIL_ANYWHERE, '[email]');
  if (depth > 5 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => scrub(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (VALUE_BEARING_FIELDS.includes(key)) continue;
    out[key] = scrub(item, depth + 1);
  }
  return out;
}

/** The process's one logger; the server and the telemetry engine write through it. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' },
      serializers: { err: serializeError, error: serializeError },
    },
    destination,
  );
}
