import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RETRY_POLICY,
  isTransientFailure,
  maySendAgain,
  parseRetryAfter,
  retryDelay,
  type RetryDelayInput,
} from '../../../src/api/retry-policy.js';

const NOW = Date.parse('2026-05-01T12:00:00Z');
const base = (over: Partial<RetryDelayInput>): RetryDelayInput => ({ attempt: 1, idempotent: true, status: 503, now: NOW, random: () => 0.5, ...over });

describe('which failures are sent again', () => {
  it.each([429, 500, 502, 503, 504])('idempotent request on %i', (status) => {
    expect(maySendAgain({ status, idempotent: true })).toBe(true);
  });

  it.each(['ECONNRESET', 'ETIMEDOUT', 'ECONNREFUSED', 'EPIPE'])('idempotent request on %s', (errorCode) => {
    expect(maySendAgain({ errorCode, idempotent: true })).toBe(true);
  });

  it.each([400, 401, 403, 404, 409, 422, 501])('never on %i', (status) => {
    expect(maySendAgain({ status, idempotent: true })).toBe(false);
    expect(isTransientFailure({ status })).toBe(false);
  });

  it('a creating POST only when the server certainly did nothing', () => {
    expect(maySendAgain({ status: 429, idempotent: false })).toBe(true);
    expect(maySendAgain({ errorCode: 'ECONNREFUSED', idempotent: false })).toBe(true);
    for (const status of [500, 502, 503, 504]) expect(maySendAgain({ status, idempotent: false })).toBe(false);
    for (const errorCode of ['ECONNRESET', 'ETIMEDOUT', 'EPIPE']) expect(maySendAgain({ errorCode, idempotent: false })).toBe(false);
  });

  it('an unknown transport error is not retried', () => {
    expect(maySendAgain({ errorCode: 'EUNKNOWN', idempotent: true })).toBe(false);
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds', () => {
    expect(parseRetryAfter('3', NOW)).toBe(3000);
    expect(parseRetryAfter(' 0 ', NOW)).toBe(0);
    expect(parseRetryAfter('1.5', NOW)).toBe(1500);
  });

  it('reads an HTTP date relative to now, past dates as 0', () => {
    expect(parseRetryAfter('Fri, 01 May 2026 12:00:07 GMT', NOW)).toBe(7000);
    expect(parseRetryAfter('Fri, 01 May 2026 11:59:00 GMT', NOW)).toBe(0);
  });

  it('ignores garbage', () => {
    expect(parseRetryAfter(undefined, NOW)).toBeUndefined();
    expect(parseRetryAfter('', NOW)).toBeUndefined();
    expect(parseRetryAfter('-1', NOW)).toBeUndefined();
    expect(parseRetryAfter('soon', NOW)).toBeUndefined();
  });
});

describe('retryDelay', () => {
  it('backs off exponentially with full jitter inside [0, ceiling)', () => {
    const ceilings = [500, 1000, 2000, 4000];
    ceilings.forEach((ceiling, i) => {
      expect(retryDelay(base({ attempt: i + 1, random: () => 0 }))).toBe(0);
      expect(retryDelay(base({ attempt: i + 1, random: () => 0.999999 }))).toBe(ceiling);
      expect(retryDelay(base({ attempt: i + 1, random: () => 0.5 }))).toBe(ceiling / 2);
    });
  });

  it('caps the backoff ceiling at maxDelayMs', () => {
    const policy = { limit: 10, baseDelayMs: 500, maxDelayMs: 3000 };
    expect(retryDelay(base({ attempt: 8, random: () => 0.999999, policy }))).toBe(3000);
  });

  it('stops after the limit', () => {
    expect(retryDelay(base({ attempt: DEFAULT_RETRY_POLICY.limit }))).toBeDefined();
    expect(retryDelay(base({ attempt: DEFAULT_RETRY_POLICY.limit + 1 }))).toBeUndefined();
    expect(retryDelay(base({ attempt: 1, policy: { limit: 0 } }))).toBeUndefined();
  });

  it('honours Retry-After in seconds or as a date, plus bounded jitter', () => {
    expect(retryDelay(base({ status: 429, retryAfterHeader: '2', random: () => 0 }))).toBe(2000);
    expect(retryDelay(base({ status: 429, retryAfterHeader: '2', random: () => 0.999999 }))).toBe(2500);
    expect(retryDelay(base({ status: 503, retryAfterHeader: 'Fri, 01 May 2026 12:00:10 GMT', random: () => 0 }))).toBe(10_000);
  });

  it('uses x-ratelimit-reset on a 429 or when nothing remains', () => {
    expect(retryDelay(base({ status: 429, rateLimitResetHeader: '5', random: () => 0 }))).toBe(5000);
    expect(retryDelay(base({ status: 503, rateLimitRemainingHeader: '0', rateLimitResetHeader: '7', random: () => 0 }))).toBe(7000);
    // Budget left: the reset is not a reason to wait; ordinary backoff.
    expect(retryDelay(base({ status: 503, rateLimitRemainingHeader: '40', rateLimitResetHeader: '7', random: () => 0 }))).toBe(0);
  });

  it('gives up when the server asks for a wait beyond maxRetryAfterMs', () => {
    expect(retryDelay(base({ status: 429, retryAfterHeader: '3600' }))).toBeUndefined();
    expect(retryDelay(base({ status: 429, retryAfterHeader: '60', random: () => 0 }))).toBe(60_000);
    expect(retryDelay(base({ status: 429, retryAfterHeader: '61' }))).toBeUndefined();
    expect(retryDelay(base({ status: 429, retryAfterHeader: '20', policy: { maxRetryAfterMs: 10_000 } }))).toBeUndefined();
  });

  it('never retries a creating POST after a 5xx or a reset, even with Retry-After', () => {
    expect(retryDelay(base({ idempotent: false, status: 503, retryAfterHeader: '1' }))).toBeUndefined();
    expect(retryDelay(base({ idempotent: false, status: undefined, errorCode: 'ECONNRESET' }))).toBeUndefined();
    expect(retryDelay(base({ idempotent: false, status: 429, retryAfterHeader: '1', random: () => 0 }))).toBe(1000);
  });

  it('stays within [0, ceiling] for any attempt and random value (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempt, r) => {
        const d = retryDelay(base({ attempt, random: () => r }));
        const ceiling = Math.min(DEFAULT_RETRY_POLICY.maxDelayMs, DEFAULT_RETRY_POLICY.baseDelayMs * 2 ** (attempt - 1));
        return d !== undefined && d >= 0 && d <= ceiling;
      }),
    );
  });
});
