import { Link, useNavigate } from 'react-router';
import { messageOf } from '../api/errors';
import { useAcceptTerms, useMe } from '../api/session';
import { useReturnPath } from '../app/return-path';
import { METRICS_DICTIONARY_PATH } from '../components/docs-links';
import { formatDateTime } from '../components/format';

/** The Terms of Service. Accepting them is what opens the product (and, for the first user, what names the admin). */
export function TermsPage() {
  const { data: user } = useMe();
  const accept = useAcceptTerms();
  const navigate = useNavigate();
  const returnPath = useReturnPath();

  return (
    <div className="page page--narrow">
      <title>Terms of Service · OpenHands Enterprise</title>
      <article className="card terms" aria-labelledby="terms-title">
        <div className="terms__header">
          <h1 id="terms-title">Terms of Service</h1>
          <p className="muted">Please read these terms and accept them before you use OpenHands Enterprise.</p>
        </div>

        <section aria-labelledby="terms-use">
          <h2 id="terms-use">1. Using OpenHands Enterprise</h2>
          <p>
            Your organisation licenses OpenHands Enterprise from its vendor and runs it on its own infrastructure. You
            may use it for your organisation's work, within the access your administrator gives you. Keep your
            credentials to yourself and do not use the product to break the law or anyone else's rights.
          </p>
        </section>

        <section aria-labelledby="terms-content">
          <h2 id="terms-content">2. Your work stays here</h2>
          <p>
            Conversations, code and files you work on stay in this installation. Your organisation, not the vendor,
            decides who can see them and how long they are kept.
          </p>
        </section>

        <section aria-labelledby="terms-metrics">
          <h2 id="terms-metrics">3. Usage metrics sent to the vendor</h2>
          <p>
            <strong>
              This installation reports usage metrics to the vendor, together with the administrator's email address.
            </strong>{' '}
            The metrics are counts, such as how many users and conversations there are; no conversation content, code or
            other personal data is sent. The administrator's email is the one your administrator configured or, if none
            is configured, the email of the first person to accept these terms, which may be you.
          </p>
          <p>
            Reporting is how the license is verified and cannot be switched off. Every metric that is sent is listed in
            the <a href={METRICS_DICTIONARY_PATH}>metrics dictionary</a>, and administrators can see the exact next
            report in the admin area.
          </p>
        </section>

        <section aria-labelledby="terms-changes">
          <h2 id="terms-changes">4. Changes to these terms</h2>
          <p>If these terms change, you will be asked to read and accept them again before you continue.</p>
        </section>

        <div className="terms__footer">
          {user?.acceptedTosAt ? (
            <>
              <p className="muted">You accepted these terms on {formatDateTime(user.acceptedTosAt)}.</p>
              <Link to={returnPath} className="button button--secondary">
                Continue
              </Link>
            </>
          ) : (
            <>
              <p className="muted">By selecting Accept you agree to these terms. If you do not, sign out.</p>
              {accept.isError ? (
                <p className="form-error" role="alert">
                  {messageOf(accept.error)}
                </p>
              ) : null}
              <button
                type="button"
                className="button button--primary"
                disabled={accept.isPending}
                onClick={() => accept.mutate(undefined, { onSuccess: () => navigate(returnPath, { replace: true }) })}
              >
                {accept.isPending ? 'Accepting…' : 'Accept'}
              </button>
            </>
          )}
        </div>
      </article>
    </div>
  );
}
