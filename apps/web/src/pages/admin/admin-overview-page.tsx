export function AdminOverviewPage() {
  return (
    <>
      <title>Admin · OpenHands Enterprise</title>
      <section className="card placeholder" aria-labelledby="admin-telemetry-soon">
        <h2 id="admin-telemetry-soon" className="card__title">
          Telemetry
        </h2>
        <p>
          The telemetry page comes here: what this installation reports to the vendor, the exact next report, when it
          was last sent, and any upload errors.
        </p>
        <p className="muted">
          Until then, every metric that is sent is listed in <code>docs/metrics.md</code>.
        </p>
      </section>
    </>
  );
}
