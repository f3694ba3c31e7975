import { EnvHttpProxyAgent, request } from 'undici';
import type { Add } from './connection-checks.js';
import { describeDuration } from './durations.js';
import type { ProxySettings } from './proxy-settings.js';
import { TROUBLESHOOTING } from './report.js';
import { probeErrorOf } from './sockets.js';
import { judgeVendorAnswer } from './vendor-answer.js';

/** The vendor's status check-in (replicated-protocol.md §4). */
const CHECK_IN_PATH = '/kots_metrics/license_instance/info';
/** Beyond this the clock is called wrong: certificates and the license countdown depend on it. */
const CLOCK_SKEW_WARN_MS = 5 * 60_000;

/**
 * Asks the vendor through the same proxy rules as the client (the given settings win over this
 * process's environment), judges the answer, and compares the clock with its `Date` header.
 */
export async function vendorChecks(
  target: URL,
  settings: ProxySettings,
  options: { now: () => Date; ca?: string | undefined },
  timeoutMs: number,
  add: Add,
) {
  const tls = options.ca ? { ca: options.ca } : undefined;
  const dispatcher = new EnvHttpProxyAgent({
    httpProxy: settings.httpProxy ?? '',
    httpsProxy: settings.httpsProxy ?? settings.httpProxy ?? '',
    noProxy: settings.noProxy,
    ...(tls ? { connect: tls, requestTls: tls } : {}),
  });
  // A check-in without credentials: harmless, and the vendor answers it with its own JSON 401.
  const url = new URL(CHECK_IN_PATH, target);
  try {
    // undici's request, not fetch: fetch turns a 407 into a bare network error and follows redirects,
    // and both are answers the doctor must show as they came.
    const response = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
      dispatcher,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = (await response.body.text()).slice(0, 64 * 1024);
    const header = (name: string) => {
      const value = response.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    const judged = judgeVendorAnswer({
      status: response.statusCode,
      contentType: header('content-type') ?? '',
      body,
      location: header('location'),
    });
    const isVendor = add({ id: 'vendor', ...judged, summary: `${url.origin}: ${judged.summary}` });
    clockCheck(header('date') ?? null, isVendor, options.now(), add);
  } catch (error) {
    const cause = probeErrorOf((error as { cause?: unknown }).cause ?? error);
    const timedOut =
      (error as Error).name === 'TimeoutError' ||
      cause.code === 'UND_ERR_ABORTED' ||
      /aborted due to timeout/i.test(cause.message);
    add({
      id: 'vendor',
      status: 'fail',
      summary: timedOut
        ? `No answer to a request to ${url.origin} within ${timeoutMs} ms, although the connection opens.`
        : `The request to ${url.origin} failed before an answer arrived (${cause.code}: ${cause.message}).`,
      fix: 'A device between the server and the vendor holds or cuts requests: check the proxy and firewall logs for this host.',
      docs: TROUBLESHOOTING.refused,
    });
    add({ id: 'clock', status: 'skip', summary: 'Skipped: no answer carried a Date header.' });
  } finally {
    await dispatcher.close().catch(() => undefined);
  }
}

function clockCheck(dateHeader: string | null, isVendor: boolean, now: Date, add: Add) {
  const vendorTime = dateHeader ? new Date(dateHeader) : undefined;
  if (!vendorTime || Number.isNaN(vendorTime.getTime())) {
    add({ id: 'clock', status: 'skip', summary: 'Skipped: the answer had no usable Date header.' });
    return;
  }
  const skewMs = now.getTime() - vendorTime.getTime();
  const whose = isVendor ? "the vendor's" : "the answering device's";
  const amount = describeDuration(Math.abs(skewMs));
  if (Math.abs(skewMs) <= CLOCK_SKEW_WARN_MS) {
    add({ id: 'clock', status: 'ok', summary: `This clock is within ${amount} of ${whose} (Date header).` });
    return;
  }
  add({
    id: 'clock',
    status: 'warn',
    summary: `This clock is ${amount} ${skewMs > 0 ? 'ahead of' : 'behind'} ${whose} Date header.`,
    fix: "Synchronise the nodes' clocks (NTP, chrony): a wrong clock moves the license countdown and breaks certificate checks.",
    docs: TROUBLESHOOTING.clock,
  });
}
