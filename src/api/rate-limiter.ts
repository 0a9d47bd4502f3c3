/**
 * The process-wide gate every Management API request passes: a rate limit (./rate-limit-policy.ts)
 * and a cap on requests in flight, so a run over a thousand projects neither meets a 429 nor opens
 * a thousand sockets. Waiters are served first come, first served. Share one instance between all
 * clients of a process.
 */
import { parseRateLimitHeaders, RateLimitPolicy, type RateLimitPolicyOptions } from './rate-limit-policy.js';

export interface RateLimiterOptions extends Partial<RateLimitPolicyOptions> {
  /** Requests in flight at once (default 8). */
  maxInFlight?: number;
  /** Monotonic clock in ms (default performance.now). */
  clock?: () => number;
}

/** One admitted request. `observe` feeds the answer back (once); `release` frees the slot (idempotent). */
export interface RatePermit {
  observe(status: number | undefined, headers: Record<string, string | string[] | undefined>): void;
  release(): void;
}

export interface RateLimiterStats {
  inFlight: number;
  queued: number;
  issued: number;
  /** The server's remaining budget as estimated now, when known. */
  serverRemaining: number | undefined;
}

export interface RateLimiter {
  /** Resolves when the request may be sent; rejects with the signal's reason if aborted while waiting. */
  acquire(signal?: AbortSignal): Promise<RatePermit>;
  stats(): RateLimiterStats;
}

export const DEFAULT_MAX_IN_FLIGHT = 8;

interface Waiter {
  resolve: (p: RatePermit) => void;
  reject: (e: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

export function createRateLimiter(opts: RateLimiterOptions = {}): RateLimiter {
  const { maxInFlight = DEFAULT_MAX_IN_FLIGHT, clock = () => performance.now(), ...policyOpts } = opts;
  if (!Number.isInteger(maxInFlight) || maxInFlight < 1) throw new RangeError('maxInFlight must be an integer >= 1');
  const policy = new RateLimitPolicy(policyOpts);
  const queue: Waiter[] = [];
  let inFlight = 0;
  let timer: NodeJS.Timeout | undefined;

  function pump(): void {
    if (timer) {
      clearTimeout(timer);
      timer = undefined;
    }
    while (queue.length > 0 && inFlight < maxInFlight) {
      const now = clock();
      const wait = policy.delayMs(now);
      if (wait === Number.POSITIVE_INFINITY) return; // the answer in flight pumps again
      if (wait > 0) {
        // Kept referenced: a CLI waiting for its rate-limit slot must not exit.
        timer = setTimeout(pump, Math.ceil(wait));
        return;
      }
      const waiter = queue.shift() as Waiter;
      waiter.signal?.removeEventListener('abort', waiter.onAbort);
      inFlight++;
      policy.recordSend(now);
      waiter.resolve(permit());
    }
  }

  function permit(): RatePermit {
    let answered = false;
    let released = false;
    return {
      observe(status, headers) {
        if (answered || released) return;
        answered = true;
        policy.observe(clock(), parseRateLimitHeaders(status, headers, Date.now()));
      },
      release() {
        if (released) return;
        released = true;
        if (!answered) policy.settle();
        inFlight--;
        pump();
      },
    };
  }

  return {
    acquire(signal) {
      return new Promise<RatePermit>((resolve, reject) => {
        if (signal?.aborted) {
          reject(signal.reason);
          return;
        }
        const waiter: Waiter = {
          resolve,
          reject,
          signal,
          onAbort: () => {
            const i = queue.indexOf(waiter);
            if (i >= 0) queue.splice(i, 1);
            reject(signal?.reason);
            if (queue.length === 0 && timer) pump(); // nobody left to wake: drop the timer
          },
        };
        signal?.addEventListener('abort', waiter.onAbort, { once: true });
        queue.push(waiter);
        pump();
      });
    },
    stats() {
      const snap = policy.snapshot(clock());
      return { inFlight, queued: queue.length, issued: snap.issued, serverRemaining: snap.serverRemaining };
    },
  };
}
