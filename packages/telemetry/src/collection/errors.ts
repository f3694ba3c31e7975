/**
 * The telemetry engine's coded errors. Each message names the class, module or setting at fault
 * and says how to fix it: they reach the log of a server that must keep running, not a debugger.
 */
export type TelemetryErrorCode =
  | 'TELEMETRY_ERR_NOT_A_COLLECTOR'
  | 'TELEMETRY_ERR_COLLECTOR_NAME_INVALID'
  | 'TELEMETRY_ERR_COLLECTOR_NAME_TAKEN'
  | 'TELEMETRY_ERR_COLLECTOR_NAME_MISMATCH'
  | 'TELEMETRY_ERR_COLLECTOR_CONSTRUCTOR'
  | 'TELEMETRY_ERR_COLLECTOR_FOLDER'
  | 'TELEMETRY_ERR_COLLECTOR_MODULE';

export class TelemetryError extends Error {
  readonly code: TelemetryErrorCode;

  constructor(code: TelemetryErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TelemetryError';
    this.code = code;
  }
}

export function isTelemetryError(error: unknown, code?: TelemetryErrorCode): error is TelemetryError {
  return error instanceof TelemetryError && (code === undefined || error.code === code);
}

/** A throwable's message for a log line or a stored error, whatever was thrown. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}

export function notACollector(name: string | undefined, target: unknown): TelemetryError {
  const where = name === undefined ? 'register()' : `@registerCollector('${name}')`;
  return new TelemetryError(
    'TELEMETRY_ERR_NOT_A_COLLECTOR',
    `${where} was given ${describeTarget(target)}, which does not extend MetricsCollector. ` +
      'Make the class extend MetricsCollector from @openhands/telemetry.',
  );
}

export function invalidCollectorName(name: unknown, target: unknown): TelemetryError {
  return new TelemetryError(
    'TELEMETRY_ERR_COLLECTOR_NAME_INVALID',
    `${describeTarget(target)} is registered under the name ${JSON.stringify(name)}. ` +
      'A collector name is lower case letters, digits and underscores, starting with a letter, such as "user_activity".',
  );
}

export function collectorNameTaken(name: string, holder: unknown, target: unknown): TelemetryError {
  return new TelemetryError(
    'TELEMETRY_ERR_COLLECTOR_NAME_TAKEN',
    `Collector name "${name}" is already taken by ${describeTarget(holder)}, so ${describeTarget(target)} was not registered. ` +
      'Give one of them another name, in @registerCollector() and in collectorName alike.',
  );
}

export function collectorNameMismatch(name: string, declared: unknown, target: unknown): TelemetryError {
  return new TelemetryError(
    'TELEMETRY_ERR_COLLECTOR_NAME_MISMATCH',
    `${describeTarget(target)} is registered as "${name}" but its collectorName is ${JSON.stringify(declared)}. ` +
      `Make them the same: readonly collectorName = '${name}'.`,
  );
}

export function collectorConstructorFailed(name: string, target: unknown, cause: unknown): TelemetryError {
  return new TelemetryError(
    'TELEMETRY_ERR_COLLECTOR_CONSTRUCTOR',
    `Collector "${name}" (${describeTarget(target)}) threw in its constructor: ${describeError(cause)}. ` +
      'A collector is created afresh for every collection: keep its constructor free of work that can fail and do that work in collect().',
    { cause },
  );
}

export function collectorFolderUnreadable(directory: string, cause: unknown): TelemetryError {
  return new TelemetryError(
    'TELEMETRY_ERR_COLLECTOR_FOLDER',
    `The collectors folder ${directory} cannot be read (${(cause as NodeJS.ErrnoException).code ?? describeError(cause)}). ` +
      'Check that the build copied it and that the path given to discover() is right.',
    { cause },
  );
}

export function collectorModuleFailed(file: string, cause: unknown): TelemetryError {
  return new TelemetryError(
    'TELEMETRY_ERR_COLLECTOR_MODULE',
    `The collector module ${file} failed to load: ${describeError(cause)}. ` +
      'Its collectors are not collected until the module is fixed; the other collectors still run.',
    { cause },
  );
}

function describeTarget(target: unknown): string {
  if (typeof target === 'function') return target.name ? `class ${target.name}` : 'an anonymous class';
  return `a ${target === null ? 'null' : typeof target} value`;
}
