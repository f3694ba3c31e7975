import { Link } from 'react-router';

export function NotFoundPage() {
  return (
    <div className="page page--narrow">
      <title>Page not found · OpenHands Enterprise</title>
      <section className="card empty-state">
        <h1>Page not found</h1>
        <p className="muted">There is no page at this address. It may have moved, or the link may be mistyped.</p>
        <Link to="/" className="button button--secondary">
          Go to your conversations
        </Link>
      </section>
    </div>
  );
}
