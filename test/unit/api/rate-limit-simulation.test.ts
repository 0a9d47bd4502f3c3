/**
 * The issue-8 goal on a virtual clock: many concurrent requests through the policy against
 * simulated servers with the same 120/min limit (three plausible server algorithms, random
 * latency, 8 in flight, responses out of order) meet no 429 and use >= 95% of the allowed rate.
 * Pure simulation: no timers, deterministic.
 */
import { describe, expect, it } from 'vitest';
import { RateLimitPolicy } from '../../../src/api/rate-limit-policy.js';

const LIMIT = 120;
const WINDOW = 60_000;

interface ServerModel {
  /** Counts a request arriving at `t`; returns whether it is admitted, and the headers' values. */
  arrive(t: number): { ok: boolean; remaining: number; resetS: number };
}

/** Fixed windows aligned to the clock (every minute on the minute). */
function alignedFixedWindow(): ServerModel {
  const counts = new Map<number, number>();
  return {
    arrive(t) {
      const w = Math.floor(t / WINDOW);
      const used = (counts.get(w) ?? 0) + 1;
      counts.set(w, used);
      return { ok: used <= LIMIT, remaining: Math.max(0, LIMIT - used), resetS: Math.ceil(((w + 1) * WINDOW - t) / 1000) };
    },
  };
}

/**
 * A window that opens with the first request after the previous one expired (as the emulator
 * does); reset floored. `usedBefore` requests of an earlier run already count in a window that
 * opened `openedAgo` ms before ours.
 */
function firstRequestWindow(usedBefore = 0, openedAgo = 0): ServerModel {
  let start = usedBefore > 0 ? -openedAgo : -Infinity;
  let used = usedBefore;
  return {
    arrive(t) {
      if (t >= start + WINDOW) {
        start = t;
        used = 0;
      }
      used++;
      return { ok: used <= LIMIT, remaining: Math.max(0, LIMIT - used), resetS: Math.floor((start + WINDOW - t) / 1000) };
    },
  };
}

/** A sliding log: at most LIMIT admitted in any trailing minute; reset = until the oldest leaves. */
function slidingLog(): ServerModel {
  const admitted: number[] = [];
  return {
    arrive(t) {
      while (admitted.length && (admitted[0] as number) <= t - WINDOW) admitted.shift();
      const ok = admitted.length < LIMIT;
      if (ok) admitted.push(t);
      const resetS = admitted.length ? Math.ceil(((admitted[0] as number) + WINDOW - t) / 1000) : 0;
      return { ok, remaining: LIMIT - admitted.length, resetS };
    },
  };
}

/** Deterministic PRNG (mulberry32). */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function simulate(server: ServerModel, total: number, seed: number, clientLimit = LIMIT) {
  const policy = new RateLimitPolicy({ limit: clientLimit, windowMs: WINDOW });
  const random = prng(seed);
  const maxInFlight = 8;
  type Flight = { arriveAt: number; answerAt: number; result?: ReturnType<ServerModel['arrive']> };
  let flights: Flight[] = [];
  const sendTimes: number[] = [];
  let rejected = 0;
  let now = 0;
  while (sendTimes.length < total || flights.length > 0) {
    // The server sees arrivals in arrival order; answers come back later, possibly out of order.
    for (const f of [...flights].sort((a, b) => a.arriveAt - b.arriveAt)) {
      if (!f.result && f.arriveAt <= now) f.result = server.arrive(f.arriveAt);
    }
    for (const f of flights.filter((x) => x.result && x.answerAt <= now)) {
      const r = f.result as ReturnType<ServerModel['arrive']>;
      if (!r.ok) rejected++;
      policy.observe(now, { status: r.ok ? 200 : 429, limit: LIMIT, remaining: r.remaining, resetMs: r.resetS * 1000, retryAfterMs: r.ok ? undefined : r.resetS * 1000 });
    }
    flights = flights.filter((x) => !(x.result && x.answerAt <= now));
    while (sendTimes.length < total && flights.length < maxInFlight && policy.delayMs(now) === 0) {
      policy.recordSend(now);
      sendTimes.push(now);
      const up = 2 + random() * 60; // ms to reach the server
      flights.push({ arriveAt: now + up, answerAt: now + up + 5 + random() * 60 });
    }
    const next = [
      ...flights.map((f) => (f.result ? f.answerAt : f.arriveAt)),
      ...(sendTimes.length < total && flights.length < maxInFlight ? [now + policy.delayMs(now)] : []),
    ].filter((t) => t > now);
    now = next.length ? Math.min(...next) : now + 1;
  }
  return { rejected, sendTimes };
}

describe('rate limit against simulated 120/min servers', () => {
  const servers: [string, () => ServerModel][] = [
    ['fixed windows on the minute', alignedFixedWindow],
    ['a window opened by the first request', firstRequestWindow],
    ['a sliding log', slidingLog],
  ];
  it.each(servers)('%s: no 429 and >= 95%% of the allowed rate', (_name, make) => {
    for (const seed of [1, 2, 3]) {
      const { rejected, sendTimes } = simulate(make(), 1000, seed);
      expect(rejected).toBe(0);
      // Sends within the first 5 minutes: at 120/min that is at most 600; require >= 95% of it.
      const inFiveMinutes = sendTimes.filter((t) => t < 5 * WINDOW).length;
      expect(inFiveMinutes).toBeGreaterThanOrEqual(0.95 * 5 * LIMIT);
      expect(inFiveMinutes).toBeLessThanOrEqual(5 * LIMIT);
    }
  });

  it('a window an earlier run nearly used up: the first answer holds the rest, no 429', () => {
    for (const seed of [6, 7]) {
      const { rejected, sendTimes } = simulate(firstRequestWindow(LIMIT - 3, 20_000), 300, seed);
      expect(rejected).toBe(0);
      // Three go (one probe, then two), the rest wait for the window the earlier run opened to end.
      expect(sendTimes.filter((t) => t < 40_000)).toHaveLength(3);
    }
  });

  it.each(servers)('%s, with the client configured above the server limit: still no 429', (_name, make) => {
    for (const seed of [4, 5]) {
      const { rejected, sendTimes } = simulate(make(), 1000, seed, 200);
      expect(rejected).toBe(0);
      expect(sendTimes.filter((t) => t < 5 * WINDOW).length).toBeGreaterThanOrEqual(0.95 * 5 * LIMIT);
    }
  });
});
