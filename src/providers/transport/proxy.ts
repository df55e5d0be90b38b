// Which proxy, if any, a request goes through. A provider's own `proxy` setting wins ("none": always direct);
// otherwise the environment, as curl reads it: HTTPS_PROXY for https URLs, HTTP_PROXY for http ones (each also in
// lower case, which wins when both are set), and NO_PROXY (comma-separated host names — `example.com` and
// `.example.com` both cover its subdomains — optionally with a port, or `*` for every host) naming the hosts that
// are reached directly. Only `http://` proxies are spoken to (the usual kind; the tunnel inside is TLS for https
// URLs), with optional `user:password@` sent as Proxy-Authorization.

export interface ProxyServer {
  host: string;
  port: number;
  /** `Basic …` for a proxy URL with credentials. */
  authorization?: string;
  /** host:port, for error messages (never the credentials). */
  label: string;
}

/** The proxy for `url`, or undefined for a direct connection. `setting`: the provider's own `proxy`, if any. */
export function proxyFor(
  url: URL,
  setting: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): ProxyServer | undefined {
  if (setting === 'none') return undefined;
  if (setting) return parseProxy(setting);
  const https = url.protocol === 'https:';
  const raw = https ? (env.https_proxy ?? env.HTTPS_PROXY) : (env.http_proxy ?? env.HTTP_PROXY);
  if (!raw || bypassed(url, env.no_proxy ?? env.NO_PROXY ?? '')) return undefined;
  return parseProxy(raw);
}

/** A proxy URL as users write it: `http://host:port`, `host:port` (http assumed), with optional credentials. */
export function parseProxy(raw: string): ProxyServer {
  const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`);
  if (url.protocol !== 'http:') {
    throw new TypeError(`proxy ${url.protocol}//${url.host}: only http:// proxies are supported`);
  }
  const port = Number(url.port || 80);
  const user = decodeURIComponent(url.username);
  const authorization = user
    ? `Basic ${Buffer.from(`${user}:${decodeURIComponent(url.password)}`).toString('base64')}`
    : undefined;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return { host, port, label: `${url.hostname}:${port}`, ...(authorization ? { authorization } : {}) };
}

function bypassed(url: URL, noProxy: string): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  for (const entry of noProxy.split(/[\s,]+/)) {
    if (!entry) continue;
    if (entry === '*') return true;
    // `[::1]:8080`, `::1` (a bare IPv6 address has no port), `host:8080`, `host`.
    const bareIpv6 = !entry.startsWith('[') && entry.indexOf(':') !== entry.lastIndexOf(':');
    const m = bareIpv6 ? [entry, entry] : (/^(.*?)(?::(\d+))?$/.exec(entry) ?? [entry, entry]);
    const name = m[1]!
      .toLowerCase()
      .replace(/^\*?\./, '')
      .replace(/^\[|\]$/g, '');
    if (m[2] && m[2] !== port) continue;
    if (host === name || host.endsWith(`.${name}`)) return true;
  }
  return false;
}
