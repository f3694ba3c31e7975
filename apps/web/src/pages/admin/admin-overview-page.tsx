import { Link } from 'react-router';
import { METRICS_DICTIONARY_PATH } from '../../components/docs-links';

export function AdminOverviewPage() {
  return (
    <>
      <title>Admin · OpenHands Enterprise</title>
      <section className="card" aria-labelledby="admin-telemetry">
        <h2 id="admin-telemetry" className="card__title">
          Telemetry
        </h2>
        <p>
          What this installation reports to the vendor to verify its license: the exact next report, when it was last
          sent, and any upload errors. You can collect, upload or download the report from there.
        </p>
        <p className="muted">
          Every metric that is sent is also listed in the <a href={METRICS_DICTIONARY_PATH}>metrics dictionary</a>.
        </p>
        <Link to="/admin/telemetry" className="button button--secondary">
          Open telemetry
        </Link>
      </section>
    </>
  );
}
