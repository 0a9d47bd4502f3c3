/**
 * Egress proxies: `HTTPS_PROXY` / `https_proxy` / `ALL_PROXY` and `NO_PROXY`, read from the process
 * environment as curl and most tools read them (the rules are proxy-from-env's: lower case first,
 * NO_PROXY entries matched as host suffixes, with an optional port, `*` for everything).
 *
 * The token is never sent to the proxy in clear: the Management API is https, and an https request
 * goes through the proxy as a CONNECT tunnel (hpagent) with TLS end to end; the proxy sees only
 * `CONNECT host:443`. Plain http is allowed only to a loopback API (src/api/config.ts), and
 * loopback is never proxied, so there is no plain-http proxying at all. The proxy URL may hold
 * credentials (sent to the proxy as Proxy-Authorization, as it asks): they appear in no message.
 */
import type { ClientRequestArgs } from 'node:http';
import type { Duplex } from 'node:stream';
import { HttpsProxyAgent, type HttpsProxyAgentOptions } from 'hpagent';
import { getProxyForUrl } from 'proxy-from-env';
import { UsageError } from '../errors.js';
import { isLoopbackHost } from './config.js';

/** The variables an https URL's proxy comes from, in proxy-from-env's order. */
const PROXY_VARIABLES = ['https_proxy', 'HTTPS_PROXY', 'all_proxy', 'ALL_PROXY'] as const;

export interface ProxySettings {
  /** The proxy, credentials included (for the agent only). */
  url: URL;
  /** `http://proxy.internal:3128`: for logs, without credentials. */
  display: string;
}

/**
 * The proxy to use for the API at `baseUrl` (already validated), or undefined: none set, NO_PROXY
 * matches, or the API is on loopback. A proxy URL that cannot be used is a UsageError (exit 3)
 * naming the variable, never its value.
 */
export function resolveProxy(baseUrl: string): ProxySettings | undefined {
  const env = process.env; // where proxy-from-env reads them too
  const api = new URL(baseUrl);
  if (api.protocol !== 'https:' || isLoopbackHost(api.hostname)) return undefined;
  const chosen = getProxyForUrl(api);
  if (!chosen) return undefined;
  const variable = PROXY_VARIABLES.find((name) => env[name]) ?? 'HTTPS_PROXY';
  // Without a scheme, curl means http://; proxy-from-env would take the API's (https).
  const raw = (env[variable] ?? '').includes('://') ? chosen : chosen.replace(/^https:\/\//, 'http://');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`${variable} is not a valid proxy URL (expected e.g. http://proxy.internal:3128)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`${variable}: ${url.protocol.replace(/:$/, '')} proxies are not supported (use an http:// or https:// proxy)`);
  }
  return { url, display: `${url.protocol}//${url.host}` };
}

type Callback = (err: Error | null, stream: Duplex) => void;

/** What failed while opening the tunnel, as a code the error mapping words (never hpagent's text). */
function tunnelError(err: Error): Error {
  if (err.message === 'Proxy timeout') return Object.assign(new Error('proxy timeout'), { code: 'EPROXYTIMEOUT' });
  const status = /^Bad response: (\d{3})$/.exec(err.message)?.[1];
  if (status === undefined) return err; // a socket error reaching the proxy: its own code says it
  const code = status === '407' ? 'EPROXYAUTH' : 'EPROXY';
  return Object.assign(new Error(`proxy answered CONNECT with ${status}`), { code });
}

/** hpagent's CONNECT agent, with its failures given codes. */
class TunnelAgent extends HttpsProxyAgent {
  override createConnection(options: ClientRequestArgs, callback?: Callback): Duplex | null | undefined {
    // hpagent answers through the callback once the tunnel is open (or failed) and returns nothing.
    return super.createConnection(options, (err, stream) => callback?.(err ? tunnelError(err) : null, stream));
  }
}

export function createTunnelAgent(proxy: ProxySettings, options: Omit<HttpsProxyAgentOptions, 'proxy'>): HttpsProxyAgent {
  return new TunnelAgent({ ...options, proxy: proxy.url });
}
