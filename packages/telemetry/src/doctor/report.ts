/**
 * What `openhands-telemetry doctor` prints and `GET /api/admin/telemetry/doctor` returns: one line
 * per check, each with what to do when it fails. The shape is the CLI's `--json` contract.
 */

/** ok: fine; warn: works but needs attention; fail: this is (part of) why uploads fail; skip: did not apply. */
export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip';

export type CheckId =
  | 'endpoint'
  | 'proxy'
  | 'dns'
  | 'tcp'
  | 'tls'
  | 'vendor'
  | 'clock'
  | 'admin-email'
  | 'sender'
  | 'pending'
  | 'last-upload'
  | 'license';

export interface DoctorCheck {
  id: CheckId;
  status: CheckStatus;
  /** One sentence: what was found. */
  summary: string;
  /** What to do about it; present when the status is warn or fail. */
  fix?: string;
  /** The section of docs/troubleshooting.md that explains it (an anchor, e.g. `cannot-reach-the-vendor`). */
  docs?: string;
}

/** healthy: every check ok or skipped; warning: some check warns or fails. */
export type Verdict = 'healthy' | 'warning';

export interface DoctorReport {
  /** server: run inside the server (its egress); here: run where the CLI runs. */
  where: 'server' | 'here';
  at: string;
  endpoint: string;
  verdict: Verdict;
  checks: DoctorCheck[];
}

export function verdictOf(checks: readonly DoctorCheck[]): Verdict {
  return checks.some((check) => check.status === 'warn' || check.status === 'fail') ? 'warning' : 'healthy';
}

/** The order a reader follows: the path to the vendor hop by hop, then what the server knows. */
export const CHECK_ORDER: readonly CheckId[] = [
  'endpoint',
  'proxy',
  'dns',
  'tcp',
  'tls',
  'vendor',
  'clock',
  'admin-email',
  'sender',
  'pending',
  'last-upload',
  'license',
];

export function doctorReport(
  where: DoctorReport['where'],
  endpoint: string,
  at: Date,
  checks: DoctorCheck[],
): DoctorReport {
  const ordered = [...checks].sort((a, b) => CHECK_ORDER.indexOf(a.id) - CHECK_ORDER.indexOf(b.id));
  return { where, at: at.toISOString(), endpoint, verdict: verdictOf(ordered), checks: ordered };
}

/**
 * Anchors of docs/troubleshooting.md that the checks (and the admin page) link to. They are
 * GitHub's heading slugs; charts/test and the doctor tests check that each heading exists.
 */
export const TROUBLESHOOTING = {
  uploadsFail: 'uploads-fail',
  refused: 'connection-refused-or-timed-out',
  dns: 'dns',
  tls: 'tls',
  proxy: 'proxy',
  notTheVendor: 'an-answer-that-is-not-the-vendors',
  clock: 'clock',
  vendorError: 'the-vendor-answers-with-an-error',
  noEmail: 'no-admin-email-found',
  noSender: 'no-replica-sends',
  license: 'the-license-banner-shows',
} as const;
