import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRateLimitHeaders, RateLimitPolicy } from '../../../src/api/rate-limit-policy.js';

/** Sends as fast as the policy allows on a virtual clock, each answered at once without headers. */
function drive(policy: RateLimitPolicy, count: number, start = 0): number[] {
  const times: number[] = [];
  let now = start;
  while (times.length < count) {
    const wait = policy.delayMs(now);
    expect(wait).toBeLessThan(Number.POSITIVE_INFINITY);
    if (wait > 0) now += wait;
    else {
      policy.recordSend(now);
      policy.observe(now, {});
      times.push(now);
    }
  }
  return times;
}

function maxInAnyWindow(times: number[], windowMs: number): number {
  let best = 0;
  for (let i = 0, j = 0; j < times.length; j++) {
    while ((times[j] as number) - (times[i] as number) >= windowMs) i++;
    best = Math.max(best, j - i + 1);
  }
  return best;
}

describe('RateLimitPolicy — client-side window', () => {
  it('lets `limit` requests through at once, then waits for the window plus margin', () => {
    const p = new RateLimitPolicy({ limit: 3, windowMs: 1000, safetyMarginMs: 100, followServerHeaders: false });
    for (let i = 0; i < 3; i++) {
      expect(p.delayMs(0)).toBe(0);
      p.recordSend(0);
    }
    expect(p.delayMs(0)).toBe(1100);
    expect(p.delayMs(600)).toBe(500);
    expect(p.delayMs(1100)).toBe(0);
  });

  it('never allows more than `limit` in any window, and uses nearly all of it (120/min)', () => {
    const p = new RateLimitPolicy({ limit: 120, windowMs: 60_000, safetyMarginMs: 500 });
    const times = drive(p, 1000);
    expect(maxInAnyWindow(times, 60_000)).toBe(120);
    // Request 960 opens the ninth window: 960 requests were sent over 8 windows, at >= 95% of 120/min.
    const perMinute = 960 / ((times[960] as number) / 60_000);
    expect(perMinute).toBeGreaterThanOrEqual(0.95 * 120);
    expect(perMinute).toBeLessThanOrEqual(120);
  });

  it('holds the window invariant for any limit, window and send pattern (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 5000 }),
        fc.array(fc.integer({ min: 0, max: 3000 }), { minLength: 1, maxLength: 120 }),
        (limit, windowMs, gaps) => {
          const p = new RateLimitPolicy({ limit, windowMs, safetyMarginMs: 0, followServerHeaders: false });
          const times: number[] = [];
          let now = 0;
          for (const gap of gaps) {
            now += gap;
            now += p.delayMs(now);
            p.recordSend(now);
            times.push(now);
          }
          return maxInAnyWindow(times, windowMs) <= limit;
        },
      ),
    );
  });

  it('limit 0 turns the client-side window off', () => {
    const p = new RateLimitPolicy({ limit: 0 });
    for (let i = 0; i < 10_000; i++) {
      p.recordSend(0);
      p.settle();
    }
    expect(p.delayMs(0)).toBe(0);
  });

  it('refuses nonsense options eagerly', () => {
    expect(() => new RateLimitPolicy({ limit: -1 })).toThrow(RangeError);
    expect(() => new RateLimitPolicy({ limit: 1.5 })).toThrow(RangeError);
    expect(() => new RateLimitPolicy({ windowMs: Number.NaN })).toThrow(RangeError);
  });
});

