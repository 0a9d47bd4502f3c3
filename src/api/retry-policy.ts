/**
 * When to send a failed request again, and after how long: pure functions, apart from the I/O
 * (like got's calculate-retry-delay), so every rule is unit-tested with an injected clock and
 * random source.
 *
 * Which failures may be retried depends on whether the request may have had an effect:
 * - reads (GET) and idempotent writes (PUT, PATCH, DELETE, and POSTs flagged `idempotent`, such
 *   as network-restrictions/apply, which replaces a whole set) are retried on 429, 5xx gateway
 *   errors, timeouts and connection failures: sending them twice is the same as sending once;
 * - a creating POST is retried only when the request certainly had no effect: a 429 (the server
 *   refused it before doing anything) or a connection that was never established (refused, DNS).
 *   After a timeout, a reset or a 5xx the server may have created the object, and a second POST
 *   would create a duplicate; that failure is reported and the next reconcile re-reads first.
 * Other 4xx are never retried: the same request would fail the same way.
 */

export interface RetryPolicy {
  /** Retries after the first attempt (so at most limit + 1 attempts). */
  limit: number;
  /** First backoff ceiling; doubles per attempt (full jitter: a random delay in [0, ceiling)). */
  baseDelayMs: number;
  /** Cap of the exponential backoff ceiling. */
  maxDelayMs: number;
  /** A server-requested wait (Retry-After, x-ratelimit-reset) longer than this is not waited: give up. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  limit: 4,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
});

export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 500, 502, 503, 504]);

/** Transport failures worth another attempt (got's and Node's codes). */
export const RETRYABLE_ERROR_CODES: ReadonlySet<string> = new Set([
  'ETIMEDOUT',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ECONNABORTED',
]);

/** Failures where the request never reached a server: safe to resend even a creating POST. */
const NEVER_SENT_ERROR_CODES: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

/** How one attempt failed: an HTTP status when the server answered, else a transport error code. */
export interface AttemptFailure {
  status?: number | undefined;
  errorCode?: string | undefined;
}

/** Whether trying again later could succeed, whatever the method (ApiError.retryable). */
export function isTransientFailure(f: AttemptFailure): boolean {
  if (f.status !== undefined) return RETRYABLE_STATUSES.has(f.status);
  return f.errorCode !== undefined && RETRYABLE_ERROR_CODES.has(f.errorCode);
}

/** Whether this request may be sent again after this failure (see the rules at the top). */
export function maySendAgain(f: AttemptFailure & { idempotent: boolean }): boolean {
  if (!isTransientFailure(f)) return false;
  if (f.idempotent) return true;
  if (f.status !== undefined) return f.status === 429;
  return f.errorCode !== undefined && NEVER_SENT_ERROR_CODES.has(f.errorCode);
}

/**
 * `Retry-After` in ms from `now` (epoch ms): delta-seconds or an HTTP date (RFC 9110 §10.2.3).
 * A date in the past means 0; anything unparseable means absent.
 */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  if (!/[a-z]/i.test(text)) return undefined; // "-1", "" and other non-dates
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/** `x-ratelimit-reset` in ms: the Management API sends seconds until its window resets. */
export function parseRateLimitReset(value: string | undefined): number | undefined {
  if (value === undefined || !/^\s*\d+(\.\d+)?\s*$/.test(value)) return undefined;
  return Math.round(Number(value) * 1000);
}

/** `x-ratelimit-remaining` / `x-ratelimit-limit`: a non-negative integer, else absent. */
export function parseCount(value: string | undefined): number | undefined {
  if (value === undefined || !/^\s*\d+\s*$/.test(value)) return undefined;
  return Number(value);
}

export interface RetryDelayInput extends AttemptFailure {
  /** Attempts made so far, including the one that just failed (1 after the first). */
  attempt: number;
  idempotent: boolean;
  retryAfterHeader?: string | undefined;
  rateLimitRemainingHeader?: string | undefined;
  rateLimitResetHeader?: string | undefined;
  /** Epoch ms, for an HTTP-date Retry-After. */
  now: number;
  /** Uniform in [0, 1). */
  random: () => number;
  policy?: Partial<RetryPolicy> | undefined;
}

/**
 * How long to wait before the next attempt, or undefined to give up: not retryable for this
 * method, out of attempts, or the server asks for a longer wait than `maxRetryAfterMs`.
 *
 * A server-requested wait (Retry-After; or x-ratelimit-reset on a 429 or when
 * x-ratelimit-remaining is 0) is honoured plus up to `baseDelayMs` of jitter, so that requests
 * held together do not return together. Otherwise: exponential backoff with full jitter.
 */
export function retryDelay(input: RetryDelayInput): number | undefined {
  const policy = { ...DEFAULT_RETRY_POLICY, ...input.policy };
  if (input.attempt > policy.limit) return undefined;
  if (!maySendAgain(input)) return undefined;

  const serverWait = serverRequestedWait(input);
  if (serverWait !== undefined) {
    if (serverWait > policy.maxRetryAfterMs) return undefined;
    return Math.round(serverWait + input.random() * policy.baseDelayMs);
  }
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (input.attempt - 1));
  return Math.round(input.random() * ceiling);
}

function serverRequestedWait(input: RetryDelayInput): number | undefined {
  const retryAfter = parseRetryAfter(input.retryAfterHeader, input.now);
  if (retryAfter !== undefined) return retryAfter;
  const reset = parseRateLimitReset(input.rateLimitResetHeader);
  if (reset === undefined) return undefined;
  const exhausted = parseCount(input.rateLimitRemainingHeader) === 0;
  return input.status === 429 || exhausted ? reset : undefined;
}
