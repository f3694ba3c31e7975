import { RELEASE_PUBLISHABLE_KEY } from './release-key.js';

/**
 * Constants of the vendor relationship. They are in the source, not in settings (design §4.5):
 * the publishable key is vendor-wide and write-only, safe to ship, and no configuration turns
 * telemetry off. What it sends is documented in docs/metrics.md and visible to admins.
 */
/** What a source build has instead of the vendor's key (DECISIONS §5). */
export const PLACEHOLDER_PUBLISHABLE_KEY = 'replicated_pk_openhands_enterprise_placeholder';
/** The key built into this build: the vendor's in a release build (the image), else the placeholder. */
export const REPLICATED_PUBLISHABLE_KEY = RELEASE_PUBLISHABLE_KEY ?? PLACEHOLDER_PUBLISHABLE_KEY;
/** A release build carries the vendor's key; a source build sends only to an explicit REPLICATED_API_URL. */
export const IS_RELEASE_BUILD = RELEASE_PUBLISHABLE_KEY !== null;
export const REPLICATED_APP_SLUG = 'openhands-enterprise';
export const DEFAULT_REPLICATED_API_URL = 'https://replicated.app';

/** Checks run this often until the vendor identity exists (design §4.3, phase 1). */
export const BOOTSTRAP_CHECK_INTERVAL_MS = 180_000;
/** And this often once it does (phase 2). */
export const NORMAL_CHECK_INTERVAL_MS = 3_600_000;
/** The first retry after a failed vendor request; later ones double up to MAX_BACKOFF_MS. */
export const MIN_BACKOFF_MS = 180_000;
/** The longest back-off, in every phase (DECISIONS §2); jitter is applied after this cap. */
export const MAX_BACKOFF_MS = 6 * 3_600_000;
/** A vendor's Retry-After is honoured up to this long; a longer one (a date in 2099) is capped. */
export const MAX_RETRY_AFTER_MS = 24 * 3_600_000;
/** A status check-in at least this often (±jitter): the vendor marks an instance inactive after 24 h. */
export const HEARTBEAT_INTERVAL_MS = 4 * 3_600_000;
/** Rows of telemetry_upload_attempts older than this are pruned by the sender's cycle. */
export const ATTEMPTS_RETENTION_DAYS = 90;
/** Every interval is stretched or shrunk by up to this fraction, so that a fleet does not synchronise. */
export const JITTER_FRACTION = 0.05;
/** How long a process may hold a batch it is sending before another may take it. */
export const CLAIM_LEASE_MS = 120_000;
/** The channel on which the host says "a user accepted the Terms": upload now. */
export const KICK_CHANNEL = 'openhands_telemetry_kick';
/** The session-level advisory lock that makes its holder the one sender. */
export const LEADER_LOCK_KEY = 727_361_100;

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
/** The channel on which the sender says "the stored state changed": every replica drops its caches. */
export const STATE_CHANNEL = 'openhands_telemetry_state';
