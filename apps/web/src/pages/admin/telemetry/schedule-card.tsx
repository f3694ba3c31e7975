import type { TelemetryLeader, TelemetryOverview } from '../../../api/telemetry-types';
import { formatRelative } from '../../../components/format';
import { NextRun, When } from './when';
import { countOf, phaseSentence } from './wording';

// A sender checks hourly (every 3 minutes in bootstrap); one not seen for two of its intervals has stopped.
const STALE_AFTER_MS = { normal: 2 * 3_600_000, bootstrap: 10 * 60_000 };

/** How the sender runs: its phase, which process it is, and when it runs next. */
export function ScheduleCard({ overview, healthy, now }: { overview: TelemetryOverview; healthy: boolean; now: Date }) {
  const { settings, next } = overview;
  return (
    <section className="card" aria-labelledby="telemetry-schedule">
      <h3 id="telemetry-schedule" className="card__title">
        Schedule
      </h3>
      <dl className="facts">
        <div className="facts__row">
          <dt>Phase</dt>
          <dd>
            {/* The dot is green only while the diagnosis finds nothing wrong: "Normal" is a schedule, not a health. */}
            <span className={`phase phase--${healthy ? overview.phase : 'trouble'}`}>
              {phaseSentence(overview.phase)}
            </span>
          </dd>
        </div>
        <div className="facts__row">
          <dt>Sender</dt>
          <dd>
            <LeaderFacts leader={overview.leader} phase={overview.phase} now={now} />
          </dd>
        </div>
        <div className="facts__row">
          <dt>Next check</dt>
          <dd>
            {next.checkAt && new Date(next.checkAt).getTime() <= now.getTime() ? (
              <span className="facts__warning">
                Overdue: it was due <When iso={next.checkAt} now={now} />
              </span>
            ) : (
              <NextRun
                iso={next.checkAt}
                checkAt={null}
                now={now}
                otherwise="When a server process takes the sender role"
              />
            )}
          </dd>
        </div>
        <div className="facts__row">
          <dt>Next collection</dt>
          <dd>
            <NextRun iso={next.collectionAt} checkAt={next.checkAt} now={now} otherwise="At the next check" />
            <span className="facts__note">Every {countOf(settings.collectionIntervalDays, 'day', 'days')}</span>
          </dd>
        </div>
        <div className="facts__row">
          <dt>Next upload</dt>
          <dd>
            <NextRun
              iso={overview.backoffUntil ?? next.uploadAt}
              checkAt={next.checkAt}
              now={now}
              otherwise="Once a batch is waiting"
            />
            <span className="facts__note">
              {overview.backoffUntil
                ? 'Held back after a failed upload; the wait grows with each failure, up to the check interval.'
                : `Every ${countOf(settings.uploadIntervalHours, 'hour', 'hours')}, with a check-in`}
            </span>
          </dd>
        </div>
        <div className="facts__row">
          <dt>Warning after</dt>
          <dd>
            {countOf(settings.warningThresholdDays, 'day', 'days')} without a successful upload
            <span className="facts__note">Then every user sees a license warning until an upload succeeds.</span>
          </dd>
        </div>
      </dl>
    </section>
  );
}

function LeaderFacts({
  leader,
  phase,
  now,
}: {
  leader: TelemetryLeader | null;
  phase: 'normal' | 'bootstrap';
  now: Date;
}) {
  if (!leader) {
    return <span className="facts__warning">No server process has taken the sender role yet.</span>;
  }
  const who = leader.isThisProcess ? 'This server process' : 'Another server process';
  const stale = leader.lastSeenAt && now.getTime() - new Date(leader.lastSeenAt).getTime() > STALE_AFTER_MS[phase];
  return (
    <>
      <span className="facts__strong">
        {who} <code className="facts__id">{leader.holder}</code>
      </span>
      {leader.since ? (
        <span className="facts__note">
          Sending since <When iso={leader.since} now={now} />
        </span>
      ) : null}
      {leader.lastSeenAt ? (
        <span className={stale ? 'facts__warning' : 'facts__note'}>
          Last check {formatRelative(leader.lastSeenAt, now)}
          {stale ? ': it may have stopped; another replica takes over once its lock is released.' : ''}
        </span>
      ) : null}
    </>
  );
}
