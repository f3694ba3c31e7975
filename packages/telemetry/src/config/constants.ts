/**
 * Constants of the vendor relationship. They are in the source, not in settings (design §4.5):
 * the publishable key is vendor-wide and write-only, safe to ship, and no configuration turns
 * telemetry off. What it sends is documented in docs/metrics.md and visible to admins.
 */
export const REPLICATED_PUBLISHABLE_KEY = 'replicated_pk_openhands_enterprise_placeholder';
export const REPLICATED_APP_SLUG = 'openhands-enterprise';
export const DEFAULT_REPLICATED_API_URL = 'https://replicated.app';

/** Checks run this often until the vendor identity exists (design §4.3, phase 1). */
export const BOOTSTRAP_CHECK_INTERVAL_MS = 180_000;
/** And this often once it does (phase 2). */
export const NORMAL_CHECK_INTERVAL_MS = 3_600_000;
/** The first retry after a failed upload; later ones double up to the check interval. */
export const MIN_BACKOFF_MS = 180_000;
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
