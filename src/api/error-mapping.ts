/**
 * Turns what went wrong in one attempt into the facts an ApiError carries. got's own errors hold
 * the request options (headers with the bearer token, the body), so they are read here for their
 * code and dropped: never attached as `cause`, never stringified.
 */
import type { ApiErrorCode } from '../errors.js';
import { NO_SECRETS, REDACTED, Redactor, type SensitiveText } from '../redact.js';

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

/** Removes known secrets from server-controlled text. */
export type Scrub = (text: string) => string;

/** Shorter request values are too likely to be ordinary words of a message ("session", "true"). */
const MIN_SCRUB_LENGTH = 6;

/** The token and its secret part without the `sbp_` prefix, in every form the redactor knows (case, hex, base64...). */
export function tokenSecrets(token: string): SensitiveText {
  const redactor = new Redactor();
  redactor.add(token, { minLength: MIN_SCRUB_LENGTH });
  const secretPart = /^sbp_(?:v\d+_)?(.+)$/.exec(token)?.[1];
  if (secretPart) redactor.add(secretPart, { minLength: MIN_SCRUB_LENGTH });
  return redactor;
}

/**
 * The scrub for one request's error text: the token, the request body's string values (a server
 * may echo what it was sent) and the caller's secrets (the configuration's: a server may also quote
 * what it holds, on a GET that sent nothing). The body's redactor is built only if an error needs it.
 */
export function scrubberFor(token: SensitiveText, body: unknown, caller: SensitiveText = NO_SECRETS): Scrub {
  let echoed: Redactor | undefined;
  return (text) => {
    if (!echoed) {
      echoed = new Redactor();
      for (const leaf of stringLeaves(body)) echoed.add(leaf, { minLength: MIN_SCRUB_LENGTH });
    }
    // Fail closed: values too large to index cannot be looked for, so nothing of the text is kept.
    if (echoed.tooLarge) return REDACTED;
    return caller.redact(echoed.redact(token.redact(text)));
  };
}

/**
 * Key material by its shape, whoever's it is: Supabase API keys (`sb_secret_…`, `sb_publishable_…`)
 * and JWTs (the legacy anon and service_role keys). supasync never holds them, so no redactor knows
 * them; a server quoting one in its error text ("key sb_secret_… was revoked") must not have it
 * printed. Words of key characters are looked at one by one (linear), and such a word goes whole.
 */
const KEY_WORD = /[A-Za-z0-9_.-]+/g;
const KEY_PREFIXES = ['sb_secret_', 'sb_publishable_'];

function isKeyMaterial(word: string): boolean {
  for (const prefix of KEY_PREFIXES) {
    const at = word.indexOf(prefix);
    if (at >= 0 && word.length - at - prefix.length >= 4) return true;
  }
  // A JWT: three dot-separated parts, one of them a base64url JSON object (`{"` is `eyJ`).
  const parts = word.split('.');
  return parts.length >= 3 && parts.some((part) => part.startsWith('eyJ') && part.length >= 8);
}

/** `text` without anything shaped like key material. */
export function scrubKeyMaterial(text: string): string {
  return text.replace(KEY_WORD, (word) => (isKeyMaterial(word) ? REDACTED : word));
}

/**
 * The API's own message from an error body: `message`, `error` (string or `{message}`) or `msg`,
 * scrubbed of known secrets and key material, then whitespace collapsed, control characters dropped, trimmed to
 * MAX_API_MESSAGE (scrubbed first: a shortened secret could no longer be found).
 */
export function apiMessageFrom(rawBody: string, scrub: Scrub = (t) => t): string | undefined {
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
  return tidy(scrubKeyMaterial(scrub(raw)), MAX_API_MESSAGE);
}

/** A status line's reason phrase (server-controlled, so scrubbed and tidied too). */
export function reasonPhrase(statusMessage: string | undefined, scrub: Scrub = (t) => t): string | undefined {
  if (!statusMessage) return undefined;
  return tidy(scrubKeyMaterial(scrub(statusMessage)), 80) || undefined;
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
