import type { Queryable } from '@openhands/db';
import { machineFingerprint, type ReplicatedClient } from '@openhands/replicated';
import {
  becomeCopy,
  forgetCredentials,
  readClusterId,
  readIdentity,
  recordClusterId,
  saveIdentity,
} from '../storage/identity.js';
import type { RequestRecorder } from './request-recorder.js';

/** What every vendor call after the customer call needs. */
export interface Credentials {
  serviceToken: string;
  instanceId: string;
  /** X-Replicated-ClusterID: derived from the installation, stable across pods. */
  clusterId: string;
  /** The instance this installation's database was copied from, when it was (an instance tag). */
  copiedFromInstanceId: string | null;
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
 * they belong to, the service token and the fingerprint the instance was registered with. They
 * are made again only for a different admin email, or when the vendor no longer accepts them.
 *
 * One instance per installation (DECISIONS §4): the customer answer's `instanceId` belongs to the
 * customer, not to this machine (another installation with the same admin email may have
 * registered it), so it is never taken as ours. Our own instance is kept when this installation
 * registered it for this customer; otherwise we register one with our own fingerprint.
 */
export async function ensureCredentials(context: IdentityContext): Promise<Credentials> {
  const { db, client, adminEmail, recorder, signal, now } = context;
  const identity = await readIdentity(db);
  const fingerprint = machineFingerprint(identity.installationId);
  const ownInstance =
    identity.instanceId !== null && identity.instanceFingerprint === fingerprint ? identity.instanceId : null;
  const copiedFromInstanceId = identity.copiedFromInstanceId;
  const sameEmail = identity.adminEmail?.toLowerCase() === adminEmail.toLowerCase();
  if (sameEmail && identity.customerId && ownInstance && identity.serviceToken) {
    return {
      serviceToken: identity.serviceToken,
      instanceId: ownInstance,
      clusterId: fingerprint,
      copiedFromInstanceId,
    };
  }
  const customer = await recorder.call('identity', null, () => client.createCustomer({ email: adminEmail, signal }));
  let instanceId = ownInstance !== null && identity.customerId === customer.customerId ? ownInstance : null;
  if (instanceId === null) {
    const created = await recorder.call('identity', null, () =>
      client.createInstance({ serviceToken: customer.serviceToken, machineFingerprint: fingerprint, signal }),
    );
    instanceId = created.instanceId;
  }
  await saveIdentity(
    db,
    {
      customerId: customer.customerId,
      instanceId,
      adminEmail,
      serviceToken: customer.serviceToken,
      instanceFingerprint: fingerprint,
    },
    now(),
  );
  return { serviceToken: customer.serviceToken, instanceId, clusterId: fingerprint, copiedFromInstanceId };
}

/** The vendor answered 401 (or 404 for our instance): forget what it refused and register again. */
export async function renewCredentials(context: IdentityContext, forgetInstance: boolean): Promise<Credentials> {
  await forgetCredentials(context.db, context.now(), forgetInstance);
  return ensureCredentials(context);
}

/**
 * Notices a database copied or restored into another installation (DECISIONS §4): the cluster
 * identity it runs in is not the one stored beside the installation id. The copy then becomes an
 * installation of its own (new installation id, so a new fingerprint and instance), tagged with
 * the instance it came from. Returns that instance (null when the original had none) on the
 * cycle that noticed it, undefined otherwise.
 */
export async function detectCopy(db: Queryable, now: Date): Promise<{ fromInstanceId: string | null } | undefined> {
  const clusterId = await readClusterId(db);
  if (clusterId === null) return undefined; // the server hides it: nothing to compare
  const identity = await readIdentity(db);
  if (identity.clusterId === clusterId) return undefined;
  if (identity.clusterId === null) {
    await recordClusterId(db, clusterId);
    return undefined;
  }
  await becomeCopy(db, { clusterId, fromInstanceId: identity.instanceId, now });
  return { fromInstanceId: identity.instanceId };
}
