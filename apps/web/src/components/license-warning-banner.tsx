import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { useLicenseStatus } from '../api/license-status';
import { useMe } from '../api/session';
import { CloseIcon, WarningIcon } from './icons';

// Said only if the server warns without a sentence of its own.
const FALLBACK_MESSAGE = 'Your OpenHands Enterprise license needs attention. Please contact support.';

/** Where an admin reads why the warning shows: the diagnosis at the top of the telemetry page. */
export const DIAGNOSIS_PATH = '/admin/telemetry#diagnosis';

/**
 * The license warning at the top of every page (issue 5). The server decides whether to warn and
 * with what words; this shows them as given. Dismissing hides the current message for this page
 * view only: nothing is stored, so a reload brings it back, and so does a different message (the
 * countdown moving on, or the license expiring), because that is news.
 */
export function LicenseWarningBanner() {
  const { data, error } = useLicenseStatus();
  const [dismissedMessage, setDismissedMessage] = useState<string | null>(null);
  useLogFirstFailure(error);

  // On a failed poll `data` is still the last good answer, so the banner keeps its last state.
  if (!data?.warn) return null;
  const message = data.message.trim() ? data.message : FALLBACK_MESSAGE;
  if (dismissedMessage === message) return null;

  return (
    <div role="alert" className="license-banner">
      <div className="license-banner__inner">
        <WarningIcon className="license-banner__icon" />
        <p className="license-banner__message">
          <span>{message}</span> <WhoCanFixIt />
        </p>
        <button
          type="button"
          className="license-banner__dismiss"
          aria-label="Dismiss license warning"
          title="Hide until the page is reloaded"
          onClick={() => setDismissedMessage(message)}
        >
          <CloseIcon />
        </button>
      </div>
    </div>
  );
}

/**
 * Only an admin can act on the warning: they get the way to the diagnosis; everyone else is told
 * who to ask (the vendor's support knows nothing of this installation's network).
 */
function WhoCanFixIt() {
  const { data: user } = useMe();
  if (user?.isAdmin && user.acceptedTosAt) {
    return (
      <Link className="license-banner__link" to={DIAGNOSIS_PATH}>
        See details
      </Link>
    );
  }
  return <span>Contact your OpenHands administrator.</span>;
}

/** One log line per outage, not one per hourly poll; a good answer ends the outage. */
function useLogFirstFailure(error: Error | null): void {
  const logged = useRef(false);
  useEffect(() => {
    if (!error) {
      logged.current = false;
      return;
    }
    if (logged.current) return;
    logged.current = true;
    console.warn(
      `Could not check the OpenHands Enterprise license status (${error.message}); showing the last known state until the next hourly check.`,
    );
  }, [error]);
}
