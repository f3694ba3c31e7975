import type { Queryable } from '@openhands/db';
import { machineFingerprint, type ReplicatedClient } from '@openhands/replicated';
import { forgetServiceToken, readIdentity, saveIdentity } from '../storage/identity.js';
import type { RequestRecorder } from './request-recorder.js';

/** What every vendor call after the customer call needs. */
export interface Credentials {
  serviceToken: string;
  instanceId: string;
  /** X-Replicated-ClusterID: derived from the installation, stable across pods. */
  clusterId: string;
}

/** What registering with the vendor needs. */
export interface IdentityContext {
  db: Queryable;
  client: ReplicatedClient;
  adminEmail: string;
  recorder: RequestRecorder;
  signal: AbortSignal;
  now: () => Date;
}

/**
 * The customer and instance are created once and cached in `telemetry_identity` with the email
 * they belong to and the service token. They are made again only for a different admin email,
 * or when the vendor no longer accepts the token (DECISIONS §2).
 */
export async function ensureCredentials(context: IdentityContext): Promise<Credentials> {
  const { db, client, adminEmail, recorder, signal, now } = context;
  const identity = await readIdentity(db);
  const clusterId = machineFingerprint(identity.installationId);
  const sameEmail = identity.adminEmail?.toLowerCase() === adminEmail.toLowerCase();
  if (sameEmail && identity.customerId && identity.instanceId && identity.serviceToken) {
    return { serviceToken: identity.serviceToken, instanceId: identity.instanceId, clusterId };
  }
  const customer = await recorder.call('identity', null, () => client.createCustomer({ email: adminEmail, signal }));
  let instanceId = customer.instanceId;
  if (!instanceId) {
    const created = await recorder.call('identity', null, () =>
      client.createInstance({ serviceToken: customer.serviceToken, machineFingerprint: clusterId, signal }),
    );
    instanceId = created.instanceId;
  }
  await saveIdentity(
    db,
    { customerId: customer.customerId, instanceId, adminEmail, serviceToken: customer.serviceToken },
    now(),
  );
  return { serviceToken: customer.serviceToken, instanceId, clusterId };
}

/** The vendor answered 401: forget the token and register again, once per cycle. */
export async function renewCredentials(context: IdentityContext): Promise<Credentials> {
  await forgetServiceToken(context.db, context.now());
  return ensureCredentials(context);
}
