/** Fault injection through POST /_emulator/faults: status, body, Retry-After, delay, reset, times, first match. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { REF, startTestEmulator, type TestEmulator } from '../helpers/emulator.js';

const AUTH = `/v1/projects/${REF}/config/auth`;

describe('emulator: fault rules', () => {
  let emu: TestEmulator;
  beforeAll(async () => {
    emu = await startTestEmulator();
  });
  afterAll(() => emu.close());
  beforeEach(async () => {
    expect((await emu.control('DELETE', '/_emulator/faults')).status).toBe(204);
  });

  it('answers a matching request with the rule status, body and Retry-After; others are unaffected', async () => {
    await emu.control('POST', '/_emulator/faults', [
      { method: 'GET', path: '/config/auth$', status: 429, retry_after: 7, body: { message: 'slow down' } },
    ]);
    const faulted = await emu.call('GET', AUTH);
    expect(faulted.status).toBe(429);
    expect(faulted.body).toEqual({ message: 'slow down' });
    expect(faulted.headers.get('retry-after')).toBe('7');
    expect(faulted.headers.get('x-ratelimit-limit')).toMatch(/^\d+$/);
    expect((await emu.call('PATCH', AUTH, { jwt_exp: 100 })).status).toBe(200);
    expect((await emu.call('GET', `/v1/projects/${REF}/postgrest`)).status).toBe(200);
  });

  it('counts `times` down and then lets requests through; the log marks faulted requests', async () => {
    emu.clearRequests();
    await emu.control('POST', '/_emulator/faults', [{ path: 'postgrest', status: 503, times: 2 }]);
    expect((await emu.call('GET', `/v1/projects/${REF}/postgrest`)).status).toBe(503);
    const left = await emu.control<{ remaining: number }[]>('GET', '/_emulator/faults');
    expect(left.body[0]!.remaining).toBe(1);
    expect((await emu.call('GET', `/v1/projects/${REF}/postgrest`)).status).toBe(503);
    expect((await emu.call('GET', `/v1/projects/${REF}/postgrest`)).status).toBe(200);
    expect((await emu.control('GET', '/_emulator/faults')).body).toEqual([]);
    const log = await emu.control<{ status: number; fault?: boolean }[]>('GET', '/_emulator/requests');
    expect(log.body.map((e) => [e.status, e.fault ?? false])).toEqual([
      [503, true],
      [503, true],
      [200, false],
    ]);
  });

  it('the first matching rule wins', async () => {
    await emu.control('POST', '/_emulator/faults', [
      { path: 'config/auth', status: 500, times: 1 },
      { path: '.*', status: 502 },
    ]);
    expect((await emu.call('GET', AUTH)).status).toBe(500);
    expect((await emu.call('GET', AUTH)).status).toBe(502);
  });

  it('sends a string body as it is (malformed JSON)', async () => {
    await emu.control('POST', '/_emulator/faults', [{ path: 'config/auth', status: 200, body: '{"truncated": ' }]);
    const res = await emu.call('GET', AUTH);
    expect(res.status).toBe(200);
    expect(res.text).toBe('{"truncated": ');
  });

  it('delays a request, which then proceeds normally', async () => {
    await emu.control('POST', '/_emulator/faults', [{ path: 'config/auth', delay_ms: 250, times: 1 }]);
    const started = Date.now();
    const res = await emu.call('GET', AUTH);
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);
    expect(res.status).toBe(200);
  });

  it('resets the connection', async () => {
    await emu.control('POST', '/_emulator/faults', [{ path: 'config/auth', reset: true, times: 1 }]);
    await expect(emu.call('GET', AUTH)).rejects.toThrow();
    expect((await emu.call('GET', AUTH)).status).toBe(200);
  });

  it('applies rules only to /v1 requests and to the method given', async () => {
    await emu.control('POST', '/_emulator/faults', [{ method: 'patch', path: '.*', status: 500 }]);
    expect((await emu.call('GET', AUTH)).status).toBe(200);
    expect((await emu.call('PATCH', AUTH, { jwt_exp: 100 })).status).toBe(500);
    expect((await emu.control('GET', '/_emulator/requests')).status).toBe(200);
  });

  it('DELETE /_emulator/faults removes every rule', async () => {
    await emu.control('POST', '/_emulator/faults', [{ path: '.*', status: 500 }]);
    await emu.control('DELETE', '/_emulator/faults');
    expect((await emu.call('GET', AUTH)).status).toBe(200);
  });

  it('matches in linear time: a catastrophic-backtracking pattern cannot stall the emulator', async () => {
    // With a backtracking engine, 40 a's and a mismatch at the end take 2^40 steps: this request would never end.
    await emu.control('POST', '/_emulator/faults', [{ path: '^/v1/(a+)+$', status: 418 }]);
    const miss = await emu.call('GET', `/v1/${'a'.repeat(40)}!`);
    expect(miss.status).toBe(404);
    const hit = await emu.call('GET', `/v1/${'a'.repeat(40)}`);
    expect(hit.status).toBe(418);
    // A long path (near the 16 KiB header limit) against a nested pattern answers too.
    await emu.control('DELETE', '/_emulator/faults');
    await emu.control('POST', '/_emulator/faults', [{ path: '^/v1/((a|aa)*)*b$', status: 418 }]);
    expect((await emu.call('GET', `/v1/${'a'.repeat(15_000)}`)).status).toBe(404);
  });

  it.each([
    ['no path', [{ status: 500 }]],
    ['an invalid regular expression', [{ path: '(', status: 500 }]],
    ['a back-reference (not linear; RE2 has none)', [{ path: '^/v1/(a)\\1$', status: 500 }]],
    ['a look-ahead (not linear; RE2 has none)', [{ path: '^/v1/(?=a)', status: 500 }]],
    ['a pattern longer than 512 characters', [{ path: 'a'.repeat(513), status: 500 }]],
    ['a rule that does nothing', [{ path: '.*' }]],
    ['a status out of range', [{ path: '.*', status: 99 }]],
    ['an unknown key', [{ path: '.*', status: 500, sometimes: true }]],
  ])('refuses a rule with %s (400) and adds none', async (_label, rules) => {
    const res = await emu.control('POST', '/_emulator/faults', rules);
    expect(res.status).toBe(400);
    expect((await emu.control('GET', '/_emulator/faults')).body).toEqual([]);
  });
});
