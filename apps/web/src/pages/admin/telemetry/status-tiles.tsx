import type { TelemetryOverview } from '../../../api/telemetry-types';
import { formatRelative, formatWhen } from '../../../components/format';
import { plainReason } from './wording';

interface TileProps {
  label: string;
  value: string;
  detail: string;
  tone?: 'danger';
  dateTime?: string;
}

function Tile({ label, value, detail, tone, dateTime }: TileProps) {
  return (
    <div className={`tile${tone ? ` tile--${tone}` : ''}`}>
      <dt className="tile__label">{label}</dt>
      <dd className="tile__value">{dateTime ? <time dateTime={dateTime}>{value}</time> : value}</dd>
      <dd className="tile__detail">{detail}</dd>
    </div>
  );
}

/** "5 days ago", or the time itself for what happened this minute ("now" would read oddly after "collected"). */
function sinceOrAt(iso: string, now: Date): string {
  return now.getTime() - new Date(iso).getTime() < 60_000 ? `at ${formatWhen(iso, now)}` : formatRelative(iso, now);
}

/** The last collection, upload and check-in, and what is waiting: the four numbers an admin looks for first. */
export function StatusTiles({ overview, now }: { overview: TelemetryOverview; now: Date }) {
  const collection = overview.lastCollection?.at ?? null;
  const upload = overview.lastUpload?.at ?? null;
  const checkIn = overview.lastCheckIn;
  const oldestWaiting = overview.recentBatches.filter((batch) => batch.status === 'pending').at(-1);
  // Nothing waiting is not "all sent" when the vendor refused the last of it.
  const newestRejected = overview.recentBatches[0]?.status === 'rejected';

  return (
    <dl className="tiles" aria-label="At a glance">
      <Tile
        label="Last collection"
        value={collection ? formatRelative(collection, now) : 'Never'}
        detail={collection ? formatWhen(collection, now) : 'The first runs at the next check'}
        dateTime={collection ?? undefined}
      />
      <Tile
        label="Last upload"
        value={upload ? formatRelative(upload, now) : 'Never'}
        detail={upload ? formatWhen(upload, now) : 'Nothing has reached the vendor yet'}
        dateTime={upload ?? undefined}
      />
      <Tile
        label="Last check-in"
        value={checkIn.at ? formatRelative(checkIn.at, now) : 'Never'}
        detail={
          checkIn.error
            ? `Last try failed: ${plainReason(checkIn.error)}`
            : checkIn.at
              ? formatWhen(checkIn.at, now)
              : 'The vendor has not heard from this installation'
        }
        tone={checkIn.error ? 'danger' : undefined}
        dateTime={checkIn.at ?? undefined}
      />
      <Tile
        label="Pending"
        value={`${overview.pendingCount} ${overview.pendingCount === 1 ? 'batch' : 'batches'}`}
        detail={
          oldestWaiting
            ? `Oldest collected ${sinceOrAt(oldestWaiting.collectedAt, now)}`
            : overview.pendingCount > 0
              ? 'See the batches below'
              : newestRejected
                ? 'None waiting: the vendor rejected the newest batch'
                : 'Everything collected has been sent'
        }
        tone={overview.backoffUntil || newestRejected ? 'danger' : undefined}
      />
    </dl>
  );
}
