import type { FailureFact } from './facts.js';

/** Which way a failed request went wrong, and the cause in a few words. */
export interface FailureCause {
  kind: 'unreachable' | 'vendor_failing' | 'refused' | 'rejected';
  /** `dns`, `tls`, `refused`, `timeout`, `proxy`, `reset`, `not_vendor`, `aborted`, `network`, or `http_<status>`. */
  cause: string;
  reason: string;
}

const NETWORK_REASONS: Record<string, string> = {
  dns: 'the vendor host name does not resolve (DNS)',
  tls: 'the TLS certificate was not trusted (check the CA bundle and any TLS-inspecting proxy)',
  refused: 'connection refused',
  timeout: 'no answer in time (timeout)',
  proxy: 'the proxy did not pass the request on',
  reset: 'the connection was reset',
  not_vendor: 'something other than the vendor answered (a proxy, a captive portal or a wrong endpoint)',
  aborted: 'the request was stopped (the server shut down or another replica took over)',
  network: 'the network request failed',
};

// Rows stored before the failure policy recorded a cause carry only the client's message; these
// patterns read the cause back out of its catalogue wording (packages/replicated/src/client/errors.ts).
const MESSAGE_CAUSES: ReadonlyArray<[RegExp, string]> = [
  [/got no complete answer within|ETIMEDOUT|UND_ERR_CONNECT_TIMEOUT|UND_ERR_HEADERS_TIMEOUT/, 'timeout'],
  [/ENOTFOUND|EAI_AGAIN|getaddrinfo/, 'dns'],
  [/CERT|UNABLE_TO_VERIFY|SELF_SIGNED|ERR_TLS|SSL|certificate/i, 'tls'],
  [/proxy.*(407|502|refused|failed)|Proxy response|tunnel/i, 'proxy'],
  [/ECONNREFUSED/, 'refused'],
  [/ECONNRESET|socket hang up|UND_ERR_SOCKET|other side closed/, 'reset'],
  [/may not point at Replicated|a proxy answered/, 'not_vendor'],
  [/was aborted/, 'aborted'],
  [/failed before an answer arrived/, 'network'],
];

/** `"License expired"` from `…: "License expired" [forbidden]…`, when the message quotes the vendor. */
export function quotedVendorMessage(error: string): string | undefined {
  return /: "([^"]+)"/.exec(error)?.[1];
}

function statusOf(failure: FailureFact): number | undefined {
  if (typeof failure.httpStatus === 'number') return failure.httpStatus;
  const match = /HTTP (\d{3})/.exec(failure.error);
  return match ? Number(match[1]) : undefined;
}

function httpReason(status: number, error: string): string {
  const said = quotedVendorMessage(error);
  return said ? `HTTP ${status} "${said}"` : `HTTP ${status}`;
}

/**
 * The cause of one failure: the policy's own class and cause when it stored them, else read from
 * the message. A 2xx that was not the vendor's JSON counts as "not the vendor" (transient), never
 * as the vendor refusing.
 */
export function failureCause(failure: FailureFact): FailureCause {
  if (failure.cause && failure.cause in NETWORK_REASONS) {
    return { kind: 'unreachable', cause: failure.cause, reason: NETWORK_REASONS[failure.cause] ?? failure.cause };
  }
  const status = statusOf(failure);
  const notVendor = /may not point at Replicated|a proxy answered/.test(failure.error);
  if (status !== undefined && !notVendor) {
    const reason = httpReason(status, failure.error);
    if (status === 401 || status === 403) return { kind: 'refused', cause: `http_${status}`, reason };
    if (failure.policy === 'reject' || status === 400 || status === 422) {
      return { kind: 'rejected', cause: `http_${status}`, reason: quotedVendorMessage(failure.error) ?? reason };
    }
    return { kind: 'vendor_failing', cause: `http_${status}`, reason };
  }
  if (failure.policy === 'reject' || /^Invalid [^:]+: /.test(failure.error)) {
    const invalid = /^Invalid [^:]+: (.*?)\. Fix these/.exec(failure.error)?.[1];
    return { kind: 'rejected', cause: 'invalid', reason: invalid ?? failure.error };
  }
  // Only the transport's own words, not the advice after them (which names every proxy variable).
  const detail = /failed before an answer arrived \((.*)\)\. Check/.exec(failure.error)?.[1] ?? failure.error;
  for (const [pattern, cause] of MESSAGE_CAUSES) {
    if (pattern.test(detail)) return { kind: 'unreachable', cause, reason: NETWORK_REASONS[cause] ?? cause };
  }
  return { kind: 'unreachable', cause: 'network', reason: failure.error || NETWORK_REASONS.network! };
}
