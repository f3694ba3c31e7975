import { lookup as dnsLookup } from 'node:dns/promises';
import type { Socket } from 'node:net';
import { dnsCheck, tcpCheck, tunnelCheck, withTimeout } from './connection-checks.js';
import { type ProxyEnv, proxyFor, proxySettings, redactProxy } from './proxy-settings.js';
import type { DoctorCheck } from './report.js';
import { TROUBLESHOOTING } from './report.js';
import { tlsCheck } from './tls-check.js';
import { vendorChecks } from './vendor-check.js';

export interface NetworkCheckOptions {
  /** The vendor API, e.g. https://replicated.app. */
  endpoint: string;
  /** Where the proxy and CA variables come from (the server's or the CLI's environment). */
  env: ProxyEnv;
  now: () => Date;
  /** Resolves a host name to its addresses. Default: the system resolver (getaddrinfo), as connections use it. */
  lookup?: (host: string) => Promise<string[]>;
  /** Per step. Default 5 000 ms. */
  timeoutMs?: number;
  /** PEM certificates to trust instead of Node's list (tests). Default: what the process trusts. */
  ca?: string;
}

const systemLookup = async (host: string) => (await dnsLookup(host, { all: true })).map((entry) => entry.address);

/**
 * The path from this process to the vendor, step by step (proxy, DNS, TCP, TLS, the vendor's
 * answer, the clock), each step only when the ones it needs passed, so that the first failing
 * line names the cause.
 */
export async function networkChecks(options: NetworkCheckOptions): Promise<DoctorCheck[]> {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const lookup = options.lookup ?? systemLookup;
  let target: URL;
  try {
    target = new URL(options.endpoint);
    if (target.protocol !== 'https:' && target.protocol !== 'http:') throw new Error('not http(s)');
  } catch {
    return [
      {
        id: 'endpoint',
        status: 'fail',
        summary: `The vendor endpoint "${options.endpoint}" is not an http(s) URL.`,
        fix: 'Unset REPLICATED_API_URL to use https://replicated.app, or set it to a full URL such as http://emulator:8787.',
        docs: TROUBLESHOOTING.uploadsFail,
      },
    ];
  }
  const checks: DoctorCheck[] = [];
  const add = (check: DoctorCheck) => {
    checks.push(check);
    return check.status !== 'fail';
  };
  const host = target.hostname.replace(/^\[|\]$/g, '');
  const port = Number(target.port) || (target.protocol === 'https:' ? 443 : 80);
  const authority = `${target.hostname}:${port}`;
  const settings = proxySettings(options.env);
  const proxy = proxyFor(target, settings);
  let tunnel: Socket | undefined;

  try {
    // 1. The proxy, and whether it opens a tunnel to the vendor.
    let reachable: boolean;
    if (!proxy) {
      const why =
        settings.httpProxy || settings.httpsProxy
          ? `NO_PROXY (${settings.noProxy}) covers ${host}`
          : 'no HTTPS_PROXY or HTTP_PROXY is set';
      add({ id: 'proxy', status: 'ok', summary: `Direct connection: ${why}.` });
      // 2. DNS and 3. TCP, straight to the vendor.
      reachable =
        (await dnsCheck(host, withTimeout(lookup, timeoutMs), add, 'the vendor')) &&
        (await tcpCheck(host, port, timeoutMs, add));
      if (!reachable) skip(checks, ['tcp', 'tls', 'vendor', 'clock'], 'the vendor cannot be reached');
    } else {
      const proxyUrl = safeUrl(proxy);
      if (!proxyUrl) {
        add({
          id: 'proxy',
          status: 'fail',
          summary: `The proxy setting "${redactProxy(proxy)}" is not a URL.`,
          fix: 'Set HTTPS_PROXY to a URL such as http://proxy.example.com:3128.',
          docs: TROUBLESHOOTING.proxy,
        });
        skip(checks, ['dns', 'tcp', 'tls', 'vendor', 'clock'], 'the proxy setting is not a URL');
        return checks;
      }
      const proxyHost = proxyUrl.hostname.replace(/^\[|\]$/g, '');
      const proxyPort = Number(proxyUrl.port) || (proxyUrl.protocol === 'https:' ? 443 : 80);
      reachable = await dnsCheck(proxyHost, withTimeout(lookup, timeoutMs), add, 'the proxy');
      if (reachable) {
        const opened = await tunnelCheck(proxyUrl, proxyHost, proxyPort, authority, timeoutMs, add);
        tunnel = opened.socket;
        reachable = opened.ok;
      } else {
        skip(checks, ['proxy'], 'the proxy host does not resolve');
      }
      skip(checks, ['tcp'], `through the proxy ${redactProxy(proxy)}, which resolves and connects to ${host} itself`);
      if (!reachable) skip(checks, ['tls', 'vendor', 'clock'], 'the proxy does not open a tunnel');
    }
    if (!reachable) return checks;

    // 4. TLS, over the tunnel when there is one.
    if (target.protocol === 'https:') {
      const socket = tunnel;
      tunnel = undefined;
      if (!(await tlsCheck(host, port, socket, options, timeoutMs, add))) {
        skip(checks, ['vendor', 'clock'], 'no TLS connection');
        return checks;
      }
    } else {
      tunnel?.destroy();
      tunnel = undefined;
      add({
        id: 'tls',
        status: 'skip',
        summary: `Plain HTTP endpoint (${target.origin}): no TLS, as with the local emulator. The vendor itself is https://replicated.app.`,
      });
    }

    // 5. The vendor's answer, through the same proxy rules as the client; 6. the clock against its Date.
    await vendorChecks(target, settings, options, timeoutMs, add);
    return checks;
  } finally {
    tunnel?.destroy();
  }
}

function skip(checks: DoctorCheck[], ids: DoctorCheck['id'][], why: string) {
  for (const id of ids)
    if (!checks.some((check) => check.id === id)) checks.push({ id, status: 'skip', summary: `Skipped: ${why}.` });
}

function safeUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

export { describeDuration } from './durations.js';
export { caBundle } from './tls-check.js';
