import { failureCause } from '@openhands/telemetry/diagnosis';
import type {
  AttemptKind,
  BatchSummary,
  CollectedBatch,
  TelemetryPhase,
  UploadReport,
} from '../../../api/telemetry-types';
import { formatWhen } from '../../../components/format';

// Every code the admin API answers with, said in words. The engine's error messages are written for
// an operator's log; the page leads with a short reason and keeps the full message one click away.

/** "1 batch", "3 batches". */
export const countOf = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export const NO_ADMIN_EMAIL =
  'Waiting for an admin email: set OPENHANDS_ADMIN_EMAIL or have a first user accept the Terms';

export function phaseSentence(phase: TelemetryPhase): string {
  return phase === 'normal'
    ? 'Normal: checking hourly'
    : 'Bootstrap: checking every 3 minutes until the vendor knows this installation';
}

export function emailSourceSentence(source: string | null): string {
  if (source === 'env') return 'From OPENHANDS_ADMIN_EMAIL';
  if (source === 'first_tos_acceptance')
    return 'From the first user to accept the Terms (OPENHANDS_ADMIN_EMAIL is not set)';
  return source ?? '';
}

/**
 * The reason inside an engine error message, short enough for a list: "could not reach the vendor
 * (connection refused)". The cause is read by the same function as the diagnosis at the top of the
 * page (packages/telemetry/src/diagnosis), so the list and the status never disagree on what a
 * failure was (a 403 is a refusal in both, never "could not reach").
 */
export function plainReason(error: string): string {
  const { kind, cause, reason } = failureCause({ at: new Date(0), kind: 'metrics', error });
  const status = /^http_(\d+)$/.exec(cause)?.[1];
  switch (kind) {
    case 'unreachable':
      if (cause === 'timeout') return 'the vendor did not answer in time';
      if (cause === 'not_vendor' || cause === 'aborted') return reason;
      // No known cause: the message itself says more than a guess would.
      if (reason === error) return vendorMessage(error) ?? error;
      return `could not reach the vendor (${reason})`;
    case 'refused':
      return status === '401'
        ? 'the vendor did not accept our credentials; they are renewed on the next try'
        : `the vendor refused this installation (${reason})`;
    case 'vendor_failing':
      return status === '429' ? 'the vendor asked us to slow down' : `the vendor's service failed (HTTP ${status})`;
    case 'rejected':
      return reason;
  }
}

/** What the vendor itself said, when the message quotes it: `…: "data must not be empty" [code]. …`. */
export function vendorMessage(error: string): string | undefined {
  return /: "([^"]+)"/.exec(error)?.[1];
}

export function rejectedSentence(error: string): string {
  const said = vendorMessage(error);
  if (said) return `rejected by the vendor: ${said}`;
  // Our own check refused it before sending ("Invalid …: …. Fix these …").
  const invalid = /^Invalid [^:]+: (.*?)\. Fix these/.exec(error);
  return `rejected by the vendor: ${invalid?.[1] ?? error}`;
}

const attempts = (n: number) => countOf(n, 'attempt', 'attempts');

/** One batch in words: "waiting to be sent, 2 attempts, next try at 14:05 (the vendor did not answer in time)". */
export function batchSentence(batch: BatchSummary, now: Date): string {
  if (batch.status === 'uploaded') return batch.uploadedAt ? `sent ${formatWhen(batch.uploadedAt, now)}` : 'sent';
  if (batch.status === 'rejected') return rejectedSentence(batch.lastError ?? 'no reason given');
  if (batch.attempts === 0) return 'waiting to be sent with the next upload';
  const next = batch.nextAttemptAt ? `, next try at ${formatWhen(batch.nextAttemptAt, now)}` : '';
  const reason = batch.lastError ? ` (${plainReason(batch.lastError)})` : '';
  return `waiting to be sent, ${attempts(batch.attempts)}${next}${reason}`;
}

const STAGES: Record<AttemptKind, string> = {
  identity: 'Registering with the vendor',
  metrics: 'Sending a batch',
  checkin: 'Checking in with the vendor',
};

export function stageLabel(kind: string): string {
  return STAGES[kind as AttemptKind] ?? kind;
}

/** A failed vendor request of the error list, as a sentence. */
export function errorSentence(error: { kind: string; outcome: string; error: string }): string {
  if (error.outcome === 'rejected') return `A batch was ${rejectedSentence(error.error)}`;
  return `${stageLabel(error.kind)} failed: ${plainReason(error.error)}`;
}

const batches = (n: number) => countOf(n, 'batch', 'batches');

/** What "Upload now" did, for the status line. */
export function uploadSentence(report: UploadReport, now: Date): string {
  const checkIn =
    report.checkIn === 'failed' && report.failure
      ? ` The check-in failed (${plainReason(report.failure.error)}); it is tried again at the next check.`
      : '';
  const rejected = report.rejected.length
    ? ` ${report.rejected.length === 1 ? 'One batch was' : `${report.rejected.length} batches were`} ${rejectedSentence(report.rejected[0]?.error ?? '')}.`
    : '';
  switch (report.outcome) {
    case 'uploaded': {
      const sent = report.sent.length
        ? `Sent ${batches(report.sent.length)} to the vendor${report.checkIn === 'sent' ? ' and checked in' : ''}.`
        : 'Nothing was sent.';
      return `${sent}${rejected}${checkIn}`;
    }
    case 'checked_in':
      return report.checkIn === 'sent'
        ? 'Nothing was waiting to be sent; checked in with the vendor.'
        : `Nothing was waiting to be sent.${checkIn}`;
    case 'no_admin_email':
      return `Nothing was sent. ${NO_ADMIN_EMAIL}.`;
    case 'failed': {
      const failure = report.failure;
      if (!failure) return 'The upload failed.';
      const retry = failure.retryAt ? ` Next try at ${formatWhen(failure.retryAt, now)}.` : '';
      const kept = report.sent.length ? ` ${batches(report.sent.length)} went through before that.` : '';
      return `The upload failed: ${stageLabel(failure.stage).toLowerCase()} failed because ${plainReason(failure.error)}.${kept} The batches stay waiting.${retry}`;
    }
    case 'aborted':
      return 'The upload was stopped before it finished (the server is shutting down or another replica took over). Nothing is lost: the batches stay waiting.';
    default:
      return `The upload ended with "${String(report.outcome)}".`;
  }
}

/** What "Collect now" did, for the status line. */
export function collectSentence(batch: CollectedBatch, now: Date): string {
  const count = Object.keys(batch.metrics).length;
  const base = `Collected ${countOf(count, 'metric', 'metrics')} at ${formatWhen(batch.collectedAt, now)}; the batch is waiting to be sent.`;
  if (batch.errors.length === 0) return base;
  const failed = batch.errors.map((error) => `${error.collector} (${error.message})`).join(', ');
  return `${base} ${batch.errors.length === 1 ? 'One collector' : `${batch.errors.length} collectors`} failed: ${failed}.`;
}
