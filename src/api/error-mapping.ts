/**
 * Turns what went wrong in one attempt into the facts an ApiError carries. got's own errors hold
 * the request options (headers with the bearer token, the body), so they are read here for their
 * code and dropped: never attached as `cause`, never stringified.
 */
import type { ApiErrorCode } from '../errors.js';

/** Longest API message kept in an error. */
export const MAX_API_MESSAGE = 300;

export interface TransportFailure {
  code: ApiErrorCode;
  /** ETIMEDOUT, ECONNRESET, ...: what the retry policy decides on. */
  errorCode: string;
  /** Short, fixed wording; never got's message (it may quote the URL). */
  detail: string;
}

const NETWORK_WORDING: Record<string, string> = {
  ECONNRESET: 'connection reset by the server',
  ECONNREFUSED: 'connection refused',
  EPIPE: 'connection closed while sending',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'temporary DNS failure',
  ENETUNREACH: 'network unreachable',
  EHOSTUNREACH: 'host unreachable',
  ECONNABORTED: 'connection aborted',
  ERR_ABORTED: 'request aborted',
  // Set by ./proxy.ts when the egress proxy would not open the tunnel.
  EPROXY: 'the proxy refused to open a tunnel (CONNECT)',
  EPROXYAUTH: 'the proxy asked for credentials (407); check the user and password in HTTPS_PROXY',
  EPROXYTIMEOUT: 'the proxy did not answer CONNECT in time',
};

function field(err: unknown, name: string): unknown {
  return typeof err === 'object' && err !== null ? (err as Record<string, unknown>)[name] : undefined;
}

/** Classifies an error thrown by got (or Node) for a request that got no complete answer. */
export function transportFailure(err: unknown, timeoutMs: number): TransportFailure {
  const name = field(err, 'name');
  const rawCode = field(err, 'code');
  const errorCode = typeof rawCode === 'string' && /^[A-Z0-9_]{2,40}$/.test(rawCode) ? rawCode : 'EUNKNOWN';
  if (name === 'TimeoutError' || errorCode === 'ETIMEDOUT') {
    const phase = field(err, 'event');
    const during = typeof phase === 'string' && /^[a-zA-Z]{1,20}$/.test(phase) ? ` (${phase})` : '';
    return { code: 'E_API_TIMEOUT', errorCode: 'ETIMEDOUT', detail: `no answer within ${timeoutMs} ms${during}` };
  }
  if (name === 'AbortError' || errorCode === 'ABORT_ERR') {
    return { code: 'E_API_NETWORK', errorCode: 'ERR_ABORTED', detail: NETWORK_WORDING.ERR_ABORTED as string };
  }
  const wording = NETWORK_WORDING[errorCode] ?? 'network error';
  return { code: 'E_API_NETWORK', errorCode, detail: `${wording} (${errorCode})` };
}

/**
 * The API's own message from an error body: `message`, `error` (string or `{message}`) or `msg`,
 * whitespace collapsed, control characters dropped, trimmed to MAX_API_MESSAGE. Any of `scrub`
 * (the token, string values of the request body) found in it is replaced, in case the server
 * echoes what it was sent.
 */
export function apiMessageFrom(rawBody: string, scrub: readonly string[] = []): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody);
  } catch {
    return undefined;
  }
  const pick = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v : undefined);
  const error = field(parsed, 'error');
  const raw = pick(field(parsed, 'message')) ?? pick(error) ?? pick(field(error, 'message')) ?? pick(field(parsed, 'msg'));
  if (raw === undefined) return undefined;
  return tidy(scrubValues(raw, scrub), MAX_API_MESSAGE);
}

/** A status line's reason phrase (server-controlled, so tidied too). */
export function reasonPhrase(statusMessage: string | undefined, scrub: readonly string[] = []): string | undefined {
  if (!statusMessage) return undefined;
  return tidy(scrubValues(statusMessage, scrub), 80) || undefined;
}

/** Shorter values are too likely to be ordinary words of a message ("session", "true"). */
const MIN_SCRUB_LENGTH = 6;

function scrubValues(text: string, scrub: readonly string[]): string {
  let out = text;
  // Longest first, so a value containing another is replaced whole.
  for (const s of [...scrub].sort((a, b) => b.length - a.length)) {
    if (s.length >= MIN_SCRUB_LENGTH) out = out.split(s).join('[redacted]');
  }
  return out;
}

function tidy(text: string, max: number): string {
  // eslint-disable-next-line no-control-regex -- dropping control characters is the point
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** String leaves of a request body (values to scrub from a server's echo). Bounded walk. */
export function stringLeaves(body: unknown, out: string[] = [], depth = 0): string[] {
  if (depth > 20 || out.length > 1000) return out;
  if (typeof body === 'string') out.push(body);
  else if (Array.isArray(body)) for (const v of body) stringLeaves(v, out, depth + 1);
  else if (typeof body === 'object' && body !== null) for (const v of Object.values(body)) stringLeaves(v, out, depth + 1);
  return out;
}
