import type { UseQueryResult } from '@tanstack/react-query';
import type { MetricValue, PreviewBatch, TelemetryPreview } from '../../../api/telemetry-types';
import { formatWhen } from '../../../components/format';
import { ErrorState, LoadingState } from '../../../components/page-states';
import { RawJson } from './raw-json';
import { countOf, NO_ADMIN_EMAIL } from './wording';

/** The exact next upload, request by request, with what each metric means. */
export function PayloadPreview({ preview, now }: { preview: UseQueryResult<TelemetryPreview>; now: Date }) {
  return (
    <section className="card" aria-labelledby="telemetry-preview">
      <div className="card__header">
        <h3 id="telemetry-preview" className="card__title">
          Next payload
        </h3>
        <p className="card__subtitle">Exactly what the next upload sends, request by request</p>
      </div>
      {preview.isPending ? <LoadingState label="Loading the next payload…" /> : null}
      {preview.isError && !preview.data ? (
        <ErrorState
          title="The next payload could not be loaded"
          error={preview.error}
          onRetry={() => void preview.refetch()}
        />
      ) : null}
      {preview.data ? <PreviewBody preview={preview.data} now={now} /> : null}
    </section>
  );
}

function PreviewBody({ preview, now }: { preview: TelemetryPreview; now: Date }) {
  const { checkIn } = preview;
  return (
    <>
      {preview.willSend ? (
        <p className="preview__lead">
          Sent to <code>{preview.endpoint}</code> for <strong>{preview.adminEmail}</strong>. The admin email is the only
          personal data sent; everything else is a count or a setting.
        </p>
      ) : (
        <p className="notice notice--waiting">{NO_ADMIN_EMAIL}. Until then nothing is sent; batches are kept.</p>
      )}
      {preview.batches.length === 0 ? (
        <p className="muted">No batch is waiting: the next upload only checks in with the vendor.</p>
      ) : (
        preview.batches.map((batch, index) => (
          <PreviewRequest key={batch.id} batch={batch} step={index + 1} now={now} open={index === 0} />
        ))
      )}
      <div className="preview__checkin">
        <span className="preview__step">{preview.batches.length + 1}</span>
        <div>
          <p>
            <code>{checkIn.request}</code>: a status check-in
          </p>
          <p className="muted">
            Status {checkIn.status}, version {checkIn.versionLabel}, instance “{checkIn.instanceName}”. It tells the
            vendor the installation is alive, even in weeks without a new batch.
          </p>
        </div>
      </div>
    </>
  );
}

function PreviewRequest({ batch, step, now, open }: { batch: PreviewBatch; step: number; now: Date; open: boolean }) {
  return (
    <details className="preview__request" open={open}>
      <summary>
        <span className="preview__step">{step}</span>
        <span className="preview__summary">
          <code>{batch.request}</code>
          <span className="muted">
            Batch collected {formatWhen(batch.collectedAt, now)} · {countOf(batch.metrics.length, 'metric', 'metrics')}
          </span>
        </span>
      </summary>
      <table className="metric-table">
        <caption className="visually-hidden">
          Metrics of the batch collected {formatWhen(batch.collectedAt, now)}
        </caption>
        <thead>
          <tr>
            <th scope="col">Metric</th>
            <th scope="col">Value</th>
          </tr>
        </thead>
        <tbody>
          {batch.metrics.map((metric) => (
            <tr key={metric.key}>
              <th scope="row">
                <div className="metric-table__metric">
                  <code className="metric-table__key">{metric.key}</code>
                  <span className="metric-table__description">{metric.description ?? 'No description'}</span>
                </div>
              </th>
              <td className={`metric-table__value metric-table__value--${typeof metric.value}`}>
                {showValue(metric.value)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <RawJson
        value={requestBody(batch)}
        label={`Body of ${batch.request} for the batch collected ${formatWhen(batch.collectedAt, now)}`}
      />
    </details>
  );
}

/** The body of the metrics request: the vendor replaces its whole set with `data` (replicated-protocol.md §3). */
function requestBody(batch: PreviewBatch): { data: Record<string, MetricValue> } {
  return { data: Object.fromEntries(batch.metrics.map((metric) => [metric.key, metric.value])) };
}

/** As sent: numbers and booleans as JSON writes them, strings as they are. */
function showValue(value: MetricValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
