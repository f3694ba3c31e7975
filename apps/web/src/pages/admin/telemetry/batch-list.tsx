import type { BatchStatus, BatchSummary } from '../../../api/telemetry-types';
import { formatWhen } from '../../../components/format';
import { BatchRawJson } from './raw-json';
import { batchSentence, countOf } from './wording';

const STATUS_LABELS: Record<BatchStatus, string> = { pending: 'Waiting', uploaded: 'Sent', rejected: 'Rejected' };

/** The newest batches with what became of each; the waiting ones say why and when they are tried again. */
export function BatchList({
  batches,
  pendingCount,
  now,
}: {
  batches: BatchSummary[];
  pendingCount: number;
  now: Date;
}) {
  return (
    <section className="card" aria-labelledby="telemetry-batches">
      <div className="card__header">
        <h3 id="telemetry-batches" className="card__title">
          Batches
        </h3>
        <p className="card__subtitle">
          {pendingCount > 0
            ? `${countOf(pendingCount, 'batch', 'batches')} waiting to be sent`
            : 'Nothing waiting to be sent'}
          {batches.length > 0 ? ` · the ${batches.length} newest shown` : ''}
        </p>
      </div>
      {batches.length === 0 ? (
        <p className="muted">
          No batch collected yet. The first collection runs at the next check, or use Collect now.
        </p>
      ) : (
        <ol className="batch-list" aria-label="Batches, newest first">
          {batches.map((batch) => (
            <li key={batch.id} className={`batch batch--${batch.status}`}>
              <span className={`status-pill status-pill--${batch.status}`}>
                {STATUS_LABELS[batch.status] ?? batch.status}
              </span>
              <div className="batch__body">
                <p className="batch__title">
                  Collected <time dateTime={batch.collectedAt}>{formatWhen(batch.collectedAt, now)}</time>
                  <span className="batch__count"> · {countOf(batch.metricCount, 'metric', 'metrics')}</span>
                </p>
                <p className="batch__sentence">{capitalize(batchSentence(batch, now))}</p>
                {batch.collectorErrors.length > 0 ? (
                  <p className="batch__collector-errors">
                    {batch.collectorErrors.length === 1
                      ? 'One collector failed: '
                      : `${batch.collectorErrors.length} collectors failed: `}
                    {batch.collectorErrors.map((error) => `${error.collector} (${error.message})`).join('; ')}
                  </p>
                ) : null}
                <BatchRawJson
                  batchId={batch.id}
                  label={`Body of POST /application/custom-metrics for the batch collected ${formatWhen(batch.collectedAt, now)}`}
                />
              </div>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
