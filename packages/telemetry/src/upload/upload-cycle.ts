import type { Queryable } from '@openhands/db';
import { classifyError, isReplicatedError, type ReplicatedClient } from '@openhands/replicated';
import { CLAIM_LEASE_MS } from '../config/constants.js';
import { backoffDelayMs } from '../schedule/backoff.js';
import { recordCheckIn } from '../storage/identity.js';
import {
  claimNextBatch,
  deferPending,
  listPending,
  markRejected,
  markUploaded,
  maxPendingAttempts,
  type PendingBatch,
  recordFailedAttempt,
  releaseClaim,
} from '../storage/pending-batches.js';
import { type Credentials, ensureCredentials, renewCredentials } from './identity-manager.js';
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
  random: () => number;
  /** The longest back-off: the check interval of the current phase. */
  maxBackoffMs: number;
  signal: AbortSignal;
  onBatchSent?: (batch: PendingBatch) => void;
}

export type UploadOutcome = 'uploaded' | 'checked_in' | 'no_admin_email' | 'failed' | 'aborted';

export interface UploadCycleReport {
  outcome: UploadOutcome;
  /** Requests made to the vendor in this cycle. */
  requests: number;
  sent: Array<{ batchId: string; collectedAt: string; metricCount: number }>;
  rejected: Array<{ batchId: string; error: string }>;
  failure?: { stage: 'identity' | 'metrics' | 'checkin'; error: string; retryAt?: string };
  checkIn: 'sent' | 'failed' | 'skipped';
}

/**
 * One upload cycle (DECISIONS §2 and §4): the identity (cached), then each pending batch,
 * oldest first, in one metrics request (the vendor replaces the whole set), then one status
 * check-in. With B pending batches that is at most B + 3 requests, plus at most 3 when the
 * vendor answers 401 once and the identity is made again.
 *
 * A batch the vendor calls invalid is marked rejected and the others go on. A transient failure
 * ends the cycle and puts every pending batch off with an exponential back-off stored on the rows.
 */
export async function runUploadCycle(options: UploadCycleOptions): Promise<UploadCycleReport> {
  const { db, client, adminEmail, signal, now } = options;
  const recorder = new RequestRecorder(db, now);
  const report: UploadCycleReport = { outcome: 'uploaded', requests: 0, sent: [], rejected: [], checkIn: 'skipped' };
  const finish = (outcome: UploadOutcome) => ({ ...report, outcome, requests: recorder.requests });
  if (!adminEmail) return finish('no_admin_email');

  const identity = { db, client, adminEmail, recorder, signal, now };
  let renewed = false;
  // Runs a vendor call; on a first 401 registers again and repeats the call once.
  const withCredentials = async <T>(call: (credentials: Credentials) => Promise<T>): Promise<T> => {
    try {
      return await call(credentials);
    } catch (error) {
      if (renewed || !classifyError(error).reauthenticate) throw error;
      renewed = true;
      credentials = await renewCredentials(identity);
      return call(credentials);
    }
  };

  let credentials: Credentials;
  try {
    credentials = await ensureCredentials(identity);
  } catch (error) {
    if (isAborted(error)) return finish('aborted');
    const pending = await listPending(db);
    report.failure = await failAndBackOff(
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
      await withCredentials((c) =>
        recorder.call(
          'metrics',
          batch.id,
          () =>
            client.sendMetrics({
              serviceToken: c.serviceToken,
              instanceId: c.instanceId,
              clusterId: c.clusterId,
              data: batch.metrics,
              signal,
            }),
          isInvalidBatch,
        ),
      );
      await markUploaded(db, batch.id, options.holder, now());
      report.sent.push({
        batchId: batch.id,
        collectedAt: batch.collectedAt.toISOString(),
        metricCount: Object.keys(batch.metrics).length,
      });
      options.onBatchSent?.(batch);
    } catch (error) {
      if (isAborted(error)) {
        await releaseClaim(db, batch.id, options.holder);
        return finish('aborted');
      }
      if (isInvalidBatch(error)) {
        const message = describe(error);
        await markRejected(db, batch.id, options.holder, now(), message);
        report.rejected.push({ batchId: batch.id, error: message });
        continue;
      }
      await releaseClaim(db, batch.id, options.holder);
      report.failure = await failAndBackOff(options, [batch.id], 'metrics', error);
      return finish('failed');
    }
  }

  try {
    await withCredentials((c) =>
      recorder.call('checkin', null, () =>
        client.checkIn({
          serviceToken: c.serviceToken,
          instanceId: c.instanceId,
          clusterId: c.clusterId,
          appStatus: 'ready',
          versionLabel: options.appVersion,
          instanceName: options.instanceName,
          signal,
        }),
      ),
    );
    await recordCheckIn(db, now(), null);
    report.checkIn = 'sent';
  } catch (error) {
    if (isAborted(error)) return finish('aborted');
    // The metrics are in; a missed heartbeat is retried at the next check, not backed off.
    await recordCheckIn(db, now(), describe(error));
    report.checkIn = 'failed';
    report.failure = { stage: 'checkin', error: describe(error) };
  }
  return finish(report.sent.length > 0 || report.rejected.length > 0 ? 'uploaded' : 'checked_in');
}

async function failAndBackOff(
  options: UploadCycleOptions,
  attemptedIds: readonly string[],
  stage: 'identity' | 'metrics',
  error: unknown,
): Promise<NonNullable<UploadCycleReport['failure']>> {
  const { db, now } = options;
  const message = describe(error);
  await recordFailedAttempt(db, attemptedIds, now(), message);
  const attempts = Math.max(await maxPendingAttempts(db), 1);
  const delay = backoffDelayMs({
    attempts,
    maxMs: options.maxBackoffMs,
    retryAfterMs: classifyError(error).retryAfterMs,
    random: options.random,
  });
  const retryAt = new Date(now().getTime() + delay);
  await deferPending(db, retryAt, now());
  return { stage, error: message, retryAt: retryAt.toISOString() };
}

/**
 * Final for the batch: the vendor (or our own check before sending) says its content is invalid.
 * Authorization and licence answers (401, 403) are about us, not the batch: those are retried.
 */
function isInvalidBatch(error: unknown): boolean {
  if (!isReplicatedError(error)) return false;
  if (error.code === 'REPLICATED_ERR_VALIDATION') return true;
  return error.code === 'REPLICATED_ERR_API' && error.status >= 400 && error.status < 500 && error.status !== 408;
}

function isAborted(error: unknown): boolean {
  return isReplicatedError(error) && error.code === 'REPLICATED_ERR_ABORTED';
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
