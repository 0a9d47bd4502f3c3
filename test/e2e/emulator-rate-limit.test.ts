/** The rate limiter: x-ratelimit-* on every answer, 429 with Retry-After beyond the limit, per token. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OTHER_TOKEN, REF, startTestEmulator, type TestEmulator } from '../helpers/emulator.js';

const PATH = `/v1/projects/${REF}/config/database/postgres`;

describe('emulator: rate limit of 3 per minute', () => {
  let emu: TestEmulator;
  beforeAll(async () => {
    emu = await startTestEmulator({ rateLimitPerMinute: 3 });
  });
  afterAll(() => emu.close());

  it('counts down remaining, then answers 429 with Retry-After and a message; another token has its own window', async () => {
    const remaining: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await emu.call('GET', PATH);
      expect(res.status).toBe(200);
      expect(res.headers.get('x-ratelimit-limit')).toBe('3');
      remaining.push(res.headers.get('x-ratelimit-remaining')!);
      const reset = Number(res.headers.get('x-ratelimit-reset'));
      expect(reset).toBeGreaterThanOrEqual(1);
      expect(reset).toBeLessThanOrEqual(60);
    }
    expect(remaining).toEqual(['2', '1', '0']);

    const refused = await emu.call('PUT', PATH, { max_connections: 50 });
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({ message: 'ThrottlerException: Too Many Requests' });
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.headers.get('x-ratelimit-remaining')).toBe('0');
    // Another token has its own window; and the refused write changed nothing.
    const other = await emu.call('GET', PATH, undefined, { token: OTHER_TOKEN });
    expect(other.status).toBe(200);
    expect(other.body).toEqual({});
    expect(other.headers.get('x-ratelimit-remaining')).toBe('2');
  });
});

describe('emulator: without a rate limit', () => {
  let emu: TestEmulator;
  beforeAll(async () => {
    emu = await startTestEmulator();
  });
  afterAll(() => emu.close());

  it('never refuses and still sends the x-ratelimit-* headers (advertising a limit that is never reached)', async () => {
    const answers = await Promise.all(Array.from({ length: 300 }, () => emu.call('GET', PATH)));
    expect(answers.every((r) => r.status === 200)).toBe(true);
    for (const res of answers) {
      expect(Number(res.headers.get('x-ratelimit-limit'))).toBeGreaterThanOrEqual(1_000_000);
      expect(res.headers.get('x-ratelimit-remaining')).toMatch(/^\d+$/);
      expect(res.headers.get('x-ratelimit-reset')).toMatch(/^\d+$/);
    }
  });
});
