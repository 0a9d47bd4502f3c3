import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_API_URL, isLoopbackHost, resolveBaseUrl, resolveClientSettings, resolveToken } from '../../../src/api/config.js';
import { UsageError } from '../../../src/errors.js';

const CANARY = 'sbp_CANARY0123456789abcdef';

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
    writeFileSync(file, 'sbp_fromfile\n');
    expect(resolveToken({ env: { SUPABASE_ACCESS_TOKEN: CANARY }, tokenFile: file })).toBe('sbp_fromfile');
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

describe('resolveClientSettings', () => {
  it('combines both and validates the URL', () => {
    expect(resolveClientSettings({ env: { SUPABASE_ACCESS_TOKEN: CANARY, SUPABASE_API_URL: 'http://127.0.0.1:1234/' } })).toEqual({
      baseUrl: 'http://127.0.0.1:1234',
      token: CANARY,
    });
    expect(() => resolveClientSettings({ env: { SUPABASE_ACCESS_TOKEN: CANARY, SUPABASE_API_URL: 'http://example.com' } })).toThrow(UsageError);
  });
});
