// Every time names its zone ("2:05 PM UTC"): an admin compares it with server logs and the vendor's.
const dateTime = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  timeZoneName: 'short',
});
const timeOnly = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit', timeZoneName: 'short' });
const dayOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'always' });
const relativeNow = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** A server timestamp in the reader's own locale and time zone. */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}

/** The time alone when it falls on the reader's today, else the date and time: "14:05", "Nov 2, 2026, 14:05". */
export function formatWhen(iso: string, now: Date): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toDateString() === now.toDateString() ? timeOnly.format(date) : dateTime.format(date);
}

/**
 * A span of time, with the end's date whenever it falls on another day than the start's:
 * "Nov 30, 2026, 5:45 AM UTC to Dec 2, 2026, 6:45 AM UTC", never "Nov 30, 5:45 AM to 6:45 AM".
 */
export function formatSpan(fromIso: string, toIso: string, now: Date): [string, string] {
  const from = new Date(fromIso);
  const to = new Date(toIso);
  const start = formatWhen(fromIso, now);
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) return [start, formatWhen(toIso, now)];
  const sameDay = from.toDateString() === to.toDateString();
  return [start, sameDay ? formatWhen(toIso, from) : dateTime.format(to)];
}

/** A calendar day, e.g. "Nov 2, 2026". */
export function formatDay(date: Date): string {
  return dayOnly.format(date);
}

const DAY_SECONDS = 24 * 3600;

// Days up to two months: "9 days ago" says more than "last week" or "last month".
const UNITS: ReadonlyArray<[Intl.RelativeTimeFormatUnit, number, number]> = [
  ['year', 365 * DAY_SECONDS, 365 * DAY_SECONDS],
  ['month', 30 * DAY_SECONDS, 60 * DAY_SECONDS],
  ['day', DAY_SECONDS, 0.95 * DAY_SECONDS],
  ['hour', 3600, 0.95 * 3600],
  ['minute', 60, 45],
];

/** How far a time is from now, in the reader's language: "in 3 hours", "9 days ago", "now". */
export function formatRelative(iso: string, now: Date): string {
  const ms = new Date(iso).getTime();
  if (Number.isNaN(ms)) return '';
  const seconds = (ms - now.getTime()) / 1000;
  const size = Math.abs(seconds);
  for (const [unit, unitSeconds, from] of UNITS) {
    if (size >= from) return relative.format(Math.round(seconds / unitSeconds), unit);
  }
  return relativeNow.format(0, 'second');
}
