import { describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../../src/api/rate-limiter.js';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('createRateLimiter', () => {
  it('keeps at most N requests per window under load, first come first served', async () => {
    const limiter = createRateLimiter({ limit: 5, windowMs: 150, safetyMarginMs: 20, maxInFlight: 50 });
    const admitted: { i: number; at: number }[] = [];
    const started = performance.now();
    await Promise.all(
      Array.from({ length: 17 }, async (_, i) => {
        const permit = await limiter.acquire();
        admitted.push({ i, at: performance.now() - started });
        permit.observe(200, {});
        permit.release();
      }),
    );
    expect(admitted.map((a) => a.i)).toEqual(Array.from({ length: 17 }, (_, i) => i));
    // Any 5 consecutive admissions apart: the sixth waits a full window after the first.
    for (let k = 5; k < admitted.length; k++) {
      expect((admitted[k] as { at: number }).at - (admitted[k - 5] as { at: number }).at).toBeGreaterThanOrEqual(150);
    }
  });

  it('caps requests in flight', async () => {
    const limiter = createRateLimiter({ limit: 0, maxInFlight: 3 });
    let inFlight = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        const permit = await limiter.acquire();
        inFlight++;
        peak = Math.max(peak, inFlight);
        await tick(2);
        inFlight--;
        permit.observe(200, {});
        permit.release();
      }),
    );
    expect(peak).toBe(3);
    expect(limiter.stats()).toMatchObject({ inFlight: 0, queued: 0, issued: 20 });
  });

  it('holds waiters when the server says nothing remains, and lets them go after the reset', async () => {
    const limiter = createRateLimiter({ limit: 0, resetMarginMs: 0, maxInFlight: 8 });
    const first = await limiter.acquire();
    // Measured from before the answer is observed: the reset is 0.2 s after that, however loaded the machine.
    const before = performance.now();
    first.observe(200, { 'x-ratelimit-limit': '120', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '0.2' });
    first.release();
    const second = await limiter.acquire();
    expect(performance.now() - before).toBeGreaterThanOrEqual(195);
    second.release();
  });

  it('rejects a waiter whose signal aborts, and serves the others', async () => {
    const limiter = createRateLimiter({ limit: 1, windowMs: 60_000, safetyMarginMs: 0 });
    (await limiter.acquire()).release();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    expect(limiter.stats().queued).toBe(0);
    await expect(limiter.acquire(AbortSignal.abort(new Error('already')))).rejects.toThrow('already');
  });

  it('sends one request alone until the first answer tells the server count', async () => {
    const limiter = createRateLimiter({ maxInFlight: 8 });
    const first = await limiter.acquire();
    let secondAdmitted = false;
    const second = limiter.acquire().then((p) => {
      secondAdmitted = true;
      return p;
    });
    await tick(20);
    expect(secondAdmitted).toBe(false);
    first.observe(200, { 'x-ratelimit-limit': '120', 'x-ratelimit-remaining': '119', 'x-ratelimit-reset': '60' });
    first.release();
    const permit = await second;
    expect(secondAdmitted).toBe(true);
    permit.release();
  });

  it('a permit released twice frees one slot only', async () => {
    const limiter = createRateLimiter({ limit: 0, maxInFlight: 1 });
    const a = await limiter.acquire();
    a.release();
    a.release();
    const b = await limiter.acquire();
    let cAdmitted = false;
    const c = limiter.acquire().then((p) => {
      cAdmitted = true;
      return p;
    });
    await tick(10);
    expect(cAdmitted).toBe(false);
    b.release();
    (await c).release();
  });

  it('validates its options eagerly', () => {
    expect(() => createRateLimiter({ maxInFlight: 0 })).toThrow(RangeError);
    expect(() => createRateLimiter({ limit: -3 })).toThrow(RangeError);
  });
});
