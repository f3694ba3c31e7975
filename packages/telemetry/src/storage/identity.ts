import type { Queryable } from '@openhands/db';

/** The vendor identity of this installation, cached so that it is created once (DECISIONS §2). */
export interface Identity {
  customerId: string | null;
  instanceId: string | null;
  adminEmail: string | null;
  serviceToken: string | null;
  installationId: string;
  lastCheckInAt: Date | null;
  lastCheckInError: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export async function readIdentity(q: Queryable): Promise<Identity> {
  const { rows } = await q.query<Identity>(
    `SELECT customer_id AS "customerId", instance_id AS "instanceId", admin_email AS "adminEmail",
            service_token AS "serviceToken", installation_id AS "installationId",
            last_checkin_at AS "lastCheckInAt", last_checkin_error AS "lastCheckInError",
            created_at AS "createdAt", updated_at AS "updatedAt"
     FROM telemetry_identity WHERE id = 1`,
  );
  return rows[0]!;
}

export async function saveIdentity(
  q: Queryable,
  identity: { customerId: string; instanceId: string; adminEmail: string; serviceToken: string },
  now: Date,
): Promise<void> {
  await q.query(
    `UPDATE telemetry_identity
     SET customer_id = $1, instance_id = $2, admin_email = $3, service_token = $4, updated_at = $5
     WHERE id = 1`,
    [identity.customerId, identity.instanceId, identity.adminEmail, identity.serviceToken, now],
  );
}

/** Forgets the vendor's token (it answered 401): the next upload creates the customer again. */
export async function forgetServiceToken(q: Queryable, now: Date): Promise<void> {
  await q.query('UPDATE telemetry_identity SET service_token = NULL, updated_at = $1 WHERE id = 1', [now]);
}

export async function recordCheckIn(q: Queryable, now: Date, error: string | null): Promise<void> {
  if (error === null) {
    await q.query('UPDATE telemetry_identity SET last_checkin_at = $1, last_checkin_error = NULL WHERE id = 1', [now]);
  } else {
    await q.query('UPDATE telemetry_identity SET last_checkin_error = $1 WHERE id = 1', [error]);
  }
}
