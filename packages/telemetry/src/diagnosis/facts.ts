/**
 * What the diagnosis is computed from: plain facts the admin overview query has already read from
 * the database (the same rows `/api/license-status` is computed from), so that every status word
 * on the admin page, in the CLI and in the banner rests on one reading of the state.
 */

export type AttemptKind = 'identity' | 'metrics' | 'checkin';

/** One failed request to the vendor, as stored with its attempt. */
export interface FailureFact {
  at: Date;
  kind: AttemptKind;
  /**
   * The failure policy's class (`transient`, `reject`, `re-register`), when the attempt was
   * stored with one; rows written before the policy stored it have none.
   */
  policy?: string | null;
  /** The transport cause when the policy named one: `dns`, `tls`, `refused`, `timeout`, `proxy`, `reset`, `not_vendor`. */
  cause?: string | null;
  /** The vendor's HTTP status, when it answered. */
  httpStatus?: number | null;
  /** The stored message (the client's catalogue message, which quotes the vendor). */
  error: string;
}

export interface DiagnosisFacts {
  now: Date;
  /** GITHUB_APP_CLIENT_ID, KEYCLOAK_SERVER_URL and KEYCLOAK_REALM_NAME all set. */
  enterprise: boolean;
  /** The vendor endpoint this installation sends to. */
  endpoint: string;
  /**
   * Whether this build sends at all (DECISIONS §5: a source build never sends to the vendor's real
   * endpoint), with the start line's sentence about it. Absent: it sends.
   */
  sending?: { sends: boolean; note: string };
  adminEmail: { address: string; source: string } | null;
  /** The process holding the sender lock; null when none has ever taken it. */
  sender: { alive: boolean; lastSeenAt: Date | null } | null;
  /** The last request the vendor accepted (a batch, a check-in or a registration); null if never. */
  lastContactAt: Date | null;
  /** Failed requests since `lastContactAt` (all of them when there was none): the newest, the oldest's time, the count. */
  failures: { newest: FailureFact; oldestAt: Date; count: number } | null;
  /** Batches the vendor rejected since the newest batch it accepted. */
  rejected: { count: number; oldestAt: Date; newestError: string } | null;
  /** Batches waiting to be sent. */
  pending: { count: number; oldestAt: Date | null };
  /** The license state of `/api/license-status`, with the date it expires at if nothing changes. */
  license: { warn: boolean; message: string; expiresAt: Date | null };
}
