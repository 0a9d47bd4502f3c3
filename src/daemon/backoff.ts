/**
 * Per-project retry delays after a failed reconcile — client-go's ItemExponentialFailureRateLimiter
 * with jitter: the n-th failure in a row waits `base × 2^(n-1)`, capped at `max`, less up to
 * `jitter` of it at random (so that projects failing together do not retry together). A success, or
 * the project leaving the configuration, forgets the count.
 */
export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
  /** Fraction of the delay taken off at random, 0..1. */
  jitter: number;
}

export const DEFAULT_BACKOFF: Readonly<BackoffPolicy> = Object.freeze({ baseMs: 5_000, maxMs: 300_000, jitter: 0.2 });

/** The delay before retry number `failures` (1 = after the first failure). Pure. */
export function backoffDelay(failures: number, random: () => number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  const exponent = Math.max(0, Math.min(failures - 1, 30)); // 2^30 × 5 s is far past any cap
  const capped = Math.min(policy.baseMs * 2 ** exponent, policy.maxMs);
  return Math.round(capped * (1 - policy.jitter * random()));
}

export class ItemBackoff {
  private readonly failures = new Map<string, number>();

  constructor(
    private readonly policy: BackoffPolicy = DEFAULT_BACKOFF,
    private readonly random: () => number = Math.random,
  ) {
    if (!(policy.baseMs > 0) || !(policy.maxMs >= policy.baseMs)) throw new RangeError('backoff needs 0 < baseMs <= maxMs');
    if (!(policy.jitter >= 0 && policy.jitter <= 1)) throw new RangeError('backoff jitter must be within 0..1');
  }

  /** Counts one more failure of `item` and returns how long to wait before trying it again. */
  when(item: string): number {
    const n = (this.failures.get(item) ?? 0) + 1;
    this.failures.set(item, n);
    return backoffDelay(n, this.random, this.policy);
  }

  /** Failures in a row so far. */
  retries(item: string): number {
    return this.failures.get(item) ?? 0;
  }

  forget(item: string): void {
    this.failures.delete(item);
  }
}
