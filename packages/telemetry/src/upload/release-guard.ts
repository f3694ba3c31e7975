import { DEFAULT_REPLICATED_API_URL, IS_RELEASE_BUILD } from '../config/constants.js';

/** Where this build sends, for the start line and the admin page (DECISIONS §5). */
export interface SendingPolicy {
  /** The image: built with the vendor's publishable key. */
  releaseBuild: boolean;
  /** Requests go to `endpoint`; false: collected and shown, never sent. */
  sends: boolean;
  endpoint: string;
  /** One sentence for the start line and the admin page. */
  note: string;
}

/**
 * A source build carries only a placeholder key: it collects and shows everything, but sends only
 * to an endpoint someone configured on purpose (the emulator, `npm run demo`), never to the
 * vendor's real endpoint, where the placeholder would fail and look like a broken installation.
 */
export function sendingPolicy(endpoint: string, releaseBuild: boolean = IS_RELEASE_BUILD): SendingPolicy {
  if (releaseBuild) {
    return { releaseBuild, sends: true, endpoint, note: `Release build: telemetry is sent to ${endpoint}.` };
  }
  if (isVendorEndpoint(endpoint)) {
    return {
      releaseBuild,
      sends: false,
      endpoint,
      note:
        'Source build (placeholder publishable key): telemetry is collected and shown but not sent; it is sent only ' +
        'to an explicitly set REPLICATED_API_URL such as the emulator (npm run demo), never to the vendor.',
    };
  }
  return {
    releaseBuild,
    sends: true,
    endpoint,
    note: `Source build (placeholder publishable key): telemetry is sent to REPLICATED_API_URL=${endpoint} only.`,
  };
}

/** The vendor's real endpoint: replicated.app and its subdomains. */
function isVendorEndpoint(endpoint: string): boolean {
  try {
    const host = new URL(endpoint).hostname.toLowerCase().replace(/\.$/, '');
    const vendorHost = new URL(DEFAULT_REPLICATED_API_URL).hostname;
    return host === vendorHost || host.endsWith(`.${vendorHost}`);
  } catch {
    return false;
  }
}
