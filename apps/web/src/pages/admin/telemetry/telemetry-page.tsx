import { useTelemetryOverview, useTelemetryPreview } from '../../../api/telemetry';
import type { TelemetryOverview } from '../../../api/telemetry-types';
import { METRICS_DICTIONARY_PATH } from '../../../components/docs-links';
import { ErrorState, LoadingState } from '../../../components/page-states';
import { useNow } from '../../../components/use-now';
import { BatchList } from './batch-list';
import { DiagnosticStatus } from './diagnostic-status';
import { ErrorList } from './error-list';
import { HistoryChart } from './history-chart';
import { IdentityCard } from './identity-card';
import { PayloadPreview } from './payload-preview';
import { ScheduleCard } from './schedule-card';
import { StatusTiles } from './status-tiles';
import { TelemetryActions } from './telemetry-actions';

/** `/admin/telemetry` (issue 5): what this installation reports to the vendor, when, and how it went. */
export function TelemetryPage() {
  const overview = useTelemetryOverview();
  const preview = useTelemetryPreview();
  const now = useNow();

  return (
    <div className="telemetry">
      <title>Telemetry · Admin · OpenHands Enterprise</title>
      <div className="telemetry__header">
        <div className="telemetry__intro">
          <h2 className="telemetry__title">Telemetry</h2>
          <p className="muted">
            Usage counts this installation reports to the vendor to verify its license. Nothing here is hidden: the
            exact next payload is below, and every metric is explained in the{' '}
            <a href={METRICS_DICTIONARY_PATH}>metrics dictionary</a>.
          </p>
        </div>
        <TelemetryActions />
      </div>

      {overview.isPending ? <LoadingState label="Loading telemetry…" /> : null}
      {overview.isError && !overview.data ? (
        <ErrorState
          title="Telemetry could not be loaded"
          error={overview.error}
          onRetry={() => void overview.refetch()}
        />
      ) : null}
      {overview.data ? <OverviewSections overview={overview.data} now={now} /> : null}

      <PayloadPreview preview={preview} now={now} />
    </div>
  );
}

function OverviewSections({ overview, now }: { overview: TelemetryOverview; now: Date }) {
  return (
    <>
      <DiagnosticStatus diagnosis={overview.diagnosis} />
      <StatusTiles overview={overview} now={now} />
      <section className="card" aria-labelledby="telemetry-history">
        <div className="card__header">
          <h3 id="telemetry-history" className="card__title">
            Last 90 days
          </h3>
          <p className="card__subtitle">Collections, uploads and the days the license warning showed</p>
        </div>
        <HistoryChart days={overview.history} />
      </section>
      <div className="telemetry__columns">
        <IdentityCard overview={overview} now={now} />
        <ScheduleCard overview={overview} healthy={overview.diagnosis.tone === 'good'} now={now} />
      </div>
      <BatchList batches={overview.recentBatches} pendingCount={overview.pendingCount} now={now} />
      <ErrorList errors={overview.recentErrors} now={now} />
    </>
  );
}
