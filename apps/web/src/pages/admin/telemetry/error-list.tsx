import type { RecentError } from '../../../api/telemetry-types';
import { formatRelative, formatSpan, formatWhen } from '../../../components/format';
import { errorSentence } from './wording';

/** The overview sends at most this many errors (queries/overview.ts); a longer outage is cut off at the oldest end. */
export const RECENT_ERRORS_LIMIT = 50;

interface ErrorGroup {
  sentence: string;
  newest: RecentError;
  oldest: RecentError;
  count: number;
}

/** Consecutive failures that read the same are one entry: an outage is one story, not twenty lines. */
export function groupRepeats(errors: readonly RecentError[]): ErrorGroup[] {
  const groups: ErrorGroup[] = [];
  for (const error of errors) {
    const sentence = errorSentence(error);
    const last = groups.at(-1);
    if (last && last.sentence === sentence) {
      last.oldest = error;
      last.count += 1;
    } else {
      groups.push({ sentence, newest: error, oldest: error, count: 1 });
    }
  }
  return groups;
}

/** The oldest group of a full list may go on beyond it: its count is a floor, not a total. */
function cutOff(errors: readonly RecentError[], index: number, groupCount: number): boolean {
  return errors.length >= RECENT_ERRORS_LIMIT && index === groupCount - 1;
}

function ErrorTimes({ group, now }: { group: ErrorGroup; now: Date }) {
  if (group.count === 1) return <time dateTime={group.newest.at}>{formatWhen(group.newest.at, now)}</time>;
  const [from, to] = formatSpan(group.oldest.at, group.newest.at, now);
  return (
    <>
      <time dateTime={group.oldest.at}>{from}</time> to <time dateTime={group.newest.at}>{to}</time>
    </>
  );
}

/** Failed requests to the vendor, newest first: a plain sentence, and the full message for a support ticket. */
export function ErrorList({ errors, now }: { errors: RecentError[]; now: Date }) {
  return (
    <section className="card" aria-labelledby="telemetry-errors">
      <div className="card__header">
        <h3 id="telemetry-errors" className="card__title">
          Last errors
        </h3>
        <p className="card__subtitle">The newest failed requests to the vendor, from the last 90 days</p>
      </div>
      {errors.length === 0 ? (
        <p className="muted">No request to the vendor has failed in the last 90 days.</p>
      ) : (
        <ol className="error-list" aria-label="Last errors, newest first">
          {groupRepeats(errors).map((group, index, groups) => (
            <li key={`${group.newest.at} ${group.newest.kind}`} className="error-item">
              <p className="error-item__sentence">
                {group.sentence}
                {group.count > 1 ? (
                  <span className="error-item__count">
                    {' '}
                    · {cutOff(errors, index, groups.length) ? 'at least ' : ''}
                    {group.count} times
                  </span>
                ) : null}
              </p>
              <p className="error-item__when">
                <ErrorTimes group={group} now={now} /> ({formatRelative(group.newest.at, now)})
              </p>
              <details className="error-item__details">
                <summary>Full message</summary>
                <p className="error-item__message">{group.newest.error}</p>
              </details>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
