import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { rootCertificates } from 'node:tls';
import type { Add } from './connection-checks.js';
import type { ProxyEnv } from './proxy-settings.js';
import type { CheckStatus } from './report.js';
import { TROUBLESHOOTING } from './report.js';
import { handshake, probeErrorOf } from './sockets.js';

/** Which certificate authorities this process trusts, as far as Node lets us see. */
export function caBundle(env: ProxyEnv): { description: string; problem?: string } {
  const parts = [`Node's built-in list (${rootCertificates.length} CAs)`];
  const options = env['NODE_OPTIONS'] ?? '';
  if (/--use-openssl-ca/.test(options)) parts[0] = `OpenSSL's store (${env['SSL_CERT_FILE'] ?? 'its default file'})`;
  if (/--use-system-ca/.test(options)) parts.push("the system's store");
  const extra = env['NODE_EXTRA_CA_CERTS'];
  if (!extra) return { description: parts.join(' and ') };
  try {
    const count = (readFileSync(extra, 'utf8').match(/-----BEGIN CERTIFICATE-----/g) ?? []).length;
    parts.push(`NODE_EXTRA_CA_CERTS=${extra} (${count} certificate${count === 1 ? '' : 's'})`);
    return count > 0
      ? { description: parts.join(' and ') }
      : { description: parts.join(' and '), problem: `${extra} holds no PEM certificate` };
  } catch (error) {
    return {
      description: parts.join(' and '),
      problem: `NODE_EXTRA_CA_CERTS=${extra} cannot be read (${probeErrorOf(error).code})`,
    };
  }
}

const TLS_TRUST_CODES = new Set([
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
]);

export async function tlsCheck(
  host: string,
  port: number,
  socket: Socket | undefined,
  options: { env: ProxyEnv; ca?: string | undefined },
  timeoutMs: number,
  add: Add,
) {
  const bundle = caBundle(options.env);
  const trusted = options.ca ? 'the CA given to the doctor' : bundle.description;
  try {
    const answer = await handshake(host, port, { ...(socket ? { socket } : {}), ca: options.ca, timeoutMs });
    const issuer = answer.certificate.issuer?.O ?? answer.certificate.issuer?.CN ?? 'an unnamed issuer';
    const until = answer.certificate.valid_to
      ? `, valid until ${new Date(answer.certificate.valid_to).toISOString().slice(0, 10)}`
      : '';
    const status: CheckStatus = bundle.problem ? 'warn' : 'ok';
    return add({
      id: 'tls',
      status,
      summary: `${answer.protocol ?? 'TLS'} with ${host}, certificate issued by ${issuer}${until}; trusted: ${trusted}.${bundle.problem ? ` But ${bundle.problem}.` : ''}`,
      ...(bundle.problem
        ? {
            fix: 'Point NODE_EXTRA_CA_CERTS at a readable PEM bundle (chart: extraCaCertificates).',
            docs: TROUBLESHOOTING.tls,
          }
        : {}),
    });
  } catch (error) {
    const { code, message } = probeErrorOf(error);
    const clock = code === 'CERT_NOT_YET_VALID' || code === 'CERT_HAS_EXPIRED';
    return add({
      id: 'tls',
      status: 'fail',
      summary: `TLS with ${host} fails: ${message} (${code}); trusted: ${trusted}.${bundle.problem ? ` And ${bundle.problem}.` : ''}`,
      fix: TLS_TRUST_CODES.has(code)
        ? 'A proxy inspects TLS with its own CA: put that CA (PEM) in a ConfigMap and set extraCaCertificates (NODE_EXTRA_CA_CERTS), or exempt the vendor host from inspection. Never turn certificate checks off.'
        : clock
          ? "Check this machine's clock (NTP): a certificate looks expired or not yet valid when the clock is wrong."
          : 'Check that the endpoint speaks TLS on this port, and that no device in between breaks the handshake.',
      docs: clock ? TROUBLESHOOTING.clock : TROUBLESHOOTING.tls,
    });
  }
}
