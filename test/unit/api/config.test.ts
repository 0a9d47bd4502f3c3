import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACCESS_TOKEN_PATTERN, DEFAULT_API_URL, isLoopbackHost, resolveBaseUrl, resolveClientSettings, resolveToken } from '../../../src/api/config.js';
import { TOKEN_PATTERN_SOURCE } from '../../../src/emulator/tokens.js';
import { UsageError } from '../../../src/errors.js';

const CANARY = `sbp_${'cafe1234'.repeat(5)}`;
const FROM_FILE = `sbp_${'f11e'.repeat(10)}`;

function usageError(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return err as UsageError;
  }
  throw new Error('expected a UsageError');
}

describe('resolveBaseUrl', () => {
  it('defaults to the hosted API when unset or blank', () => {
    expect(resolveBaseUrl(undefined)).toBe(DEFAULT_API_URL);
    expect(resolveBaseUrl('  ')).toBe('https://api.supabase.com');
  });

  it('accepts https anywhere and keeps a path prefix without the trailing slash', () => {
    expect(resolveBaseUrl('https://api.example.com/')).toBe('https://api.example.com');
    expect(resolveBaseUrl('https://gw.example.com:8443/supabase/')).toBe('https://gw.example.com:8443/supabase');
  });

  it.each(['http://127.0.0.1:54321', 'http://127.5.6.7', 'http://localhost:8080', 'http://[::1]:9000', 'http://[::ffff:127.0.0.1]'])(
    'accepts plain http on loopback: %s',
    (url) => {
      expect(resolveBaseUrl(url)).toMatch(/^http:\/\//);
    },
  );

  it.each(['http://api.supabase.com', 'http://10.0.0.1', 'http://192.168.1.2:8080', 'http://[::2]', 'http://localhost.evil.com'])(
    'refuses plain http off loopback: %s',
    (url) => {
      expect(usageError(() => resolveBaseUrl(url)).message).toMatch(/plain http.*loopback/);
    },
  );

  it('refuses credentials without echoing them', () => {
    const err = usageError(() => resolveBaseUrl(`https://user:${CANARY}@api.example.com`));
    expect(err.message).toMatch(/user name or password/);
    expect(err.message).not.toContain(CANARY);
  });

  it('refuses a query string, a fragment, other schemes and garbage', () => {
    expect(usageError(() => resolveBaseUrl('https://api.example.com/?x=1')).message).toMatch(/query/);
    expect(usageError(() => resolveBaseUrl('https://api.example.com/#frag')).message).toMatch(/query/);
    expect(usageError(() => resolveBaseUrl('ftp://api.example.com')).message).toMatch(/https/);
    expect(usageError(() => resolveBaseUrl('not a url')).message).toMatch(/not a valid URL/);
  });
});

describe('isLoopbackHost', () => {
  it('knows 127/8, ::1 and localhost only', () => {
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('127.255.0.9')).toBe(true);
    expect(isLoopbackHost('[::1]')).toBe(true);
    expect(isLoopbackHost('LOCALHOST')).toBe(true);
    expect(isLoopbackHost('128.0.0.1')).toBe(false);
    expect(isLoopbackHost('0.0.0.0')).toBe(false);
    expect(isLoopbackHost('example.com')).toBe(false);
  });
});

describe('resolveToken', () => {
  const dir = mkdtempSync(join(tmpdir(), 'supasync-token-'));

  it('reads SUPABASE_ACCESS_TOKEN, trimmed', () => {
    expect(resolveToken({ env: { SUPABASE_ACCESS_TOKEN: ` ${CANARY}\n` } })).toBe(CANARY);
  });

  it('prefers --token-file and trims its trailing newline', () => {
    const file = join(dir, 'token');
    writeFileSync(file, `${FROM_FILE}\n`);
    expect(resolveToken({ env: { SUPABASE_ACCESS_TOKEN: CANARY }, tokenFile: file })).toBe(FROM_FILE);
  });

  it('explains a missing token', () => {
    expect(usageError(() => resolveToken({ env: {} })).message).toBe('no access token: set SUPABASE_ACCESS_TOKEN or pass --token-file FILE');
    expect(usageError(() => resolveToken({ env: { SUPABASE_ACCESS_TOKEN: '  ' } })).message).toMatch(/no access token/);
  });

  it('explains an empty or missing token file', () => {
    const empty = join(dir, 'empty');
    writeFileSync(empty, '\n');
    expect(usageError(() => resolveToken({ env: {}, tokenFile: empty })).message).toBe(`token file ${empty} is empty`);
    const missing = join(dir, 'missing');
    expect(usageError(() => resolveToken({ env: { SUPABASE_ACCESS_TOKEN: CANARY }, tokenFile: missing })).message).toBe(
      `cannot read token file ${missing}: no such file`,
    );
    expect(usageError(() => resolveToken({ env: {}, tokenFile: dir })).message).toMatch(/is a directory/);
  });

  it('refuses a token with inner whitespace without echoing it', () => {
    const err = usageError(() => resolveToken({ env: { SUPABASE_ACCESS_TOKEN: `${CANARY} ${CANARY}` } }));
    expect(err.message).toMatch(/SUPABASE_ACCESS_TOKEN contains spaces/);
    expect(err.message).not.toContain(CANARY);
    const file = join(dir, 'two-lines');
    writeFileSync(file, `${CANARY}\nsecond\n`);
    const fromFile = usageError(() => resolveToken({ env: {}, tokenFile: file }));
    expect(fromFile.message).toContain(file);
    expect(fromFile.message).not.toContain(CANARY);
  });
});

