import { formatDateTime, formatRelative, formatWhen } from '../../../components/format';

/** A moment in the reader's locale with a relative hint: "Nov 23, 2026, 14:05 (in 3 hours)". */
export function When({ iso, now }: { iso: string; now: Date }) {
  return (
    <span className="when">
      <time dateTime={iso} title={formatDateTime(iso)}>
        {formatWhen(iso, now)}
      </time>{' '}
      <span className="when__relative">({formatRelative(iso, now)})</span>
    </span>
  );
}

/** A scheduled run: its time, or "due now" once that time has come (the sender picks it up at its next check). */
export function NextRun({ iso, now, otherwise }: { iso: string | null; now: Date; otherwise: string }) {
  if (!iso) return <span className="muted">{otherwise}</span>;
  if (new Date(iso).getTime() <= now.getTime()) return <span>Due now</span>;
  return <When iso={iso} now={now} />;
}
