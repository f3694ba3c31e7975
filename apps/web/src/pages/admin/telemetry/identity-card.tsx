import type { TelemetryOverview } from '../../../api/telemetry-types';
import { When } from './when';
import { emailSourceSentence, NO_ADMIN_EMAIL } from './wording';

/** Who this installation is to the vendor, and where it reports. */
export function IdentityCard({ overview, now }: { overview: TelemetryOverview; now: Date }) {
  const { identity } = overview;
  const registeredAs =
    identity.registeredEmail && identity.adminEmail && identity.registeredEmail !== identity.adminEmail
      ? `Registered as ${identity.registeredEmail}; the next upload registers the new email.`
      : null;

  return (
    <section className="card" aria-labelledby="telemetry-identity">
      <h3 id="telemetry-identity" className="card__title">
        Identity
      </h3>
      <dl className="facts">
        <div className="facts__row">
          <dt>Admin email</dt>
          <dd>
            {identity.adminEmail ? (
              <>
                <span className="facts__strong facts__email">{identity.adminEmail}</span>
                <span className="facts__note">
                  {emailSourceSentence(identity.adminEmailSource)}. The vendor registers this exact address: check it
                  for typos.
                </span>
                {registeredAs ? <span className="facts__note">{registeredAs}</span> : null}
              </>
            ) : (
              <span className="facts__warning">{NO_ADMIN_EMAIL}</span>
            )}
          </dd>
        </div>
        <div className="facts__row">
          <dt>Customer ID</dt>
          <dd>
            {identity.customerId ? (
              <code className="facts__id">{identity.customerId}</code>
            ) : (
              <span className="muted">Not registered yet</span>
            )}
          </dd>
        </div>
        <div className="facts__row">
          <dt>Instance ID</dt>
          <dd>
            {identity.instanceId ? (
              <code className="facts__id">{identity.instanceId}</code>
            ) : (
              <span className="muted">Not registered yet</span>
            )}
          </dd>
        </div>
        <div className="facts__row">
          <dt>Installation ID</dt>
          <dd>
            <code className="facts__id">{identity.installationId}</code>
            <span className="facts__note">Kept in the database: every replica reports as this one installation.</span>
            {identity.copiedFromInstanceId || identity.copiedAt ? (
              <span className="facts__warning">
                This database is a copy of another installation's
                {identity.copiedFromInstanceId ? ` (instance ${identity.copiedFromInstanceId})` : ''}
                {identity.copiedAt ? (
                  <>
                    , found <When iso={identity.copiedAt} now={now} />
                  </>
                ) : null}
                : it registers as a new instance.
              </span>
            ) : null}
          </dd>
        </div>
        <div className="facts__row">
          <dt>Registered</dt>
          <dd>
            {identity.registeredAt ? (
              <When iso={identity.registeredAt} now={now} />
            ) : (
              <span className="muted">Not yet</span>
            )}
          </dd>
        </div>
        <div className="facts__row">
          <dt>Vendor endpoint</dt>
          <dd>
            <code className="facts__id">{overview.endpoint}</code>
            <span className={overview.sending.sends ? 'facts__note' : 'facts__warning'}>{overview.sending.note}</span>
          </dd>
        </div>
      </dl>
    </section>
  );
}
