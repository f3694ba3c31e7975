/**
 * `Retry-After` is either delay-seconds or an HTTP date (RFC 9110 §10.2.3). A date is measured
 * against the answer's own `Date` header when it has one, so that a skewed local clock does not
 * turn "in two minutes" into "an hour ago"; only without it is the local clock used.
 */
export function parseRetryAfterMs(
  retryAfter: string | null,
  responseDate: string | null,
  nowMs: number = Date.now(),
): number | undefined {
  if (retryAfter === null) return undefined;
  const value = retryAfter.trim();
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);

  // Every HTTP date form names the month; without that check V8 would read "-5" as the year -5.
  const at = /[A-Za-z]/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(at)) return undefined;
  const sentAt = responseDate === null ? Number.NaN : Date.parse(responseDate);
  const reference = Number.isNaN(sentAt) ? nowMs : sentAt;
  return Math.max(0, at - reference);
}
