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
                <span className="facts__strong">{identity.adminEmail}</span>
                <span className="facts__note">{emailSourceSentence(identity.adminEmailSource)}</span>
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
          </dd>
        </div>
      </dl>
    </section>
  );
}
