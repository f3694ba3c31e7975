import { APP_STATUSES, isAppStatus, METRIC_KEY_PATTERN, type MetricValue } from '../protocol.js';
import { ReplicatedValidationError } from './errors.js';

/**
 * Checks done before anything is sent. Problems are collected, not stopped at the first, so that one
 * error names everything to fix. Messages name fields, never their values: a value may be a token.
 */
export class ArgumentCheck {
  private readonly issues: string[] = [];

  constructor(private readonly subject: string) {}

  /** A non-empty string that can travel in an HTTP header (no control characters, Latin-1 only). */
  headerText(name: string, value: unknown): this {
    if (typeof value !== 'string' || value.length === 0) {
      this.issues.push(`${name} must be a non-empty string`);
    } else if (!isHeaderSafe(value)) {
      this.issues.push(`${name} must not contain line breaks, control characters or characters beyond Latin-1`);
    }
    return this;
  }

  text(name: string, value: unknown): this {
    if (typeof value !== 'string' || value.trim().length === 0) this.issues.push(`${name} must be a non-empty string`);
    return this;
  }

  appStatus(name: string, value: unknown): this {
    if (!isAppStatus(value)) this.issues.push(`${name} must be one of ${APP_STATUSES.join(', ')}`);
    return this;
  }

  boolean(name: string, value: unknown): this {
    if (typeof value !== 'boolean') this.issues.push(`${name} must be a boolean`);
    return this;
  }

  metrics(value: unknown): this {
    this.issues.push(...metricIssues(value));
    return this;
  }

  /** Throws one error listing every problem found, if any. */
  done(): void {
    if (this.issues.length > 0) throw new ReplicatedValidationError(this.subject, this.issues);
  }
}

function isHeaderSafe(value: string): boolean {
  for (const char of value) {
    const code = char.codePointAt(0)!;
    if ((code < 0x20 && code !== 0x09) || code === 0x7f || code > 0xff) return false;
  }
  return true;
}

/** The vendor's value rules: a non-empty object of finite numbers, strings and booleans under `[A-Za-z0-9_]` keys. */
export function metricIssues(data: unknown): string[] {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return ['data must be an object of metric values'];
  }
  const entries = Object.entries(data);
  if (entries.length === 0) return ['data must hold at least one metric (the vendor rejects an empty set)'];

  const issues: string[] = [];
  for (const [key, value] of entries) {
    if (!METRIC_KEY_PATTERN.test(key)) {
      issues.push(`metric key ${JSON.stringify(key)} must be non-empty letters, digits and underscores`);
    }
    if (!isMetricValue(value)) {
      issues.push(
        `metric ${JSON.stringify(key)} must be a finite number, a string or a boolean (got ${describe(value)})`,
      );
    }
  }
  return issues;
}

export function isMetricValue(value: unknown): value is MetricValue {
  return (
    typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))
  );
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return String(value);
  return typeof value === 'object' ? 'an object' : typeof value;
}
