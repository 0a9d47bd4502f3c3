import { describe, expect, it } from 'vitest';
import { isInsecureUrl, turnedOff } from '../../../src/providers/risk.js';

describe('shared risk helpers', () => {
  it('recognises insecure URLs', () => {
    for (const u of ['http://example.com', 'https://localhost:3000', 'https://127.0.0.1/cb', 'https://[::1]:8080', 'https://app.localhost'])
      expect(isInsecureUrl(u), u).toBe(true);
    for (const u of ['https://example.com', 'https://localhost.example.com', 'com.example.app://callback'])
      expect(isInsecureUrl(u), u).toBe(false);
  });

  it('turnedOff: true → false or unset only', () => {
    const rule = turnedOff('x', 'flag', 'why');
    expect(rule.id).toBe('x.flag.disabled');
    const change = (before: boolean | null, after: boolean | null) => ({ path: 'flag', action: 'update' as const, before, after, sensitive: false });
    expect(rule.test(change(true, false))).toBe('turns off flag: why');
    expect(rule.test(change(true, null))).toBe('turns off flag: why');
    expect(rule.test(change(false, true))).toBeUndefined();
    expect(rule.test({ ...change(true, false), path: 'other' })).toBeUndefined();
  });
});
