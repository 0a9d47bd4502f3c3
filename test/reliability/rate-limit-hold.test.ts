/**
 * Found by the fault matrix: a 429 whose Retry-After was longer than the retry policy waits (60 s)
 * made the request give up at once, but the shared rate limiter then held every other request of the
 * process for the whole Retry-After — `apply` hung silently for an hour. A wait beyond `maxHoldMs`
 * no longer holds the others; shorter ones still do.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_POLICY } from '../../src/api/index.js';
import { DEFAULT_RATE_LIMIT, RateLimitPolicy } from '../../src/api/rate-limit-policy.js';

describe('rate limit policy: 429 hold', () => {
  it('holds for as long as the retry policy would wait, by default', () => {
    expect(DEFAULT_RATE_LIMIT.maxHoldMs).toBe(DEFAULT_RETRY_POLICY.maxRetryAfterMs);
  });

  it('holds every send for a Retry-After within maxHoldMs', () => {
    const p = new RateLimitPolicy();
    p.recordSend(0);
    p.observe(10, { status: 429, limit: 120, remaining: 50, resetMs: 30_000, retryAfterMs: 60_000 });
    expect(p.delayMs(10)).toBe(60_000);
  });

  it('does not hold the others for a Retry-After beyond maxHoldMs (the request that got it gives up)', () => {
    const p = new RateLimitPolicy();
    p.recordSend(0);
    p.observe(10, { status: 429, limit: 120, remaining: 50, resetMs: 30_000, retryAfterMs: 3_600_000 });
    expect(p.delayMs(10)).toBe(0);
  });

  it('an exhausted server budget still holds until its reset', () => {
    const p = new RateLimitPolicy({ maxHoldMs: 1_000 });
    p.recordSend(0);
    p.observe(10, { status: 429, limit: 120, remaining: 0, resetMs: 20_000, retryAfterMs: 3_600_000 });
    expect(p.delayMs(10)).toBe(21_000);
  });

  it('refuses a negative or infinite maxHoldMs', () => {
    expect(() => new RateLimitPolicy({ maxHoldMs: -1 })).toThrow(RangeError);
    expect(() => new RateLimitPolicy({ maxHoldMs: Infinity })).toThrow(RangeError);
  });
});
