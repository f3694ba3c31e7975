import type { RecentError } from '../../../api/telemetry-types';
import { formatRelative, formatWhen } from '../../../components/format';
import { errorSentence } from './wording';

/** Failed requests to the vendor, newest first: a plain sentence, and the full message for a support ticket. */
export function ErrorList({ errors, now }: { errors: RecentError[]; now: Date }) {
  return (
    <section className="card" aria-labelledby="telemetry-errors">
      <div className="card__header">
        <h3 id="telemetry-errors" className="card__title">
          Last errors
        </h3>
        <p className="card__subtitle">Requests to the vendor that failed in the last 90 days</p>
      </div>
      {errors.length === 0 ? (
        <p className="muted">No request to the vendor has failed in the last 90 days.</p>
      ) : (
        <ol className="error-list" aria-label="Last errors, newest first">
          {errors.map((error) => (
            <li key={`${error.at} ${error.kind} ${error.outcome}`} className="error-item">
              <p className="error-item__sentence">{errorSentence(error)}</p>
              <p className="error-item__when">
                <time dateTime={error.at}>{formatWhen(error.at, now)}</time> ({formatRelative(error.at, now)})
              </p>
              <details className="error-item__details">
                <summary>Full message</summary>
                <p className="error-item__message">{error.error}</p>
              </details>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
