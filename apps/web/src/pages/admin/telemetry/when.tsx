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

/**
 * A scheduled run. The sender only acts at its checks, so a run whose time has come happens at the
 * next check, and that is the time shown (never "due now" while the check is an hour away).
 */
export function NextRun({
  iso,
  checkAt,
  now,
  otherwise,
}: {
  iso: string | null;
  checkAt: string | null;
  now: Date;
  otherwise: string;
}) {
  if (!iso) return <span className="muted">{otherwise}</span>;
  const due = new Date(iso).getTime() <= now.getTime();
  if (!due) return <When iso={iso} now={now} />;
  if (!checkAt) return <span>At the next check</span>;
  return (
    <span>
      At the next check, <When iso={checkAt} now={now} />
    </span>
  );
}