describe('RateLimitPolicy — following the server', () => {
  const obs = (remaining: number, resetS: number, limit = 120) => ({ status: 200, limit, remaining, resetMs: resetS * 1000 });

  it('holds sends until the reset when the server reports nothing remaining', () => {
    const p = new RateLimitPolicy({ limit: 120, resetMarginMs: 1000 });
    p.recordSend(0);
    p.observe(50, obs(0, 30));
    expect(p.delayMs(50)).toBe(31_000);
    expect(p.delayMs(31_050)).toBe(0);
  });

  it('counts requests still in flight against the reported remaining', () => {
    const p = new RateLimitPolicy({ limit: 120, resetMarginMs: 0 });
    p.recordSend(0);
    p.recordSend(0);
    p.recordSend(0); // two more in flight when the first answer arrives
    p.observe(10, obs(2, 40)); // 2 left after the first: both will go to ours in flight
    expect(p.delayMs(10)).toBe(40_000);
    expect(p.snapshot(10)).toMatchObject({ serverRemaining: 0, unanswered: 2 });
    p.settle(); // one of them failed without an answer: the server may not have counted it
    expect(p.snapshot(10).serverRemaining).toBe(1);
  });

  it('lets through what remains, then holds', () => {
    const p = new RateLimitPolicy({ limit: 120, resetMarginMs: 0 });
    p.recordSend(0);
    p.observe(0, obs(3, 10));
    for (let i = 0; i < 3; i++) {
      expect(p.delayMs(0)).toBe(0);
      p.recordSend(0);
    }
    expect(p.delayMs(0)).toBe(10_000);
  });

  it('sends one request alone while the server count is unknown, then the rest', () => {
    const p = new RateLimitPolicy({ limit: 120, resetMarginMs: 0 });
    expect(p.delayMs(0)).toBe(0);
    p.recordSend(0);
    expect(p.delayMs(0)).toBe(Number.POSITIVE_INFINITY); // waits for the answer
    p.observe(5, obs(50, 30));
    expect(p.delayMs(5)).toBe(0);
    p.recordSend(5);
    p.recordSend(5);
    expect(p.delayMs(5)).toBe(0);
    // The reported window ends: probe again.
    expect(p.delayMs(30_005)).toBe(Number.POSITIVE_INFINITY);
    p.observe(30_010, obs(119, 60));
    p.observe(30_011, obs(118, 60));
    expect(p.delayMs(30_011)).toBe(0);
  });

  it('does not probe a server that sends no rate-limit headers', () => {
    const p = new RateLimitPolicy({ limit: 120 });
    p.recordSend(0);
    p.observe(5, { status: 200 });
    p.recordSend(5);
    p.recordSend(5);
    expect(p.delayMs(5)).toBe(0);
  });

  it('keeps the smallest remaining of one server window, whatever the answer order', () => {
    const p = new RateLimitPolicy({ limit: 120, resetMarginMs: 0 });
    for (let i = 0; i < 3; i++) p.recordSend(0);
    p.observe(10, obs(5, 50));
    p.observe(11, obs(7, 50)); // counted earlier by the server, answered later
    p.observe(12, obs(6, 50));
    expect(p.snapshot(12).serverRemaining).toBe(5);
  });

  it('takes a turned server window, and ignores a late answer from the previous one', () => {
    const p = new RateLimitPolicy({ limit: 120, resetMarginMs: 0 });
    p.recordSend(0);
    p.recordSend(0);
    p.recordSend(0);
    p.observe(0, obs(0, 1)); // old window, about to turn
    p.observe(5, obs(119, 60)); // the new window
    p.observe(6, obs(0, 1)); // late: from before the turn
    expect(p.delayMs(6)).toBe(0);
    expect(p.snapshot(6).serverRemaining).toBe(119);
  });

  it('holds everything for the Retry-After of a 429', () => {
    const p = new RateLimitPolicy({ limit: 120 });
    p.recordSend(0);
    p.observe(100, { status: 429, limit: 120, remaining: 0, resetMs: 20_000, retryAfterMs: 5_000 });
    expect(p.delayMs(100)).toBeGreaterThanOrEqual(5_000);
    expect(p.delayMs(30_000)).toBe(0);
  });

  it('lets a stricter endpoint group (smaller limit) not stall the shared budget', () => {
    const p = new RateLimitPolicy({ limit: 120 });
    p.recordSend(0);
    p.observe(0, obs(100, 60, 120));
    p.recordSend(1);
    p.observe(1, { status: 429, limit: 10, remaining: 0, resetMs: 60_000, retryAfterMs: 60_000 });
    expect(p.delayMs(2)).toBe(0);
  });

  it('ignores the server when told to', () => {
    const p = new RateLimitPolicy({ limit: 0, followServerHeaders: false });
    p.recordSend(0);
    p.observe(0, { status: 429, remaining: 0, resetMs: 60_000, retryAfterMs: 60_000 });
    expect(p.delayMs(1)).toBe(0);
  });

  it('keeps a server with a lower limit than ours free of 429s (simulated fixed window)', () => {
    // Server: 30 per fixed 10 s window, reports remaining and whole seconds to reset; latency 50 ms.
    const serverLimit = 30;
    const serverWindow = 10_000;
    const p = new RateLimitPolicy({ limit: 120, windowMs: 60_000, resetMarginMs: 1000 });
    const counts = new Map<number, number>();
    let now = 0;
    let rejected = 0;
    for (let sent = 0; sent < 200; ) {
      now += p.delayMs(now);
      p.recordSend(now);
      sent++;
      const arrive = now + 50;
      const win = Math.floor(arrive / serverWindow);
      const used = (counts.get(win) ?? 0) + 1;
      counts.set(win, used);
      if (used > serverLimit) rejected++;
      const resetS = Math.ceil(((win + 1) * serverWindow - arrive) / 1000);
      p.observe(arrive + 50, { status: used > serverLimit ? 429 : 200, limit: serverLimit, remaining: Math.max(0, serverLimit - used), resetMs: resetS * 1000 });
    }
    expect(rejected).toBe(0);
    // 200 requests at 30 per 10 s need at least 6 more windows: the server's limit was what held
    // them; each hold may overshoot by the reset's rounding plus resetMarginMs (about 2 s here).
    expect(now).toBeGreaterThanOrEqual(60_000);
    expect(now).toBeLessThan(7 * 12_200);
  });
});

describe('parseRateLimitHeaders', () => {
  it('reads the Management API headers, ignoring malformed values', () => {
    const now = Date.parse('2026-05-01T12:00:00Z');
    expect(
      parseRateLimitHeaders(200, { 'x-ratelimit-limit': '120', 'x-ratelimit-remaining': '117', 'x-ratelimit-reset': '57' }, now),
    ).toEqual({ status: 200, limit: 120, remaining: 117, resetMs: 57_000, retryAfterMs: undefined });
    expect(parseRateLimitHeaders(429, { 'retry-after': 'Fri, 01 May 2026 12:00:03 GMT', 'x-ratelimit-remaining': 'lots' }, now)).toEqual({
      status: 429,
      limit: undefined,
      remaining: undefined,
      resetMs: undefined,
      retryAfterMs: 3000,
    });
  });
});
