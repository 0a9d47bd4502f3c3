/**
 * The client-side rate limit as pure state over an injected clock: no timers, no I/O. The
 * wrapper in ./rate-limiter.ts asks `delayMs(now)`, waits, then `recordSend(now)`, and feeds each
 * response's headers back through `observe`.
 *
 * Two rules, the stricter one wins:
 * 1. A sliding-window log: at most `limit` sends in any `windowMs + safetyMarginMs`. No interval
 *    of the server's (fixed window, sliding window or token bucket of the same limit) can then
 *    count more than `limit`; the margin absorbs latency jitter between our send time and the
 *    server's receive time. Bursts are allowed (the in-flight cap smooths them), so the whole
 *    allowed rate is used: `limit` per (window + margin), 99% with the defaults.
 * 2. The server's own count, from `x-ratelimit-remaining` / `x-ratelimit-reset`: it also covers
 *    other clients on the same token, a lower server limit and a window that started before us.
 *    Within one server window the smallest remaining reported belongs to the latest request the
 *    server counted; every request it counted after that one is still unanswered. So
 *    `smallest remaining - requests in flight` is what is left once all in-flight requests land
 *    (exact when nothing is in flight, never too high): at 0, sends wait until the reported
 *    reset. A 429 holds all sends for its Retry-After (or reset), unless that is longer than
 *    `maxHoldMs`. While the server's count is
 *    unknown (the first request, or its reported window has ended), one request goes alone and
 *    the rest wait for its answer: a window another run already used up, or a server limit below
 *    the in-flight cap, then costs one request's round trip instead of a burst of 429s. A server
 *    that sends no rate-limit headers turns this off.
 * Responses from a stricter, separate endpoint group (a smaller `x-ratelimit-limit`, e.g. the 10/min
 * vanity-subdomain endpoints) do not move the shared budget; their 429s are retried per request.
 */

import { parseCount, parseRateLimitReset, parseRetryAfter } from './retry-policy.js';

export interface RateLimitPolicyOptions {
  /** Requests per window; 0 or Infinity turns the client-side window off (server headers still apply). */
  limit: number;
  windowMs: number;
  /** Extra wait added to the window (latency jitter between our clock and the server's). */
  safetyMarginMs: number;
  /** Follow `x-ratelimit-*` and 429s; off, only the client-side window applies. */
  followServerHeaders: boolean;
  /** Added to `x-ratelimit-reset`, which has whole-second resolution. */
  resetMarginMs: number;
  /**
   * The longest 429 wait that holds every request (default 60 s, the retry policy's
   * `maxRetryAfterMs`). A longer Retry-After is not waited by the request that got it either (it
   * gives up); holding all the others for it would stall a run silently for that long.
   */
  maxHoldMs: number;
}

export const DEFAULT_RATE_LIMIT: Readonly<RateLimitPolicyOptions> = Object.freeze({
  limit: 120,
  windowMs: 60_000,
  safetyMarginMs: 500,
  followServerHeaders: true,
  resetMarginMs: 1_000,
  maxHoldMs: 60_000,
});

/** What one response says about the server's rate limit (all durations in ms). */
export interface RateLimitObservation {
  status?: number | undefined;
  limit?: number | undefined;
  remaining?: number | undefined;
  resetMs?: number | undefined;
  retryAfterMs?: number | undefined;
}

type HeaderBag = Record<string, string | string[] | undefined>;

