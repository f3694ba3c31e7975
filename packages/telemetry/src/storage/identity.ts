import type { Queryable } from '@openhands/db';

/** The vendor identity of this installation, cached so that it is created once (DECISIONS §2, §4). */
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
  /** The machine fingerprint `instanceId` was registered with by this installation. */
  instanceFingerprint: string | null;
  /** "<system identifier>:<database oid>" of the database the installation id belongs to. */
  clusterId: string | null;
  /** On a copied or restored database: the instance of the installation it came from. */
  copiedFromInstanceId: string | null;
  copiedAt: Date | null;
  backoffUntil: Date | null;
  backoffFailures: number;
}

export async function readIdentity(q: Queryable): Promise<Identity> {
  const { rows } = await q.query<Identity>(
    `SELECT customer_id AS "customerId", instance_id AS "instanceId", admin_email AS "adminEmail",
            service_token AS "serviceToken", installation_id AS "installationId",
            last_checkin_at AS "lastCheckInAt", last_checkin_error AS "lastCheckInError",
            created_at AS "createdAt", updated_at AS "updatedAt",
            instance_fingerprint AS "instanceFingerprint", cluster_id AS "clusterId",
            copied_from_instance_id AS "copiedFromInstanceId", copied_at AS "copiedAt",
            backoff_until AS "backoffUntil", backoff_failures AS "backoffFailures"
     FROM telemetry_identity WHERE id = 1`,
  );
  return rows[0]!;
}

export async function saveIdentity(
  q: Queryable,
  identity: {
    customerId: string;
    instanceId: string;
    adminEmail: string;
    serviceToken: string;
    instanceFingerprint: string;
  },
  now: Date,
): Promise<void> {
  await q.query(
    `UPDATE telemetry_identity
     SET customer_id = $1, instance_id = $2, admin_email = $3, service_token = $4, instance_fingerprint = $5,
         updated_at = $6
     WHERE id = 1`,
    [
      identity.customerId,
      identity.instanceId,
      identity.adminEmail,
      identity.serviceToken,
      identity.instanceFingerprint,
      now,
    ],
  );
}

/**
 * The vendor no longer accepts our credentials: forget the token (401), and the instance too when
 * the vendor says it does not know it (404); the next call registers again.
 */
export async function forgetCredentials(q: Queryable, now: Date, forgetInstance: boolean): Promise<void> {
  await q.query(
    `UPDATE telemetry_identity
     SET service_token = NULL, updated_at = $1,
         instance_id = CASE WHEN $2::boolean THEN NULL ELSE instance_id END,
         instance_fingerprint = CASE WHEN $2::boolean THEN NULL ELSE instance_fingerprint END
     WHERE id = 1`,
    [now, forgetInstance],
  );
}

export async function recordCheckIn(q: Queryable, now: Date, error: string | null): Promise<void> {
  if (error === null) {
    await q.query('UPDATE telemetry_identity SET last_checkin_at = $1, last_checkin_error = NULL WHERE id = 1', [now]);
  } else {
    await q.query('UPDATE telemetry_identity SET last_checkin_error = $1 WHERE id = 1', [error]);
  }
}

/** The vendor answered with its JSON: the connection works, the back-off starts over. */
export async function clearBackoff(q: Queryable): Promise<void> {
  await q.query(
    'UPDATE telemetry_identity SET backoff_until = NULL, backoff_failures = 0 WHERE id = 1 AND backoff_failures <> 0',
  );
}

/** A transient failure: no vendor request before `until`; stored, so that a restart keeps it. */
export async function recordBackoff(q: Queryable, until: Date, failures: number): Promise<void> {
  await q.query('UPDATE telemetry_identity SET backoff_until = $1, backoff_failures = $2 WHERE id = 1', [
    until,
    failures,
  ]);
}

/**
 * The database's cluster-bound identity: PostgreSQL's system identifier (made by initdb, kept by
 * physical replicas and restarts, new in another cluster) with the database's oid (new after a
 * dump and restore or a template copy). Null when the server does not let us read it.
 */
export async function readClusterId(q: Queryable): Promise<string | null> {
  try {
    const { rows } = await q.query<{ id: string }>(
      `SELECT s.system_identifier::text || ':' || d.oid::text AS id
       FROM pg_control_system() s, pg_database d WHERE d.datname = current_database()`,
    );
    return rows[0]?.id ?? null;
  } catch {
    return null;
  }
}

export async function recordClusterId(q: Queryable, clusterId: string): Promise<void> {
  await q.query('UPDATE telemetry_identity SET cluster_id = $1 WHERE id = 1', [clusterId]);
}

/**
 * This database is a copy of another installation's (DECISIONS §4): it becomes an installation of
 * its own, with a new installation id (so a new fingerprint) and no vendor identity, remembering
 * the instance it came from. The original keeps its instance.
 */
export async function becomeCopy(
  q: Queryable,
  input: { clusterId: string; fromInstanceId: string | null; now: Date },
): Promise<void> {
  await q.query(
    `UPDATE telemetry_identity
     SET installation_id = gen_random_uuid(), cluster_id = $1,
         copied_from_instance_id = coalesce($2, copied_from_instance_id), copied_at = $3,
         customer_id = NULL, instance_id = NULL, service_token = NULL, instance_fingerprint = NULL,
         last_checkin_at = NULL, last_checkin_error = NULL, backoff_until = NULL, backoff_failures = 0,
         updated_at = $3
     WHERE id = 1`,
    [input.clusterId, input.fromInstanceId, input.now],
  );
}
