import { Link } from 'react-router';

/** What a signed-in non-admin sees in the admin area. */
export function AdminsOnlyPage() {
  return (
    <div className="page page--narrow">
      <title>Admins only · OpenHands Enterprise</title>
      <section className="card empty-state" aria-labelledby="admins-only-title">
        <h1 id="admins-only-title">Admins only</h1>
        <p className="muted">
          This area is for the administrators of this OpenHands Enterprise installation. If you need access, ask one of
          them.
        </p>
        <Link to="/conversations" className="button button--secondary">
          Back to your conversations
        </Link>
      </section>
    </div>
  );
}
