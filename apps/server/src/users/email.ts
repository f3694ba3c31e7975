/**
 * A pragmatic check of an email address typed by a person: one @, a dotted domain, no spaces and
 * no control characters (a NUL would reach the database). Full RFC 5322 is not the goal; catching
 * typos with a clear message is.
 */
const EMAIL = /^[^\s@\p{Cc}]+@[^\s@\p{Cc}]+\.[^\s@\p{Cc}]+$/u;

export function isEmail(value: string): boolean {
  return value.length <= 320 && EMAIL.test(value);
}
