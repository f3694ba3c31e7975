import type { DiagnosisFacts } from './facts.js';
import { failureCause } from './failure-cause.js';
import type { Diagnosis, DiagnosisStateName, DiagnosisToneName } from './schema.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The section of docs/troubleshooting.md (GitHub heading slugs) for each state, and for a network
 * failure its cause; empty when there is nothing to troubleshoot.
 */
export const TROUBLESHOOTING_ANCHORS: Record<DiagnosisStateName, string> = {
  healthy: '',
  awaiting_first_contact: 'uploads-fail',
  unreachable: 'connection-refused-or-timed-out',
  vendor_failing: 'the-vendor-answers-with-an-error',
  refused: 'the-vendor-answers-with-an-error',
  rejected: 'the-vendor-answers-with-an-error',
  no_admin_email: 'no-admin-email-found',
  no_sender: 'no-replica-sends',
  not_sending: '',
};

const NETWORK_ANCHORS: Record<string, string> = {
  dns: 'dns',
  tls: 'tls',
  proxy: 'proxy',
  not_vendor: 'an-answer-that-is-not-the-vendors',
};

interface Cause {
  state: DiagnosisStateName;
  /** The failure's cause code (`refused`, `dns`, `http_403`…); empty when nothing failed. */
  cause?: string;
  headline: string;
  reason: string;
  action: string;
  since: Date | null;
}

/**
 * What is wrong with this installation's reporting, if anything, in one verdict. The order is the
 * order of causes: a build that never sends (a source build aimed at the vendor) sends nothing
 * whatever else holds; without a sender nothing runs, without an admin email nothing can be sent, and
 * only then do the vendor's answers (the newest failure since the last contact, or rejected
 * batches) say why nothing arrives.
 */
export function diagnose(facts: DiagnosisFacts): Diagnosis {
  const cause = causeOf(facts);
  const license = licenseOf(facts);
  return {
    state: cause.state,
    tone: toneOf(cause.state, license),
    headline: cause.headline,
    reason: cause.reason,
    action: cause.action,
    endpoint: facts.endpoint,
    since: cause.since?.toISOString() ?? null,
    failureCount: facts.failures?.count ?? 0,
    enterprise: facts.enterprise,
    license,
    cause: cause.cause ?? '',
    docsAnchor: (cause.cause && NETWORK_ANCHORS[cause.cause]) || TROUBLESHOOTING_ANCHORS[cause.state],
  };
}

function causeOf(facts: DiagnosisFacts): Cause {
  if (facts.sending && !facts.sending.sends) {
    return {
      state: 'not_sending',
      headline: 'This build sends nothing to the vendor',
      reason: facts.sending.note,
      action: 'Run the release image to report to the vendor, or set REPLICATED_API_URL to the emulator to try it out.',
      since: null,
    };
  }
  if (!facts.sender?.alive) {
    return {
      state: 'no_sender',
      headline: 'No server process is sending',
      reason: facts.sender
        ? 'the process holding the sender lock stopped checking in'
        : 'no process has taken the sender role',
      action:
        'Check that a server process is running and can reach the database; another replica takes over once the lock is free.',
      since: facts.sender?.lastSeenAt ?? null,
    };
  }
  if (!facts.adminEmail) {
    return {
      state: 'no_admin_email',
      headline: 'No admin email',
      reason: 'nothing can be sent to the vendor without one',
      action: 'Set OPENHANDS_ADMIN_EMAIL, or have a first user accept the Terms.',
      since: facts.pending.oldestAt,
    };
  }
  if (facts.failures) {
    const { kind, cause, reason } = failureCause(facts.failures.newest);
    return { ...FAILURES[kind], cause, reason, since: facts.failures.oldestAt };
  }
  if (facts.rejected) {
    const { cause, reason } = failureCause({
      at: facts.now,
      kind: 'metrics',
      policy: 'reject',
      error: facts.rejected.newestError,
    });
    return {
      ...FAILURES.rejected,
      cause,
      reason,
      since: facts.rejected.oldestAt,
    };
  }
  if (!facts.lastContactAt) {
    return {
      state: 'awaiting_first_contact',
      headline: 'Not in contact with the vendor yet',
      reason: '',
      action: 'Nothing to do: the first upload happens at the next check.',
      since: facts.pending.oldestAt,
    };
  }
  return {
    state: 'healthy',
    headline: 'Reporting normally',
    reason: '',
    action: 'Nothing to do.',
    since: facts.lastContactAt,
  };
}

const FAILURES: Record<'unreachable' | 'vendor_failing' | 'refused' | 'rejected', Omit<Cause, 'reason' | 'since'>> = {
  unreachable: {
    state: 'unreachable',
    headline: 'Cannot reach the vendor',
    action: 'Check DNS, the firewall, the proxy settings (HTTPS_PROXY, NO_PROXY) and the CA bundle from this server.',
  },
  vendor_failing: {
    state: 'vendor_failing',
    headline: "The vendor's service is failing",
    action: 'Nothing to fix here: uploads are retried with back-off. Contact the vendor if it lasts.',
  },
  refused: {
    state: 'refused',
    headline: 'The vendor refused this installation',
    action: 'Contact the vendor about the license; sending again will not help.',
  },
  rejected: {
    state: 'rejected',
    headline: 'The vendor rejected batches',
    action: 'Contact the vendor with the batch and its error; a rejected batch is not sent again.',
  },
};

function licenseOf(facts: DiagnosisFacts): Diagnosis['license'] {
  const { warn, message } = facts.license;
  // Outside enterprise mode there is no license warning, hence no expiry to count down to.
  const expiresAt = facts.enterprise ? facts.license.expiresAt : null;
  if (!expiresAt) return { warn, message, expiresAt: null, daysLeft: null, expired: false };
  const leftMs = expiresAt.getTime() - facts.now.getTime();
  // A part day counts as a day, as in the banner's "will expire in N days".
  const daysLeft = Math.max(0, Math.ceil(leftMs / DAY_MS));
  return { warn, message, expiresAt: expiresAt.toISOString(), daysLeft, expired: leftMs <= 0 };
}

function toneOf(state: DiagnosisStateName, license: Diagnosis['license']): DiagnosisToneName {
  if (license.expired || state === 'refused') return 'danger';
  if (license.warn || state === 'unreachable' || state === 'vendor_failing' || state === 'rejected') return 'warning';
  if (state === 'no_sender' || state === 'no_admin_email' || state === 'not_sending') return 'warning';
  return state === 'healthy' ? 'good' : 'waiting';
}
