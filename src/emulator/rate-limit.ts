/**
 * Fixed one-minute windows per token, like the real API's `x-ratelimit-*` headers (limit per minute,
 * remaining, seconds until the window resets). A window starts with its first request.
 * Without a limit nothing is refused, and the headers advertise UNLIMITED_REPORTED_LIMIT so that a
 * client pacing itself from them is never slowed by a limit that does not exist.
 */
export const WINDOW_MS = 60_000;
export const UNLIMITED_REPORTED_LIMIT = 1_000_000;

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Whole seconds until the window resets (at least 1). */
  resetSeconds: number;
}

interface Window {
  startedAt: number;
  count: number;
}

export class RateLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(private readonly limitPerMinute: number | undefined) {}

  /** Counts one request for the key and says whether it may proceed. */
  take(key: string, now: number): RateDecision {
    let window = this.windows.get(key);
    if (!window || now - window.startedAt >= WINDOW_MS) {
      window = { startedAt: now, count: 0 };
      this.windows.set(key, window);
    }
    const limit = this.limitPerMinute ?? UNLIMITED_REPORTED_LIMIT;
    const allowed = this.limitPerMinute === undefined || window.count < limit;
    if (allowed) window.count += 1;
    return {
      allowed,
      limit,
      remaining: Math.max(0, limit - window.count),
      resetSeconds: Math.max(1, Math.ceil((window.startedAt + WINDOW_MS - now) / 1000)),
    };
  }

  /** The headers for a key without counting a request (answers that happen before counting). */
  peek(key: string, now: number): RateDecision {
    const window = this.windows.get(key);
    const limit = this.limitPerMinute ?? UNLIMITED_REPORTED_LIMIT;
    if (!window || now - window.startedAt >= WINDOW_MS) {
      return { allowed: true, limit, remaining: limit, resetSeconds: WINDOW_MS / 1000 };
    }
    return {
      allowed: window.count < limit,
      limit,
      remaining: Math.max(0, limit - window.count),
      resetSeconds: Math.max(1, Math.ceil((window.startedAt + WINDOW_MS - now) / 1000)),
    };
  }

  clear(): void {
    this.windows.clear();
  }
}
