import type { Weighted } from './catalogue.js';

/** A constant of our own catalogue as an SQL literal. */
export function literal(value: string | number | null): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
    return String(value);
  }
  return `'${value.replaceAll("'", "''")}'`;
}

/** `CASE WHEN r < 0.38 THEN … END`: picks an entry by weight from a uniform draw `r` in [0, 1). */
export function pickByWeight<T>(draw: string, entries: readonly Weighted<T>[], toSql: (value: T) => string): string {
  const total = entries.reduce((sum, entry) => sum + entry.weight, 0);
  let cumulative = 0;
  const branches = entries.slice(0, -1).map((entry) => {
    cumulative += entry.weight;
    return `WHEN ${draw} < ${cumulative / total} THEN ${toSql(entry.value)}`;
  });
  const last = entries.at(-1);
  if (!last) throw new RangeError('pickByWeight needs at least one entry');
  return `CASE ${branches.join(' ')} ELSE ${toSql(last.value)} END`;
}

/**
 * A UUID-shaped id derived from a row number and the run's salt: the same expression gives a
 * user's id when the user is inserted and when a conversation points at that user, so no join
 * is needed to link millions of rows.
 */
export function derivedUuid(column: string, salt: number): string {
  return `(lpad(to_hex(hashint8extended(${column}, ${salt})), 16, '0') || lpad(to_hex(hashint8extended(${column}, ${salt + 1})), 16, '0'))::uuid::text`;
}

/** 32 hex digits from a row number, like the ids OpenHands gives its conversations. */
export function derivedHexId(column: string, salt: number): string {
  return `lpad(to_hex(hashint8extended(${column}, ${salt})), 16, '0') || lpad(to_hex(hashint8extended(${column}, ${salt + 1})), 16, '0')`;
}
