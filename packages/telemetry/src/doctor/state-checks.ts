import type { TelemetryOverview } from '../api/schemas.js';
import { describeDuration } from './durations.js';
import type { DoctorCheck } from './report.js';
import { TROUBLESHOOTING } from './report.js';

/** What the server knows about its own telemetry, as the admin page reads it. */
export interface DoctorFacts {
  now: Date;
  enterprise: boolean;
  /** Whether this build sends at all (a source build never sends to the vendor's real endpoint). */
  sending: { sends: boolean; note: string };
  adminEmail: { email: string; source: string } | null;
  /** The replica that last held the sender lock, from the row it writes at each check. */
  sender: {
    holder: string;
    isThisProcess: boolean;
    lastSeenAt: Date | null;
    stale: boolean;
    staleMessage: string | null;
  } | null;
  pendingCount: number;
  oldestPendingAt: Date | null;
  backoffUntil: Date | null;
  /** The newest request the vendor accepted: a batch upload or a check-in. */
  lastContactAt: Date | null;
  /** The newest failed vendor request (upload, registration or check-in). */
  lastFailure: { at: Date; kind: string; error: string } | null;
  /** Failed requests since the last contact, every one counted. */
  failureCount: number;
  license: { warn: boolean; message: string; expiresAt: Date | null; daysLeft: number | null };
  uploadIntervalHours: number;
}

/** The doctor's facts from the admin overview (GET /api/admin/telemetry), so both read one state. */
export function factsFromOverview(overview: TelemetryOverview, now: Date): DoctorFacts {
  const date = (text: string | null | undefined) => (text ? new Date(text) : null);
  const pendingTimes = overview.recentBatches
    .filter((b) => b.status === 'pending')
    .map((b) => Date.parse(b.collectedAt));
  const failure = overview.recentErrors[0];
  const leader = overview.leader;
  return {
    now,
    enterprise: overview.enterprise,
    sending: { sends: overview.sending.sends, note: overview.sending.note },
    adminEmail: overview.identity.adminEmail
      ? { email: overview.identity.adminEmail, source: overview.identity.adminEmailSource ?? 'unknown' }
      : null,
    sender: leader
      ? {
          holder: leader.holder,
          isThisProcess: leader.isThisProcess,
          lastSeenAt: date(leader.lastSeenAt),
          stale: leader.stale,
          staleMessage: leader.staleMessage,
        }
      : null,
    pendingCount: overview.pendingCount,
    oldestPendingAt: pendingTimes.length > 0 ? new Date(Math.min(...pendingTimes)) : null,
    backoffUntil: date(overview.backoffUntil),
    lastContactAt: latest(date(overview.lastUpload?.at), date(overview.lastCheckIn.at)),
    lastFailure: failure ? { at: new Date(failure.at), kind: failure.kind, error: failure.error } : null,
    failureCount: overview.diagnosis.failureCount,
    license: {
      warn: overview.license.warn,
      message: overview.license.message,
      expiresAt: date(overview.diagnosis.license.expiresAt),
      daysLeft: overview.diagnosis.license.daysLeft,
    },
    uploadIntervalHours: overview.settings.uploadIntervalHours,
  };
}

const HOURLY_MS = 60 * 60_000;

const SOURCES: Record<string, string> = {
  env: 'from OPENHANDS_ADMIN_EMAIL',
  first_tos_acceptance: 'the first user to accept the Terms of Service',
};

function latest(a: Date | null, b: Date | null): Date | null {
  if (!a || !b) return a ?? b;
  return a > b ? a : b;
}

/** The server-side checks: whether this build sends, who the vendor knows, who sends, what waits, and the license state. */
export function stateChecks(facts: DoctorFacts): DoctorCheck[] {
  return [sending(facts), adminEmail(facts), sender(facts), pending(facts), lastUpload(facts), license(facts)];
}

function ago(facts: DoctorFacts, at: Date): string {
  return `${describeDuration(Math.max(0, facts.now.getTime() - at.getTime()))} ago (${at.toISOString()})`;
}

function sending(facts: DoctorFacts): DoctorCheck {
  if (facts.sending.sends) return { id: 'endpoint', status: 'ok', summary: facts.sending.note };
  return {
    id: 'endpoint',
    status: 'warn',
    summary: facts.sending.note,
    fix: 'Install the release image (built with the vendor key), or point REPLICATED_API_URL at the emulator to try the flow.',
    docs: TROUBLESHOOTING.uploadsFail,
  };
}

function adminEmail(facts: DoctorFacts): DoctorCheck {
  if (!facts.adminEmail) {
    return {
      id: 'admin-email',
      status: 'fail',
      summary:
        'No admin email: OPENHANDS_ADMIN_EMAIL is not set and no user has accepted the Terms of Service, so nothing is uploaded (collection goes on).',
      fix: 'Set telemetry.adminEmail (OPENHANDS_ADMIN_EMAIL) to the address the vendor knows you by, or have an administrator sign in and accept the Terms.',
      docs: TROUBLESHOOTING.noEmail,
    };
  }
  const source = SOURCES[facts.adminEmail.source] ?? facts.adminEmail.source;
  return { id: 'admin-email', status: 'ok', summary: `Admin email ${facts.adminEmail.email} (${source}).` };
}