describe('the token\'s shape, checked before the first request (as the official CLI does)', () => {
  it('accepts a personal access token and an OAuth access token', () => {
    expect(resolveToken({ env: { SUPABASE_ACCESS_TOKEN: CANARY } })).toBe(CANARY);
    const oauth = `sbp_oauth_${'0a'.repeat(20)}`;
    expect(resolveToken({ env: { SUPABASE_ACCESS_TOKEN: oauth } })).toBe(oauth);
  });

  it.each([
    ['a project secret key', `sb_secret_${'Zx9'.repeat(10)}`, /is a project API key \(sb_secret_… or sb_publishable_…\), not an access token/],
    ['a JWT', `eyJhbGciOiJIUzI1NiJ9.${'e30'.repeat(5)}.${'Q'.repeat(20)}`, /looks like a JWT/],
    ['another prefix', `ghp_${'a'.repeat(40)}`, /does not start with "sbp_"/],
    ['39 hex characters', `sbp_${'ab'.repeat(19)}c`, /it has 39 characters after "sbp_", not 40/],
    ['pasted twice', `sbp_${'ab'.repeat(20)}sbp_${'ab'.repeat(20)}`, /it has 84 characters after "sbp_", not 40/],
    ['capital hex', `sbp_${'AB'.repeat(20)}`, /capital letters; access tokens are lower-case/],
    ['a non-hex character', `sbp_${'g'.repeat(40)}`, /characters other than 0-9 and a-f after "sbp_"/],
    ['a short OAuth token', `sbp_oauth_${'a'.repeat(12)}`, /it has 12 characters after "sbp_oauth_", not 40/],
  ])('refuses %s, says what is wrong, and never repeats it', (_label, token, why) => {
    const err = usageError(() => resolveToken({ env: { SUPABASE_ACCESS_TOKEN: token } }));
    expect(err.message).toMatch(/^the access token from SUPABASE_ACCESS_TOKEN is not a Supabase access token: /);
    expect(err.message).toMatch(why);
    expect(err.message).toContain('expected "sbp_" and 40 lower-case hex characters');
    expect(err.message).not.toContain(token);
    expect(err.message).not.toContain(token.slice(4, 16));
  });

  it('names the token file it came from', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'supasync-token-')), 'token');
    writeFileSync(file, 'sbp_short\n');
    expect(usageError(() => resolveToken({ env: {}, tokenFile: file })).message).toMatch(new RegExp(`^the access token from token file ${file} is not a Supabase access token: it has 5 characters`));
  });

  it('the pattern is the official CLI\'s (and the emulator\'s)', () => {
    expect(ACCESS_TOKEN_PATTERN.source).toBe('^sbp_(?:oauth_)?[a-f0-9]{40}$');
    expect(TOKEN_PATTERN_SOURCE.replace('(oauth_)', '(?:oauth_)').replace('[0-9a-f]', '[a-f0-9]')).toBe(ACCESS_TOKEN_PATTERN.source);
  });
});

describe('resolveClientSettings', () => {
  it('combines both and validates the URL', () => {
    expect(resolveClientSettings({ env: { SUPABASE_ACCESS_TOKEN: CANARY, SUPABASE_API_URL: 'http://127.0.0.1:1234/' } })).toEqual({
      baseUrl: 'http://127.0.0.1:1234',
      token: CANARY,
    });
    expect(() => resolveClientSettings({ env: { SUPABASE_ACCESS_TOKEN: CANARY, SUPABASE_API_URL: 'http://example.com' } })).toThrow(UsageError);
  });
});
