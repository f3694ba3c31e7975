/**
 * PGlite returns int8 as a JS number and numeric as a string; node-postgres returns int8 as a
 * string. We align `pg` on PGlite so that code and tests see one set of types. Counts beyond
 * 2^53 do not occur in this product; a value that large is refused rather than rounded.
 */
export const INT8_OID = 20;

export function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`int8 value ${text} is beyond 2^53 and cannot be a JS number; cast it to text in SQL`);
  }
  return value;
}