function sender(facts: DoctorFacts): DoctorCheck {
  const s = facts.sender;
  if (!s) {
    return {
      id: 'sender',
      status: 'fail',
      summary: 'No replica has ever held the sender lock: telemetry never ran its loop on this database.',
      fix: 'Look for "telemetry did not start" in the server log; it names the cause.',
      docs: TROUBLESHOOTING.noSender,
    };
  }
  const who = s.isThisProcess ? `this process (${s.holder})` : `replica ${s.holder}`;
  const seen = s.lastSeenAt ? `last check ${ago(facts, s.lastSeenAt)}` : 'no check yet';
  if (s.stale) {
    return {
      id: 'sender',
      status: 'fail',
      summary: `No sender: ${s.staleMessage ?? `${who} missed its checks`} (${seen}); no replica has taken over.`,
      fix: 'Check that a server pod runs and reaches the database; through a pooler, use session mode (a transaction pooler loses the lock).',
      docs: TROUBLESHOOTING.noSender,
    };
  }
  const subject = s.isThisProcess ? `This process (${s.holder})` : `Replica ${s.holder}`;
  return { id: 'sender', status: 'ok', summary: `${subject} holds the sender lock; ${seen}.` };
}

function pending(facts: DoctorFacts): DoctorCheck {
  if (facts.pendingCount === 0 || !facts.oldestPendingAt) {
    return { id: 'pending', status: 'ok', summary: 'No batch waiting to be sent.' };
  }
  const waitingMs = facts.now.getTime() - facts.oldestPendingAt.getTime();
  const count = `${facts.pendingCount} batch${facts.pendingCount === 1 ? '' : 'es'} waiting`;
  const retry = facts.backoffUntil ? `; next attempt ${facts.backoffUntil.toISOString()}` : '';
  if (waitingMs <= facts.uploadIntervalHours * HOURLY_MS + HOURLY_MS) {
    return {
      id: 'pending',
      status: 'ok',
      summary: `${count}, the oldest collected ${ago(facts, facts.oldestPendingAt)}${retry}.`,
    };
  }
  return {
    id: 'pending',
    status: 'warn',
    summary: `${count}, the oldest collected ${ago(facts, facts.oldestPendingAt)}, longer than the ${facts.uploadIntervalHours} h upload interval${retry}.`,
    fix: 'Fix what the failing lines above name; the batches are kept and sent once the vendor is reached.',
    docs: TROUBLESHOOTING.uploadsFail,
  };
}

/** Whether the vendor has heard from this installation lately, and if not, the newest failure. */
function lastUpload(facts: DoctorFacts): DoctorCheck {
  const failure = facts.lastFailure;
  const contact = facts.lastContactAt;
  if (failure && (!contact || failure.at > contact)) {
    const since = contact ? `last contact ${ago(facts, contact)}` : 'the vendor never accepted a request';
    const count = facts.failureCount > 1 ? ` (${facts.failureCount} failed requests since)` : '';
    return {
      id: 'last-upload',
      status: 'fail',
      summary: `The last vendor request (${failure.kind}, ${ago(facts, failure.at)}) failed: ${failure.error}; ${since}${count}.`,
      fix: 'The failing network lines name the cause; an HTTP 401/403 or a rejected batch is the vendor speaking (see the docs link).',
      docs: /\b(401|403|400|422)\b/.test(failure.error) ? TROUBLESHOOTING.vendorError : TROUBLESHOOTING.uploadsFail,
    };
  }
  if (!contact) return { id: 'last-upload', status: 'skip', summary: 'Nothing sent yet, and no attempt has failed.' };
  return {
    id: 'last-upload',
    status: 'ok',
    summary: `Last contact with the vendor (upload or check-in) ${ago(facts, contact)}.`,
  };
}

function expiry(facts: DoctorFacts): string {
  const { expiresAt, daysLeft } = facts.license;
  if (!expiresAt) return '';
  const left =
    daysLeft === null ? '' : daysLeft === 0 ? ', expired' : `, ${daysLeft} day${daysLeft === 1 ? '' : 's'} left`;
  return ` (expiry ${expiresAt.toISOString().slice(0, 10)}${left})`;
}

function license(facts: DoctorFacts): DoctorCheck {
  if (!facts.enterprise) {
    return {
      id: 'license',
      status: 'ok',
      summary:
        'Not an OpenHands Enterprise install (GITHUB_APP_CLIENT_ID, KEYCLOAK_SERVER_URL, KEYCLOAK_REALM_NAME not all set): no license warning can show.',
    };
  }
  if (!facts.license.warn) return { id: 'license', status: 'ok', summary: 'No license warning.' };
  return {
    id: 'license',
    status: 'fail',
    summary: `License warning on every page: "${facts.license.message}"${expiry(facts)}`,
    fix: 'Restore uploads (the lines above say why they fail); the warning clears at the first successful upload, without a restart.',
    docs: TROUBLESHOOTING.license,
  };
}
