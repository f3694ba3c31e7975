import type { Socket } from 'node:net';
import { isIP } from 'node:net';
import { redactProxy } from './proxy-settings.js';
import type { DoctorCheck } from './report.js';
import { TROUBLESHOOTING } from './report.js';
import { openTcp, openTunnel, ProbeError, probeErrorOf } from './sockets.js';

/** Records a check; false when it failed (the steps after it then do not run). */
export type Add = (check: DoctorCheck) => boolean;

/** getaddrinfo has no timeout of its own; a resolver that never answers must not hold the doctor. */
export function withTimeout(lookup: (host: string) => Promise<string[]>, timeoutMs: number) {
  return (host: string) =>
    new Promise<string[]>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new ProbeError('ETIMEDOUT', `no DNS answer within ${timeoutMs} ms`)),
        timeoutMs,
      );
      lookup(host).then(
        (addresses) => {
          clearTimeout(timer);
          resolve(addresses);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });
}

export async function dnsCheck(host: string, lookup: (host: string) => Promise<string[]>, add: Add, what: string) {
  if (isIP(host)) return add({ id: 'dns', status: 'skip', summary: `${host} is an IP address: nothing to resolve.` });
  try {
    const addresses = await lookup(host);
    return add({
      id: 'dns',
      status: 'ok',
      summary: `${host} (${what}) resolves to ${addresses.slice(0, 3).join(', ')}.`,
    });
  } catch (error) {
    const { code } = probeErrorOf(error);
    return add({
      id: 'dns',
      status: 'fail',
      summary: `${host} (${what}) does not resolve (${code}).`,
      fix:
        what === 'the proxy'
          ? 'Check the proxy host name in HTTPS_PROXY, and that the pod can reach the cluster DNS.'
          : 'Allow DNS to the cluster resolver (UDP and TCP 53) and forwarding of external names, or use a proxy (HTTPS_PROXY) that resolves for you.',
      docs: TROUBLESHOOTING.dns,
    });
  }
}

export async function tcpCheck(host: string, port: number, timeoutMs: number, add: Add) {
  try {
    (await openTcp(host, port, timeoutMs)).destroy();
    return add({ id: 'tcp', status: 'ok', summary: `A TCP connection to ${host}:${port} opens.` });
  } catch (error) {
    const { code } = probeErrorOf(error);
    const refused = code === 'ECONNREFUSED';
    return add({
      id: 'tcp',
      status: 'fail',
      summary: refused
        ? `${host}:${port} refused the connection (ECONNREFUSED): nothing listens there, or a firewall rejects it.`
        : `No TCP connection to ${host}:${port} (${code}): a firewall drops it, or the network has no route out.`,
      fix: `Allow egress to ${host}:${port} (NetworkPolicy, firewall), or set the proxy your network requires (HTTPS_PROXY).`,
      docs: TROUBLESHOOTING.refused,
    });
  }
}

export async function tunnelCheck(
  proxyUrl: URL,
  host: string,
  port: number,
  authority: string,
  timeoutMs: number,
  add: Add,
) {
  const shown = redactProxy(proxyUrl.toString());
  let socket: Socket | undefined;
  try {
    socket = await openTcp(host, port, timeoutMs);
    const credentials = proxyUrl.username
      ? `Basic ${Buffer.from(`${decodeURIComponent(proxyUrl.username)}:${decodeURIComponent(proxyUrl.password)}`).toString('base64')}`
      : undefined;
    const answer = await openTunnel(socket, authority, credentials, timeoutMs);
    if (answer.status === 200) {
      add({ id: 'proxy', status: 'ok', summary: `The proxy ${shown} opens a tunnel to ${authority}.` });
      return { ok: true, socket };
    }
    socket.destroy();
    const needsLogin = answer.status === 407;
    add({
      id: 'proxy',
      status: 'fail',
      summary: needsLogin
        ? `The proxy ${shown} wants credentials (HTTP 407) for CONNECT ${authority}.`
        : `The proxy ${shown} refused CONNECT ${authority} (HTTP ${answer.status} ${answer.statusText}).`,
      fix: needsLogin
        ? 'Put the user and password in the proxy URL (http://user:password@proxy:3128), set from a Secret through extraEnv.'
        : `Ask the proxy's administrators to allow CONNECT to ${authority}.`,
      docs: TROUBLESHOOTING.proxy,
    });
    return { ok: false, socket: undefined };
  } catch (error) {
    socket?.destroy();
    const { code, message } = probeErrorOf(error);
    add({
      id: 'proxy',
      status: 'fail',
      summary: `The proxy ${shown} does not answer (${code}: ${message}).`,
      fix: 'Check HTTPS_PROXY / HTTP_PROXY (host and port), and that the proxy runs and accepts this pod.',
      docs: TROUBLESHOOTING.proxy,
    });
    return { ok: false, socket: undefined };
  }
}
