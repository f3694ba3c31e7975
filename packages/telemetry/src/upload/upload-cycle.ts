import type { Queryable } from '@openhands/db';
import { type ReplicatedClient, vendorVerdict } from '@openhands/replicated';
import { ATTEMPTS_RETENTION_DAYS, CLAIM_LEASE_MS, DAY_MS } from '../config/constants.js';
import { backoffDelayMs } from '../schedule/backoff.js';
import { clearBackoff, readIdentity, recordBackoff, recordCheckIn } from '../storage/identity.js';
import {
  claimNextBatch,
  deferPending,
  listPending,
  markRejected,
  markUploaded,
  type PendingBatch,
  recordFailedAttempt,
  releaseClaim,
} from '../storage/pending-batches.js';
import { pruneAttempts } from '../storage/upload-attempts.js';
import { type Credentials, detectCopy, ensureCredentials, renewCredentials } from './identity-manager.js';
import { sendingPolicy } from './release-guard.js';
import { RequestRecorder } from './request-recorder.js';

export interface UploadCycleOptions {
  db: Queryable;
  client: ReplicatedClient;
  /** The admin email now, or undefined: then nothing is sent. */
  adminEmail: string | undefined;
  appVersion: string;
  instanceName: string;
  /** Who holds the batches being sent (process id), for the leases. */
  holder: string;
  now: () => Date;
  /** Jitter of the back-off draws from it. */
  random: () => number;
  signal: AbortSignal;
  onBatchSent?: (batch: PendingBatch) => void;
  /** Default: this build (a source build never sends to the vendor's real endpoint). */
  releaseBuild?: boolean;
}

export type UploadOutcome =
  | 'uploaded'
  | 'checked_in'
  | 'no_admin_email'
  | 'failed'
  | 'aborted'
  /** A source build pointed at the vendor's real endpoint: nothing is sent (DECISIONS §5). */
  | 'sending_disabled';

export interface UploadCycleReport {
  outcome: UploadOutcome;
  /** Requests made to the vendor in this cycle. */
  requests: number;
  sent: Array<{ batchId: string; collectedAt: string; metricCount: number }>;
  rejected: Array<{ batchId: string; error: string }>;
  failure?: { stage: 'identity' | 'metrics' | 'checkin'; error: string; retryAt?: string };
  checkIn: 'sent' | 'failed' | 'skipped';
  /** Set on the one cycle that noticed this database is a copy of another installation's. */
  copyDetected?: { fromInstanceId: string | null };
  /** Attempts older than 90 days dropped by this cycle. */
  prunedAttempts: number;
}

type Stage = 'identity' | 'metrics' | 'checkin';

/**
 * One cycle with the vendor (DECISIONS §2 and §4): the identity (cached), then each pending batch,
 * oldest first, in one metrics request (the vendor replaces the whole set), then one status
 * check-in; with no batch pending it is a heartbeat. With B pending batches that is at most B + 3
 * requests, plus at most 3 when the vendor asks once to register again.
 *
 * What an answer means is `vendorVerdict`'s alone: a rejected batch is marked and the others go
 * on; a transient failure ends the cycle, keeps every batch, and stores one vendor-wide back-off
 * (3 min doubling to 6 h, the vendor's Retry-After up to 24 h), which the scheduler honours.
 */
