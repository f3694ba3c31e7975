import { causeSentence, type Diagnosis, licenseSentence } from '@openhands/telemetry/diagnosis';
import { useEffect, useRef } from 'react';
import { useLocation } from 'react-router';
import { TROUBLESHOOTING_PATH } from '../../../components/docs-links';
import { formatDateTime } from '../../../components/format';
import { WarningIcon } from '../../../components/icons';

/** The id the banner's "See details" lands on. */
export const DIAGNOSIS_ID = 'diagnosis';

/**
 * The verdict at the top of the admin page: the cause, where, since when, what the license warning
 * does about it and what to do, in the words the CLI prints too (they come from one diagnosis of
 * the stored facts, the same facts `/api/license-status` answers from). Times are the reader's, with
 * their zone.
 */
export function DiagnosticStatus({ diagnosis }: { diagnosis: Diagnosis }) {
  const license = licenseSentence(diagnosis, formatDateTime);
  const section = useRef<HTMLElement>(null);
  const { hash } = useLocation();
  // Arriving from the banner's "See details": on a phone the status is below the header and actions.
  useEffect(() => {
    if (hash !== `#${DIAGNOSIS_ID}`) return;
    section.current?.scrollIntoView?.({ block: 'start' });
    section.current?.focus({ preventScroll: true });
  }, [hash]);
  return (
    <section
      ref={section}
      id={DIAGNOSIS_ID}
      className={`health health--${diagnosis.tone}`}
      aria-labelledby="telemetry-diagnosis"
      tabIndex={-1}
    >
      {diagnosis.tone === 'good' ? (
        <span className="health__dot" aria-hidden="true" />
      ) : (
        <WarningIcon className="health__icon" />
      )}
      <div className="health__body">
        <h3 id="telemetry-diagnosis" className="health__title">
          {diagnosis.headline}
        </h3>
        <p className="health__sentence">{causeSentence(diagnosis, formatDateTime)}</p>
        {license ? <p className="health__detail">{license}</p> : null}
        <p className="health__detail">
          {diagnosis.action}
          {diagnosis.docsAnchor ? (
            <>
              {' '}
              <a href={`${TROUBLESHOOTING_PATH}#${diagnosis.docsAnchor}`} className="health__link">
                How to fix this (troubleshooting guide)
              </a>
            </>
          ) : null}
        </p>
      </div>
    </section>
  );
}
