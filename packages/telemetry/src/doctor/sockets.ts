import { connect as netConnect, type Socket } from 'node:net';
import { type PeerCertificate, type TLSSocket, connect as tlsConnect } from 'node:tls';

/** A socket-level failure with the code Node gave it (ECONNREFUSED, ETIMEDOUT, a TLS code…). */
export class ProbeError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function probeErrorOf(error: unknown): ProbeError {
  if (error instanceof ProbeError) return error;
  const code = (error as { code?: unknown }).code;
  return new ProbeError(typeof code === 'string' ? code : 'ERROR', (error as Error).message ?? String(error));
}

/** Opens a TCP connection; rejects with ETIMEDOUT after `timeoutMs`. */
export function openTcp(host: string, port: number, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = netConnect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new ProbeError('ETIMEDOUT', `no answer from ${host}:${port} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(probeErrorOf(error));
    });
  });
}

export interface TunnelAnswer {
  status: number;
  statusText: string;
  /** The tunnel, open when the status is 200. */
  socket: Socket;
}

/** Asks an HTTP proxy for a tunnel (`CONNECT host:port`), as the vendor client's proxy agent does. */
export function openTunnel(proxy: Socket, authority: string, authorization: string | undefined, timeoutMs: number) {
  return new Promise<TunnelAnswer>((resolve, reject) => {
    let head = '';
    const timer = setTimeout(() => {
      cleanup();
      reject(new ProbeError('ETIMEDOUT', `the proxy did not answer CONNECT within ${timeoutMs} ms`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      head += chunk.toString('latin1');
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      cleanup();
      const match = /^HTTP\/1\.[01] (\d{3}) ?([^\r\n]*)/.exec(head);
      if (!match) {
        reject(new ProbeError('EPROTO', 'the proxy answered something other than HTTP'));
        return;
      }
      resolve({ status: Number(match[1]), statusText: match[2] ?? '', socket: proxy });
    };
    const onError = (error: Error) => {
      cleanup();
      reject(probeErrorOf(error));
    };
    const onEnd = () => {
      cleanup();
      reject(new ProbeError('ECONNRESET', 'the proxy closed the connection without answering CONNECT'));
    };
    const cleanup = () => {
      clearTimeout(timer);
      proxy.off('data', onData);
      proxy.off('error', onError);
      proxy.off('end', onEnd);
    };
    proxy.on('data', onData);
    proxy.once('error', onError);
    proxy.once('end', onEnd);
    const auth = authorization ? `Proxy-Authorization: ${authorization}\r\n` : '';
    proxy.write(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n${auth}\r\n`);
  });
}

export interface TlsAnswer {
  protocol: string | null;
  certificate: PeerCertificate;
}

/** A TLS handshake with the host (over `socket` when given: a proxy's tunnel), verifying as the client does. */
export function handshake(
  host: string,
  port: number,
  options: { socket?: Socket; ca?: string | undefined; timeoutMs: number },
): Promise<TlsAnswer> {
  return new Promise((resolve, reject) => {
    const socket: TLSSocket = tlsConnect({
      host,
      port,
      servername: /^[\d.]+$|:/.test(host) ? undefined : host,
      ...(options.socket ? { socket: options.socket } : {}),
      ...(options.ca ? { ca: options.ca } : {}),
    });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new ProbeError('ETIMEDOUT', `no TLS handshake within ${options.timeoutMs} ms`));
    }, options.timeoutMs);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      const answer = { protocol: socket.getProtocol(), certificate: socket.getPeerCertificate() };
      socket.destroy();
      resolve(answer);
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(probeErrorOf(error));
    });
  });
}
