import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_BACKOFF, ItemBackoff } from '../../../src/daemon/backoff.js';
import type { ApiClient, ApiRequest } from '../../../src/api/types.js';
import { MAX_SPACING_MS, Pacer, spaceRequests, SWEEP_SHARE, sweepFits, sweepPace } from '../../../src/daemon/pacer.js';

describe('backoffDelay', () => {
  it('doubles from 5 s and stops at 5 min', () => {
    const none = () => 0;
    expect([1, 2, 3, 4, 5, 6, 7, 8, 50].map((n) => backoffDelay(n, none))).toEqual([
      5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000,
    ]);
  });

  it('takes up to a fifth off at random, never more, never above the cap', () => {
    expect(backoffDelay(1, () => 0.999999)).toBe(4_000);
    expect(backoffDelay(1, () => 0.5)).toBe(4_500);
    for (let n = 1; n < 12; n++) {
      const d = backoffDelay(n, Math.random);
      expect(d).toBeLessThanOrEqual(DEFAULT_BACKOFF.maxMs);
      expect(d).toBeGreaterThanOrEqual(Math.min(DEFAULT_BACKOFF.baseMs * 2 ** (n - 1), DEFAULT_BACKOFF.maxMs) * 0.8);
    }
  });
});

describe('ItemBackoff', () => {
  it('counts failures per item and forgets them', () => {
    const b = new ItemBackoff(undefined, () => 0);
    expect(b.when('a')).toBe(5_000);
    expect(b.when('a')).toBe(10_000);
    expect(b.when('b')).toBe(5_000);
    expect(b.retries('a')).toBe(2);
    b.forget('a');
    expect(b.retries('a')).toBe(0);
    expect(b.when('a')).toBe(5_000);
  });

  it('refuses a nonsensical policy', () => {
    expect(() => new ItemBackoff({ baseMs: 0, maxMs: 1, jitter: 0 })).toThrow(RangeError);
    expect(() => new ItemBackoff({ baseMs: 10, maxMs: 5, jitter: 0 })).toThrow(RangeError);
    expect(() => new ItemBackoff({ baseMs: 1, maxMs: 5, jitter: 2 })).toThrow(RangeError);
  });
});

describe('sweepPace', () => {
  it('spreads a scheduled sweep over most of the interval when the budget allows', () => {
    // 30 projects × 5 sections = 150 requests every 5 min: 150 / 240 s = 0.625/s, well under 108/min.
    const pace = sweepPace({ projects: 30, requests: 150, rateLimitPerMinute: 120, intervalMs: 300_000 });
    expect(pace.ratePerSecond).toBeCloseTo(0.625, 6);
    expect(pace.atShare).toBe(false);
    expect(pace.shortestMs).toBe(Math.ceil((150 / (120 * SWEEP_SHARE)) * 60_000));
    expect(sweepFits(pace, 300_000)).toBe(true);
  });

  it('never goes above its share of --rate-limit; a fleet that cannot fit runs long and says so', () => {
    // 500 × 5 = 2,500 requests at 108/min take 23 min 9 s: more than a 5-minute interval.
    const pace = sweepPace({ projects: 500, requests: 2_500, rateLimitPerMinute: 120, intervalMs: 300_000 });
    expect(pace.ratePerSecond).toBeCloseTo(1.8, 6);
    expect(pace.atShare).toBe(true);
    expect(pace.shareOfLimitPerMinute).toBe(108);
    expect(pace.shortestMs).toBe(1_388_889);
    expect(sweepFits(pace, 300_000)).toBe(false);
  });

  it('a sweep without an interval (the first one) goes at once when it fits in a minute of the share, else at the share', () => {
    expect(sweepPace({ projects: 20, requests: 100, rateLimitPerMinute: 120 }).ratePerSecond).toBe(Number.POSITIVE_INFINITY);
    expect(sweepPace({ projects: 30, requests: 150, rateLimitPerMinute: 120 }).ratePerSecond).toBeCloseTo(1.8, 6);
  });

  it('without a client-side limit: spread over the interval, no shortest sweep, always fits', () => {
    const pace = sweepPace({ projects: 100, requests: 500, rateLimitPerMinute: 0, intervalMs: 1_000 });
    expect(pace.ratePerSecond).toBeCloseTo(625, 6);
    expect(pace.shortestMs).toBeUndefined();
    expect(sweepFits(pace, 1_000)).toBe(true);
    expect(sweepPace({ projects: 100, requests: 500, rateLimitPerMinute: 0 }).ratePerSecond).toBe(Number.POSITIVE_INFINITY);
    expect(sweepPace({ projects: 0, requests: 0, rateLimitPerMinute: 120, intervalMs: 1_000 }).ratePerSecond).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('Pacer', () => {
  it('admits a paced project when the previous one’s requests have been paid for, with no credit for idle time', () => {
    let now = 0;
    const pacer = new Pacer(() => now);
    expect(pacer.pacing).toBe(false);
    pacer.setRate(2); // 500 ms a request
    expect(pacer.readyInMs()).toBe(0);
    pacer.admit(5);
    expect(pacer.readyInMs()).toBe(2_500);
    now = 2_500;
    pacer.admit(5);
    pacer.charge(2);
    expect(pacer.readyInMs()).toBe(3_500);
    now = 100_000; // idle for long: still one project at a time
    pacer.admit(1);
    expect(pacer.readyInMs()).toBe(500);
    pacer.setRate(Number.POSITIVE_INFINITY);
    expect(pacer.readyInMs()).toBe(0);
  });

  it('makes the sweep wait for other work only when it runs at its whole share of the budget', () => {
    const now = 0;
    const pacer = new Pacer(() => now);
    pacer.setRate(2, false); // spread below the share: changes have room already
    pacer.admit(1);
    pacer.chargeOther(7);
    expect(pacer.readyInMs()).toBe(500);
    pacer.setRate(2, true); // at the share: a change's 7 requests push the sweep back 3.5 s
    pacer.chargeOther(7);
    expect(pacer.readyInMs()).toBe(4_000);
  });
});

describe('spaceRequests', () => {
  it('sends a paced project’s requests one spacing apart (the first at once), never more than a second apart', async () => {
    let now = 0;
    const sent: Array<[string, number]> = [];
    const inner: ApiClient = {
      request: async <T>(req: ApiRequest) => {
        sent.push([req.path, now]);
        return { status: 200, body: undefined as T, headers: {} };
      },
      get: async <T>(path: string) => {
        sent.push([path, now]);
        return undefined as T;
      },
    };
    // A fake sleep: time moves to the end of each wait when it ends (in the order the waits began).
    const wait = (ms: number) => {
      const target = now + ms;
      return new Promise<void>((resolve) =>
        setImmediate(() => {
          now = Math.max(now, target);
          resolve();
        }),
      );
    };
    const spaced = spaceRequests(inner, 400, () => now, wait);
    await Promise.all([spaced.get('/a'), spaced.get('/b'), spaced.request({ method: 'PATCH', path: '/c' })]);
    expect(sent).toEqual([
      ['/a', 0],
      ['/b', 400],
      ['/c', 800],
    ]);
    now = 0;
    sent.length = 0;
    const slow = spaceRequests(inner, 60_000, () => now, wait);
    await Promise.all([slow.get('/a'), slow.get('/b')]);
    expect(sent.map(([, t]) => t)).toEqual([0, MAX_SPACING_MS]);
  });
});
