export type ProxyEnv = Readonly<Record<string, string | undefined>>;

export interface ProxySettings {
  httpProxy: string | undefined;
  httpsProxy: string | undefined;
  noProxy: string;
}

/** The proxy variables exactly as the vendor client reads them: lower case wins, an empty value is unset. */
export function proxySettings(env: ProxyEnv): ProxySettings {
  return {
    httpProxy: env['http_proxy'] || env['HTTP_PROXY'] || undefined,
    httpsProxy: env['https_proxy'] || env['HTTPS_PROXY'] || undefined,
    noProxy: env['no_proxy'] || env['NO_PROXY'] || '',
  };
}

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443 };

/**
 * The proxy a request to `target` goes through, or undefined for a direct connection. The same
 * rules as undici's EnvHttpProxyAgent, which the vendor client uses (it does not say which proxy
 * it picked, so the doctor must decide it the same way): an https target falls back to the http
 * proxy; NO_PROXY entries match the host or its subdomains, optionally with a port; `*` matches all.
 */
export function proxyFor(target: URL, settings: ProxySettings): string | undefined {
  const proxy = target.protocol === 'https:' ? (settings.httpsProxy ?? settings.httpProxy) : settings.httpProxy;
  if (!proxy) return undefined;
  const hostname = target.host.replace(/:\d*$/, '').toLowerCase();
  const port = Number.parseInt(target.port, 10) || DEFAULT_PORTS[target.protocol] || 0;
  if (settings.noProxy === '*') return undefined;
  for (const entry of settings.noProxy.split(/[,\s]/)) {
    if (!entry) continue;
    const parsed = /^(.+):(\d+)$/.exec(entry);
    const host = (parsed?.[1] ?? entry).replace(/^\*?\./, '').toLowerCase();
    const entryPort = parsed?.[2] ? Number.parseInt(parsed[2], 10) : 0;
    if (entryPort && entryPort !== port) continue;
    if (hostname === host || hostname.endsWith(`.${host}`)) return undefined;
  }
  return proxy;
}

/** A proxy URL with any password hidden, for output that may end up in a ticket. */
export function redactProxy(proxy: string): string {
  try {
    const url = new URL(proxy);
    if (url.password) url.password = '***';
    return url.toString().replace(/\/$/, '');
  } catch {
    return '(not a URL)';
  }
}
