import type { Diagnosis } from './schema.js';

// No runtime imports: the UI bundles this file as it is, so the page and the CLI say the same sentence.

/** How a reader shows a time: the UI in the reader's zone, the CLI in UTC. Both name the zone. */
export type FormatTime = (iso: string) => string;

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The cause, where, and since when: "Cannot reach the vendor at https://replicated.app: connection refused, since …". */
export function causeSentence(d: Diagnosis, formatTime: FormatTime): string {
  const since = d.since ? formatTime(d.since) : null;
  const reason = d.reason ? `: ${d.reason}` : '';
  const failures = d.failureCount > 0 ? ` (${plural(d.failureCount, 'failed request', 'failed requests')})` : '';
  switch (d.state) {
    case 'unreachable':
    case 'vendor_failing':
    case 'refused':
      return `${d.headline} at ${d.endpoint}${reason}, since ${since ?? 'the first try'}${failures}.`;
    case 'rejected':
      return `${d.headline} sent to ${d.endpoint}${reason}${since ? `, since ${since}` : ''}.`;
    case 'no_admin_email':
      return `${d.headline}${reason}${since ? `; batches have been waiting since ${since}` : ''}.`;
    case 'no_sender':
      return `${d.headline}${reason}${since ? `; the sender was last seen ${since}` : ''}.`;
    case 'not_sending':
      return `${d.headline}: ${d.reason}`;
    case 'awaiting_first_contact':
      return `${d.headline}: the first upload to ${d.endpoint} happens at the next check.`;
    case 'healthy':
      return `${d.headline} to ${d.endpoint}${since ? `; last contact ${since}` : ''}.`;
  }
}

/** What the license warning does about it: "Every user sees the license warning; the license expires on … (28 days left)." */
export function licenseSentence(d: Diagnosis, formatTime: FormatTime): string {
  if (!d.enterprise) {
    return d.state === 'healthy' || d.state === 'awaiting_first_contact' || d.state === 'not_sending'
      ? 'Not an enterprise installation: no license warning is ever shown.'
      : 'Not an enterprise installation: no license warning is shown, but nothing reaches the vendor until this is fixed.';
  }
  const { license } = d;
  const expires = license.expiresAt ? formatTime(license.expiresAt) : null;
  if (license.expired) return `Every user sees the license warning: the license expired on ${expires}.`;
  const left = license.daysLeft === null ? '' : ` (${plural(license.daysLeft, 'day', 'days')} left)`;
  if (license.warn) {
    return expires
      ? `Every user sees the license warning: the license expires on ${expires}${left}.`
      : 'Every user sees the license warning (verification pending) until the vendor is reached.';
  }
  if (d.state === 'healthy' || d.state === 'awaiting_first_contact' || d.state === 'not_sending') return '';
  return expires ? `If nothing reaches the vendor, the license expires on ${expires}${left}.` : '';
}

/** The whole status, as the CLI prints it and the admin page shows it. */
export function diagnosisSentence(d: Diagnosis, formatTime: FormatTime): string {
  return [causeSentence(d, formatTime), licenseSentence(d, formatTime), d.action].filter(Boolean).join(' ');
}