export async function runUploadCycle(options: UploadCycleOptions): Promise<UploadCycleReport> {
  const { db, client, adminEmail, signal, now } = options;
  const recorder = new RequestRecorder(db, now);
  const report: UploadCycleReport = {
    outcome: 'uploaded',
    requests: 0,
    sent: [],
    rejected: [],
    checkIn: 'skipped',
    prunedAttempts: await pruneAttempts(db, new Date(now().getTime() - ATTEMPTS_RETENTION_DAYS * DAY_MS)),
  };
  const finish = (outcome: UploadOutcome) => ({ ...report, outcome, requests: recorder.requests });
  if (!sendingPolicy(client.baseUrl, options.releaseBuild).sends) return finish('sending_disabled');
  if (!adminEmail) return finish('no_admin_email');

  const copy = await detectCopy(db, now());
  if (copy) report.copyDetected = copy;

  const identity = { db, client, adminEmail, recorder, signal, now };
  const isRejection = (error: unknown) => vendorVerdict(error).verdict === 'reject';
  let renewed = false;
  // Runs a vendor call; when the vendor asks us to register again, does so once and repeats it.
  const withCredentials = async <T>(
    kind: 'metrics' | 'checkin',
    batchId: string | null,
    call: (credentials: Credentials) => Promise<T>,
  ): Promise<T> => {
    try {
      return await recorder.call(kind, batchId, () => call(credentials), isRejection);
    } catch (error) {
      if (renewed || vendorVerdict(error).verdict !== 'reregister') throw error;
      renewed = true;
      credentials = await renewCredentials(identity, (error as { status?: number }).status === 404);
      return recorder.call(kind, batchId, () => call(credentials), isRejection);
    }
  };

  let credentials: Credentials;
  try {
    credentials = await ensureCredentials(identity);
  } catch (error) {
    if (vendorVerdict(error).verdict === 'aborted') return finish('aborted');
    const pending = await listPending(db);
    report.failure = await backOff(
      options,
      pending.map((b) => b.id),
      'identity',
      error,
    );
    return finish('failed');
  }

  for (;;) {
    const batch = await claimNextBatch(db, options.holder, now(), CLAIM_LEASE_MS);
    if (!batch) break;
    try {
      await withCredentials('metrics', batch.id, (c) =>
        client.sendMetrics({
          serviceToken: c.serviceToken,
          instanceId: c.instanceId,
          clusterId: c.clusterId,
          data: batch.metrics,
          signal,
        }),
      );
      await markUploaded(db, batch.id, options.holder, now());
      await clearBackoff(db);
      report.sent.push({
        batchId: batch.id,
        collectedAt: batch.collectedAt.toISOString(),
        metricCount: Object.keys(batch.metrics).length,
      });
      options.onBatchSent?.(batch);
    } catch (error) {
      const { verdict } = vendorVerdict(error);
      if (verdict === 'aborted') {
        await releaseClaim(db, batch.id, options.holder);
        return finish('aborted');
      }
      if (verdict === 'reject') {
        const message = describe(error);
        await markRejected(db, batch.id, options.holder, now(), message);
        // The vendor answered with its own JSON: the connection works.
        await clearBackoff(db);
        report.rejected.push({ batchId: batch.id, error: message });
        continue;
      }
      await releaseClaim(db, batch.id, options.holder);
      report.failure = await backOff(options, [batch.id], 'metrics', error);
      return finish('failed');
    }
  }

  try {
    await withCredentials('checkin', null, (c) =>
      client.checkIn({
        serviceToken: c.serviceToken,
        instanceId: c.instanceId,
        clusterId: c.clusterId,
        appStatus: 'ready',
        versionLabel: options.appVersion,
        instanceName: options.instanceName,
        ...(c.copiedFromInstanceId ? { tags: { copied_from_instance: c.copiedFromInstanceId } } : {}),
        signal,
      }),
    );
    await recordCheckIn(db, now(), null);
    await clearBackoff(db);
    report.checkIn = 'sent';
  } catch (error) {
    if (vendorVerdict(error).verdict === 'aborted') return finish('aborted');
    // A missed heartbeat is retried when the back-off ends, not a day later.
    await recordCheckIn(db, now(), describe(error));
    report.checkIn = 'failed';
    report.failure = await backOff(options, [], 'checkin', error);
    return finish(report.sent.length > 0 || report.rejected.length > 0 ? 'uploaded' : 'failed');
  }
  return finish(report.sent.length > 0 || report.rejected.length > 0 ? 'uploaded' : 'checked_in');
}

/** Counts the failure on the batches that took part, and stores the next vendor-wide back-off. */
async function backOff(
  options: UploadCycleOptions,
  attemptedIds: readonly string[],
  stage: Stage,
  error: unknown,
): Promise<NonNullable<UploadCycleReport['failure']>> {
  const { db, now } = options;
  const message = describe(error);
  await recordFailedAttempt(db, attemptedIds, now(), message);
  const verdict = vendorVerdict(error);
  const failures = (await readIdentity(db)).backoffFailures + 1;
  const delay = backoffDelayMs({
    failures,
    retryAfterMs: verdict.verdict === 'retry' ? verdict.retryAfterMs : undefined,
    random: options.random,
  });
  const retryAt = new Date(now().getTime() + delay);
  await recordBackoff(db, retryAt, failures);
  // Shown per batch on the admin page; the scheduler reads the vendor-wide back-off.
  await deferPending(db, retryAt, now());
  return { stage, error: message, retryAt: retryAt.toISOString() };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