function header(headers: HeaderBag, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Reads the rate-limit headers (Node lower-cases names). `nowEpochMs` is for an HTTP-date Retry-After. */
export function parseRateLimitHeaders(status: number | undefined, headers: HeaderBag, nowEpochMs: number): RateLimitObservation {
  return {
    status,
    limit: parseCount(header(headers, 'x-ratelimit-limit')),
    remaining: parseCount(header(headers, 'x-ratelimit-remaining')),
    resetMs: parseRateLimitReset(header(headers, 'x-ratelimit-reset')),
    retryAfterMs: parseRetryAfter(header(headers, 'retry-after'), nowEpochMs),
  };
}

interface ServerBudget {
  /** The smallest remaining reported in this server window. */
  remaining: number;
  resetAt: number;
}

/** Reported resets further apart than this belong to different server windows. */
const SAME_WINDOW_TOLERANCE_MS = 2_000;

export class RateLimitPolicy {
  private readonly opts: RateLimitPolicyOptions;
  /** Ring buffer of the last `limit` send times; `next` is the oldest once full. */
  private readonly sends: number[];
  private next = 0;
  private issued = 0;
  /** Requests sent and not yet answered (observe) or given up (settle). */
  private unanswered = 0;
  private budget: ServerBudget | undefined;
  private holdUntil = -Infinity;
  /** The largest `x-ratelimit-limit` seen: the shared bucket's. */
  private mainLimit = 0;
  /** The last answer carried no rate-limit headers: nothing to probe for. */
  private serverSilent = false;

  constructor(opts: Partial<RateLimitPolicyOptions> = {}) {
    this.opts = { ...DEFAULT_RATE_LIMIT, ...opts };
    const { limit, windowMs, safetyMarginMs, resetMarginMs, maxHoldMs } = this.opts;
    if (!(limit >= 0) || (Number.isFinite(limit) && !Number.isInteger(limit))) {
      throw new RangeError('rate limit must be a non-negative integer (0 = no client-side limit)');
    }
    for (const [name, v] of Object.entries({ windowMs, safetyMarginMs, resetMarginMs, maxHoldMs })) {
      if (!(v >= 0) || !Number.isFinite(v)) throw new RangeError(`${name} must be a finite number >= 0`);
    }
    this.sends = this.windowed ? new Array<number>(limit) : [];
  }

  private get windowed(): boolean {
    return this.opts.limit > 0 && Number.isFinite(this.opts.limit);
  }

  /**
   * Milliseconds until the next request may be sent; 0 = now; Infinity = when an answer to a
   * request in flight arrives (probing an unknown server count).
   */
  delayMs(now: number): number {
    let until = this.holdUntil;
    if (this.windowed && this.issued >= this.opts.limit) {
      const oldest = this.sends[this.next] as number;
      until = Math.max(until, oldest + this.opts.windowMs + this.opts.safetyMarginMs);
    }
    const b = this.liveBudget(now);
    if (b && b.remaining - this.unanswered <= 0) until = Math.max(until, b.resetAt);
    const probing = this.opts.followServerHeaders && !b && !this.serverSilent && this.unanswered > 0;
    if (probing && until <= now) return Number.POSITIVE_INFINITY;
    return Math.max(0, until - now);
  }

  /** Records a send at `now` (call only when `delayMs(now)` is 0). */
  recordSend(now: number): void {
    if (this.windowed) {
      this.sends[this.next] = now;
      this.next = (this.next + 1) % this.opts.limit;
    }
    this.issued++;
    this.unanswered++;
  }

  /** A request ended without an answer (timeout, network error). */
  settle(): void {
    this.unanswered = Math.max(0, this.unanswered - 1);
  }

  /** A request was answered; learns from the answer's rate-limit headers. */
  observe(now: number, o: RateLimitObservation): void {
    this.settle();
    if (!this.opts.followServerHeaders) return;
    if (o.limit !== undefined) {
      if (o.limit < this.mainLimit) return; // another endpoint group's bucket
      this.mainLimit = o.limit;
    }
    if (o.status === 429) {
      const wait = o.retryAfterMs ?? o.resetMs ?? 1_000;
      if (wait <= this.opts.maxHoldMs) this.holdUntil = Math.max(this.holdUntil, now + wait);
    }
    this.serverSilent = o.remaining === undefined && o.resetMs === undefined && o.limit === undefined;
    if (o.remaining === undefined || o.resetMs === undefined) return;
    const seen: ServerBudget = { remaining: o.remaining, resetAt: now + o.resetMs + this.opts.resetMarginMs };
    const current = this.liveBudget(now);
    if (!current || seen.resetAt > current.resetAt + SAME_WINDOW_TOLERANCE_MS) {
      this.budget = seen; // the first report, or the server's window has turned
    } else if (seen.resetAt >= current.resetAt - SAME_WINDOW_TOLERANCE_MS) {
      this.budget = { remaining: Math.min(current.remaining, seen.remaining), resetAt: Math.max(current.resetAt, seen.resetAt) };
    } // else: a late answer from an earlier window; ignored
  }

  private liveBudget(now: number): ServerBudget | undefined {
    return this.budget && now < this.budget.resetAt ? this.budget : undefined;
  }

  /** For metrics and tests. */
  snapshot(now: number): { issued: number; unanswered: number; serverRemaining: number | undefined; heldForMs: number } {
    const b = this.liveBudget(now);
    return {
      issued: this.issued,
      unanswered: this.unanswered,
      serverRemaining: b ? Math.max(0, b.remaining - this.unanswered) : undefined,
      heldForMs: this.delayMs(now),
    };
  }
}
