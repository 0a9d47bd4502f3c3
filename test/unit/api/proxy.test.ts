import { afterEach, describe, expect, it, vi } from 'vitest';
import { resolveProxy } from '../../../src/api/proxy.js';
import { UsageError } from '../../../src/errors.js';

const API = 'https://api.supabase.com';
const VARS = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy', 'NO_PROXY', 'no_proxy'];

function env(values: Record<string, string>): void {
  for (const name of VARS) vi.stubEnv(name, values[name] ?? '');
}
afterEach(() => vi.unstubAllEnvs());

describe('resolveProxy', () => {
  it('none when no variable is set', () => {
    env({});
    expect(resolveProxy(API)).toBeUndefined();
  });

  it('takes https_proxy, then HTTPS_PROXY, then ALL_PROXY; never HTTP_PROXY for the https API', () => {
    env({ HTTP_PROXY: 'http://plain:1' });
    expect(resolveProxy(API)).toBeUndefined();
    env({ ALL_PROXY: 'http://all:3', HTTPS_PROXY: 'http://upper:2', https_proxy: 'http://lower:1' });
    expect(resolveProxy(API)?.display).toBe('http://lower:1');
    env({ ALL_PROXY: 'http://all:3', HTTPS_PROXY: 'http://upper:2' });
    expect(resolveProxy(API)?.display).toBe('http://upper:2');
    env({ ALL_PROXY: 'http://all:3' });
    expect(resolveProxy(API)?.display).toBe('http://all:3');
  });

  it('keeps the credentials for the agent but not in the display form', () => {
    env({ HTTPS_PROXY: 'http://user:s3cret@proxy.internal:3128' });
    const p = resolveProxy(API)!;
    expect(p.display).toBe('http://proxy.internal:3128');
    expect(p.url.password).toBe('s3cret');
  });

  it('reads a value without a scheme as http://, as curl does', () => {
    env({ HTTPS_PROXY: 'proxy.internal:3128' });
    expect(resolveProxy(API)?.display).toBe('http://proxy.internal:3128');
  });

  it('NO_PROXY: exact host, .suffix or *.suffix, host:port, *; lower case too', () => {
    for (const value of ['api.supabase.com', '.supabase.com', '*.supabase.com', 'api.supabase.com:443', '*', 'other.org, api.supabase.com']) {
      env({ HTTPS_PROXY: 'http://proxy:1', NO_PROXY: value });
      expect(resolveProxy(API), value).toBeUndefined();
      env({ HTTPS_PROXY: 'http://proxy:1', no_proxy: value });
      expect(resolveProxy(API), value).toBeUndefined();
    }
    // Another port, another host, and a bare parent domain (proxy-from-env wants `.supabase.com` for that).
    env({ HTTPS_PROXY: 'http://proxy:1', NO_PROXY: 'api.supabase.com:8443,example.com,supabase.com' });
    expect(resolveProxy(API)).toBeDefined();
  });

  it('never proxies a loopback API', () => {
    env({ HTTPS_PROXY: 'http://proxy:1', HTTP_PROXY: 'http://proxy:1', ALL_PROXY: 'http://proxy:1' });
    for (const url of ['http://127.0.0.1:54321', 'https://localhost:8443', 'http://[::1]:1', 'https://127.8.9.10']) expect(resolveProxy(url), url).toBeUndefined();
  });

  it('refuses an unusable proxy URL naming the variable, never the value', () => {
    env({ https_proxy: 'socks5://user:pw-canary@proxy:1080' });
    expect(() => resolveProxy(API)).toThrow(UsageError);
    expect(() => resolveProxy(API)).toThrow('https_proxy: socks5 proxies are not supported (use an http:// or https:// proxy)');
    env({ HTTPS_PROXY: 'http://user:pw-canary@[::zz' });
    expect(() => resolveProxy(API)).toThrow(/^HTTPS_PROXY is not a valid proxy URL/);
    try {
      resolveProxy(API);
    } catch (err) {
      expect((err as Error).message).not.toContain('pw-canary');
    }
  });
});
