/**
 * Where the Management API is and which token to send: resolved once, validated before the first
 * request, and never echoed. Errors here are the user's to fix (exit 3), so they are UsageErrors
 * whose messages name the setting but never repeat a token or a URL's credentials.
 */
import { readFileSync } from 'node:fs';
import ipaddr from 'ipaddr.js';
import { UsageError } from '../errors.js';
import { trimTrailing } from '../trim.js';

export const DEFAULT_API_URL = 'https://api.supabase.com';

export interface ClientSettings {
  /** Origin plus optional path prefix, no trailing slash, no credentials, no query. */
  baseUrl: string;
  token: string;
}

export interface ResolveSettingsInput {
  env: Record<string, string | undefined>;
  /** `--token-file FILE`; wins over `SUPABASE_ACCESS_TOKEN` when given. */
  tokenFile?: string | undefined;
}

export function resolveClientSettings(input: ResolveSettingsInput): ClientSettings {
  return {
    baseUrl: resolveBaseUrl(input.env.SUPABASE_API_URL),
    token: resolveToken(input),
  };
}

/** True for 127.0.0.0/8, ::1 (also as IPv4-mapped) and `localhost`: traffic that never leaves the host. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost') return true;
  if (!ipaddr.isValid(host)) return false;
  // process() turns an IPv4-mapped IPv6 address (::ffff:127.0.0.1) into its IPv4 form.
  return ipaddr.process(host).range() === 'loopback';
}

/**
 * Validates `SUPABASE_API_URL` (empty or unset → the hosted API). Plain http is refused unless
 * the host is loopback (the local emulator): a bearer token must not cross a network in clear.
 */
export function resolveBaseUrl(raw: string | undefined): string {
  const value = raw?.trim();
  if (!value) return DEFAULT_API_URL;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError('SUPABASE_API_URL is not a valid URL (expected e.g. https://api.supabase.com)');
  }
  if (url.username || url.password) {
    // Do not echo the value: it holds credentials.
    throw new UsageError('SUPABASE_API_URL must not contain a user name or password; the token is sent as a bearer header');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UsageError(`SUPABASE_API_URL must use https (got ${url.protocol.replace(/:$/, '')})`);
  }
  if (url.search || url.hash || value.includes('?') || value.includes('#')) {
    throw new UsageError('SUPABASE_API_URL must not contain a query string or fragment');
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new UsageError(
      `SUPABASE_API_URL ${url.origin} uses plain http; only https is allowed, except for a loopback host (127.0.0.1, ::1, localhost)`,
    );
  }
  return `${url.origin}${trimTrailing(url.pathname, '/')}`;
}

/** Reads the token from `--token-file` (when given) or `SUPABASE_ACCESS_TOKEN`. */
export function resolveToken(input: ResolveSettingsInput): string {
  let token: string;
  let source: string;
  if (input.tokenFile !== undefined) {
    source = `token file ${input.tokenFile}`;
    token = readTokenFile(input.tokenFile).trim();
    if (!token) throw new UsageError(`${source} is empty`);
  } else {
    source = 'SUPABASE_ACCESS_TOKEN';
    token = (input.env.SUPABASE_ACCESS_TOKEN ?? '').trim();
    if (!token) {
      throw new UsageError('no access token: set SUPABASE_ACCESS_TOKEN or pass --token-file FILE');
    }
  }
  assertUsableToken(token, source);
  assertTokenShape(token, source);
  return token;
}

/**
 * The shapes the official CLI accepts, checked before the first request as it does:
 * `AccessTokenPattern = regexp.MustCompile(`^sbp_(oauth_)?[a-f0-9]{40}$`)` in supabase/cli
 * apps/cli-go/internal/utils/access_token.go (commit 62102772; "Invalid access token format").
 * A personal access token (`sbp_` + 40 hex) or an OAuth access token (`sbp_oauth_` + 40 hex).
 */
export const ACCESS_TOKEN_PATTERN = /^sbp_(?:oauth_)?[a-f0-9]{40}$/;

/**
 * Refuses a token of the wrong shape (exit 3) and says what is wrong with it, without repeating any
 * of it: a project API key or JWT pasted in its place, a wrong length, capital letters, stray
 * characters. Only the fixed prefixes named below are ever printed.
 */
export function assertTokenShape(token: string, source: string): void {
  if (ACCESS_TOKEN_PATTERN.test(token)) return;
  throw new UsageError(
    `the access token from ${source} is not a Supabase access token: ${tokenShapeProblem(token)}; ` +
      'expected "sbp_" and 40 lower-case hex characters (a personal access token, from the dashboard\'s Account → Access Tokens) or "sbp_oauth_" and 40 (an OAuth access token)',
  );
}

/** What is wrong with a token that does not match ACCESS_TOKEN_PATTERN: its length and classes of characters, never its text. */
export function tokenShapeProblem(token: string): string {
  if (/^sb_(?:secret|publishable)_/.test(token)) return 'it is a project API key (sb_secret_… or sb_publishable_…), not an access token';
  if (token.startsWith('eyJ')) return 'it looks like a JWT (a project\'s anon or service_role key?), not an access token';
  if (!token.startsWith('sbp_')) return 'it does not start with "sbp_"';
  const rest = token.startsWith('sbp_oauth_') ? token.slice('sbp_oauth_'.length) : token.slice('sbp_'.length);
  const prefix = token.startsWith('sbp_oauth_') ? '"sbp_oauth_"' : '"sbp_"';
  if (rest.length !== 40) return `it has ${rest.length} character${rest.length === 1 ? '' : 's'} after ${prefix}, not 40 (cut short or pasted twice?)`;
  if (/[A-F]/.test(rest) && /^[0-9a-fA-F]+$/.test(rest)) return `the hex after ${prefix} has capital letters; access tokens are lower-case`;
  return `it has characters other than 0-9 and a-f after ${prefix}`;
}

/**
 * A header value cannot hold spaces, line breaks or non-ASCII characters; refuse them here with a
 * clear message (naming where the token came from, never the token) instead of an obscure
 * failure at request time.
 */
export function assertUsableToken(token: string, source: string): void {
  if (!token) throw new UsageError(`the access token from ${source} is empty`);
  if (!/^[\x21-\x7e]+$/.test(token)) {
    throw new UsageError(`the access token from ${source} contains spaces, line breaks or non-ASCII characters`);
  }
}

function readTokenFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : (code ?? 'unreadable');
    throw new UsageError(`cannot read token file ${file}: ${why}`);
  }
}
