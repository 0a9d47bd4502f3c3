/**
 * The client against the in-process emulator's real rate-limit headers: with the emulator at
 * 6 requests per minute, the client's default limiter lets 6 through and holds the rest until the
 * window turns: the emulator refuses nothing (no 429 in its log). Aborted instead of waiting a
 * minute; the full-rate measurement is the benchmark's (issue 8).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createApiClient, type ManagedApiClient } from '../../../src/api/client.js';
import { createRateLimiter } from '../../../src/api/rate-limiter.js';
import { startEmulator, type Emulator } from '../../../src/emulator/index.js';
import { ApiError } from '../../../src/errors.js';

const TOKEN = `sbp_${'0123456789abcdef'.repeat(3).slice(0, 40)}`;

let emulator: Emulator | undefined;
let client: ManagedApiClient | undefined;
afterEach(async () => {
  client?.close();
  await emulator?.close();
});

describe('client pacing against the emulator', () => {
  it('holds requests beyond the emulator limit instead of meeting a 429', async () => {
    emulator = await startEmulator({ port: 0, rateLimitPerMinute: 6 });
    const limiter = createRateLimiter();
    const controller = new AbortController();
    client = createApiClient({ baseUrl: emulator.url, token: TOKEN, limiter, signal: controller.signal });
    const c = client;
    const settled = Array.from({ length: 9 }, () => c.get('/v1/projects/abcdefghijklmnopqrst/config/auth').then(() => 'ok', (e: unknown) => e));
    // Wait until the six allowed requests are answered and the rest are queued.
    const t0 = performance.now();
    const settledDown = () => limiter.stats().queued === 3 && limiter.stats().inFlight === 0;
    while (!settledDown() && performance.now() - t0 < 10_000) await new Promise((r) => setTimeout(r, 10));
    expect(limiter.stats()).toMatchObject({ queued: 3, inFlight: 0, serverRemaining: 0 });
    controller.abort();
    const results = await Promise.all(settled);
    expect(results.filter((r) => r === 'ok')).toHaveLength(6);
    for (const r of results.filter((r) => r !== 'ok')) expect(r).toBeInstanceOf(ApiError);
    const log = emulator.requests();
    expect(log).toHaveLength(6);
    expect(log.every((e) => e.status === 200)).toBe(true);
  });
});
