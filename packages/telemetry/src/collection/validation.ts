import type { MetricResult, MetricValue } from './types.js';

export const MAX_STRING_VALUE_LENGTH = 1_000;
const KEY = /^[A-Za-z0-9_]+$/;
const VALUE_RULE = 'a value must be a finite number, a string of at most 1,000 characters or a boolean';

export interface CheckedResults {
  valid: MetricResult[];
  /** Why each dropped result was dropped, one sentence each. */
  problems: string[];
}

/**
 * Keeps the results the vendor accepts and says why each other one was dropped. Never throws:
 * whatever a collector returns, the batch goes on without the bad values.
 */
export function checkResults(results: unknown): CheckedResults {
  if (!Array.isArray(results)) {
    return {
      valid: [],
      problems: [`collect() returned ${describeValue(results)}, not a list of { key, value } results`],
    };
  }
  const valid: MetricResult[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  results.forEach((result, index) => {
    if (typeof result !== 'object' || result === null) {
      problems.push(`result #${index + 1} dropped: ${describeValue(result)} is not a { key, value } object`);
      return;
    }
    const { key, value } = result as { key?: unknown; value?: unknown };
    if (typeof key !== 'string' || !KEY.test(key)) {
      problems.push(
        `result #${index + 1} dropped: key ${describeValue(key)} is not a non-empty name of letters, digits and underscores`,
      );
      return;
    }
    const valueProblem = checkValue(value);
    if (valueProblem) {
      problems.push(`metric "${key}" dropped: ${valueProblem}; ${VALUE_RULE}`);
      return;
    }
    if (seen.has(key)) {
      problems.push(`metric "${key}" appears more than once in this collector's results; the first value was kept`);
      return;
    }
    seen.add(key);
    valid.push({ key, value: value as MetricValue });
  });
  return { valid, problems };
}

function checkValue(value: unknown): string | undefined {
  switch (typeof value) {
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : `${value} is not a finite number`;
    case 'string':
      return value.length <= MAX_STRING_VALUE_LENGTH
        ? undefined
        : `a string of ${value.length.toLocaleString('en-US')} characters is too long`;
    default:
      return `${describeValue(value)} is not a valid value`;
  }
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Date) return 'a Date';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'bigint') return `the bigint ${value}n`;
  if (value === undefined) return 'undefined';
  return `a ${typeof value}`;
}
