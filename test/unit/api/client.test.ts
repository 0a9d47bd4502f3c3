import { afterEach, describe, expect, it } from 'vitest';
import { createApiClient, type ApiAttemptEvent, type ApiClientOptions, type ManagedApiClient } from '../../../src/api/client.js';
import { createRateLimiter } from '../../../src/api/rate-limiter.js';
import { ApiError } from '../../../src/errors.js';
import { startFakeServer, type FakeServer, type Step } from './fake-server.js';

const TOKEN = 'sbp_test_token_0123456789';
const REF = 'abcdefghijklmnopqrst';
const AUTH = `/v1/projects/${REF}/config/auth`;

let server: FakeServer | undefined;
let client: ManagedApiClient | undefined;
afterEach(async () => {
  client?.close();
  await server?.close();
  server = undefined;
  client = undefined;
});

/** A client whose waits between attempts are recorded and shortened, so tests stay fast. */
async function setup(steps: Step[] | ((n: number) => Step), opts: Partial<ApiClientOptions> = {}) {
  server = await startFakeServer(steps);
  const waits: number[] = [];
  const events: ApiAttemptEvent[] = [];
  client = createApiClient({
    baseUrl: server.url,
    token: TOKEN,
    limiter: false,
    random: () => 0.5,
    sleep: async (ms) => {
      waits.push(ms);
      await new Promise((r) => setTimeout(r, Math.min(ms, 5)));
    },
    onResponse: (e) => events.push(e),
    ...opts,
  });
  return { server, client, waits, events };
}

async function failure(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(ApiError);
    return err as ApiError;
  }
  throw new Error('expected an ApiError');
}

const ok = (body: unknown = {}): Step => ({ status: 200, body });

describe('requests', () => {
  it('GET returns the parsed body and sends the bearer token, JSON accept and user agent', async () => {
    const { server, client } = await setup([ok({ site_url: 'https://example.com' })], { userAgent: 'supasync/9.9.9' });
    await expect(client.get(AUTH)).resolves.toEqual({ site_url: 'https://example.com' });
    const [seen] = server.seen;
    expect(seen).toMatchObject({ method: 'GET', url: AUTH });
    expect(seen?.headers).toMatchObject({ authorization: `Bearer ${TOKEN}`, accept: 'application/json', 'user-agent': 'supasync/9.9.9' });
  });

  it('request() sends a JSON body and returns status, body and headers', async () => {
    const { server, client } = await setup([{ status: 201, body: { id: 'x' }, headers: { 'x-ratelimit-remaining': '119' } }]);
    const res = await client.request({ method: 'PATCH', path: AUTH, body: { jwt_exp: 3600 } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: 'x' });
    expect(res.headers['x-ratelimit-remaining']).toBe('119');
    expect(server.seen[0]?.body).toBe('{"jwt_exp":3600}');
    expect(server.seen[0]?.headers['content-type']).toMatch(/application\/json/);
  });

  it('reuses connections, except for a creating POST, which gets a fresh one', async () => {
    const { server, client } = await setup([ok()]);
    await client.get(AUTH);
    await client.request({ method: 'PATCH', path: AUTH, body: {} });
    await client.request({ method: 'POST', path: `/v1/projects/${REF}/secrets`, body: [] });
    await client.request({ method: 'POST', path: `/v1/projects/${REF}/secrets`, body: [] });
    const [get, patch, post1, post2] = server.seen.map((s) => s.clientPort);
    expect(patch).toBe(get);
    expect(new Set([get, post1, post2]).size).toBe(3);
  });

  it('an empty 2xx body is undefined', async () => {
    const { client } = await setup([{ status: 200, raw: '' }]);
    await expect(client.request({ method: 'DELETE', path: `/v1/projects/${REF}/x` })).resolves.toMatchObject({ status: 200, body: undefined });
  });

  it('keeps a base path prefix', async () => {
    server = await startFakeServer([ok()]);
    client = createApiClient({ baseUrl: `${server.url}/api/`, token: TOKEN, limiter: false });
    await client.get('/v1/projects');
    expect(server.seen[0]?.url).toBe('/api/v1/projects');
  });

  it('refuses a malformed request before sending anything', async () => {
    const { server, client } = await setup([ok()]);
    await expect(client.get('v1/no-slash')).rejects.toThrow(TypeError);
    await expect(client.get('//evil.example/v1')).rejects.toThrow(TypeError);
    // @ts-expect-error -- an unsupported method, as untyped callers might pass
    await expect(client.request({ method: 'TRACE', path: AUTH })).rejects.toThrow(TypeError);
    expect(server.seen).toHaveLength(0);
  });

  it('refuses plain http off loopback and a bad token at construction', () => {
    expect(() => createApiClient({ baseUrl: 'http://api.example.com', token: TOKEN })).toThrow(/plain http/);
    expect(() => createApiClient({ token: 'two words' })).toThrow(/spaces/);
    expect(() => createApiClient({ token: TOKEN, timeoutMs: 0 })).toThrow(RangeError);
  });
});

describe('retries', () => {
  it('retries a GET on 503 then succeeds, counting attempts', async () => {
    const { server, client, waits, events } = await setup([{ status: 503, body: { message: 'busy' } }, { status: 503 }, ok({ a: 1 })]);
    await expect(client.get(AUTH)).resolves.toEqual({ a: 1 });
    expect(server.seen).toHaveLength(3);
    expect(waits).toHaveLength(2);
    expect(events.map((e) => [e.attempt, e.status, e.willRetry])).toEqual([
      [1, 503, true],
      [2, 503, true],
      [3, 200, false],
    ]);
    expect(events[0]).toMatchObject({ route: '/v1/projects/{ref}/config/auth', error: 'E_API_STATUS' });
  });

  it('honours Retry-After on 429', async () => {
    const { server, client, waits } = await setup([{ status: 429, body: { message: 'slow down' }, headers: { 'retry-after': '2' } }, ok()]);
    await client.get(AUTH);
    expect(server.seen).toHaveLength(2);
    expect(waits[0]).toBeGreaterThanOrEqual(2000);
    expect(waits[0]).toBeLessThanOrEqual(2500);
  });

  it('gives up at once when Retry-After is beyond the maximum', async () => {
    const { server, client } = await setup([{ status: 429, body: { message: 'quota' }, headers: { 'retry-after': '3600' } }]);
    const err = await failure(client.get(AUTH));
    expect(server.seen).toHaveLength(1);
    expect(err).toMatchObject({ code: 'E_API_STATUS', status: 429, retryable: true, attempts: 1 });
  });

  it('stops after the retry limit with the attempt count', async () => {
    const { server, client } = await setup([{ status: 502, raw: '<html>bad gateway</html>' }], { retry: { limit: 2 } });
    const err = await failure(client.get(AUTH));
    expect(server.seen).toHaveLength(3);
    expect(err).toMatchObject({ code: 'E_API_STATUS', status: 502, attempts: 3, retryable: true, apiMessage: undefined });
    expect(err.message).toBe(`GET ${AUTH} failed 502: Bad Gateway`);
  });

  it('retries PATCH, PUT and DELETE (idempotent writes)', async () => {
    for (const method of ['PATCH', 'PUT', 'DELETE'] as const) {
      const { server, client } = await setup([{ status: 500 }, ok()]);
      await client.request({ method, path: AUTH, body: { a: 1 } });
      expect(server.seen.map((s) => s.method)).toEqual([method, method]);
      client.close();
      await server.close();
    }
  });

  it('never resends a creating POST after a 500', async () => {
    const { server, client } = await setup([{ status: 500, body: { message: 'internal' } }, ok()]);
    const err = await failure(client.request({ method: 'POST', path: `/v1/projects/${REF}/config/auth/sso/providers`, body: { type: 'saml' } }));
    expect(server.seen).toHaveLength(1);
    expect(err).toMatchObject({ status: 500, attempts: 1, apiMessage: 'internal' });
  });

  it('never resends a creating POST after a connection reset', async () => {
    const { server, client } = await setup([{ reset: true }, ok()]);
    const err = await failure(client.request({ method: 'POST', path: `/v1/projects/${REF}/secrets`, body: [] }));
    expect(server.seen).toHaveLength(1);
    expect(err).toMatchObject({ code: 'E_API_NETWORK', attempts: 1 });
  });

  it('resends a creating POST after a 429 (the server did nothing)', async () => {
    const { server, client } = await setup([{ status: 429, headers: { 'retry-after': '0' } }, { status: 201, body: { id: 1 } }]);
    await expect(client.request({ method: 'POST', path: `/v1/projects/${REF}/secrets`, body: [] })).resolves.toMatchObject({ status: 201 });
    expect(server.seen).toHaveLength(2);
  });

  it('resends a POST flagged idempotent (replacing) after a 503 and a reset', async () => {
    const { server, client } = await setup([{ status: 503 }, { reset: true }, ok({ status: 'applied' })]);
    const res = await client.request({ method: 'POST', path: `/v1/projects/${REF}/network-restrictions/apply`, body: { dbAllowedCidrs: [] }, idempotent: true });
    expect(res.body).toEqual({ status: 'applied' });
    expect(server.seen).toHaveLength(3);
  });

  it.each([400, 401, 403, 404, 409, 422])('does not retry %i', async (status) => {
    const { server, client } = await setup([{ status, body: { message: `no (${status})` } }, ok()]);
    const err = await failure(client.get(AUTH));
    expect(server.seen).toHaveLength(1);
    expect(err).toMatchObject({ code: 'E_API_STATUS', status, retryable: false, attempts: 1, apiMessage: `no (${status})` });
    expect(err.message).toBe(`GET ${AUTH} failed ${status}: no (${status})`);
  });
});

describe('failures', () => {
  it('a slow answer is E_API_TIMEOUT, retried for a GET', async () => {
    const { server, client } = await setup([{ hangMs: 5_000 }], { timeoutMs: 150, retry: { limit: 1 } });
    const err = await failure(client.get(AUTH));
    expect(err).toMatchObject({ code: 'E_API_TIMEOUT', status: undefined, retryable: true, attempts: 2 });
    expect(err.message).toMatch(new RegExp(`^GET ${AUTH} failed: no answer within 150 ms`));
    expect(server.seen).toHaveLength(2);
  });

  it('a connection reset is E_API_NETWORK', async () => {
    const { client } = await setup([{ reset: true }], { retry: { limit: 1 } });
    const err = await failure(client.get(AUTH));
    expect(err).toMatchObject({ code: 'E_API_NETWORK', retryable: true, attempts: 2 });
    expect(err.message).toContain('ECONNRESET');
  });

  it('a refused connection is E_API_NETWORK', async () => {
    const probe = await startFakeServer([ok()]);
    const url = probe.url;
    await probe.close();
    client = createApiClient({ baseUrl: url, token: TOKEN, limiter: false, retry: { limit: 1, baseDelayMs: 1 } });
    const err = await failure(client.get(AUTH));
    expect(err).toMatchObject({ code: 'E_API_NETWORK', attempts: 2 });
    expect(err.message).toContain('ECONNREFUSED');
  });

  it('malformed JSON in a 2xx answer is E_API_RESPONSE, not retried', async () => {
    const { server, client } = await setup([{ status: 200, raw: '{"site_url": ' }]);
    const err = await failure(client.get(AUTH));
    expect(err).toMatchObject({ code: 'E_API_RESPONSE', status: 200, retryable: false, attempts: 1 });
    expect(err.message).toBe(`GET ${AUTH} failed 200: the response body is not valid JSON`);
    expect(server.seen).toHaveLength(1);
  });

  it('takes the API message from message, error or msg, trimmed, and never the query string', async () => {
    const long = 'x'.repeat(1000);
    const { client } = await setup((n) => [{ status: 400, body: { error: 'bad thing' } }, { status: 400, body: { msg: long } }][n] ?? ok());
    const first = await failure(client.get(`${AUTH}?secret=1`));
    expect(first.apiMessage).toBe('bad thing');
    expect(first.path).toBe(AUTH);
    expect(first.message).not.toContain('secret=1');
    const second = await failure(client.get(AUTH));
    expect(second.apiMessage?.length).toBe(300);
  });

  it('aborting the client signal stops a request in flight, without retrying', async () => {
    const controller = new AbortController();
    server = await startFakeServer([{ hangMs: 5_000 }]);
    client = createApiClient({ baseUrl: server.url, token: TOKEN, limiter: false, signal: controller.signal });
    const pending = failure(client.get(AUTH));
    setTimeout(() => controller.abort(), 50);
    const err = await pending;
    expect(err).toMatchObject({ code: 'E_API_NETWORK', attempts: 1 });
    expect(err.message).toBe(`GET ${AUTH} failed: request aborted`);
    expect(server.seen).toHaveLength(1);
  });

  it('aborting the client signal stops a retry wait', async () => {
    const controller = new AbortController();
    server = await startFakeServer([{ status: 503 }]);
    client = createApiClient({ baseUrl: server.url, token: TOKEN, limiter: false, signal: controller.signal, retry: { baseDelayMs: 10_000, maxDelayMs: 10_000 }, random: () => 0.99 });
    const pending = failure(client.get(AUTH));
    setTimeout(() => controller.abort(), 50);
    const err = await pending;
    expect(err.message).toContain('request aborted');
    expect(server.seen).toHaveLength(1);
  });
});

describe('with the rate limiter', () => {
  it('never has more than maxInFlight requests at the server', async () => {
    server = await startFakeServer([{ status: 200, body: {}, delayMs: 20 }]);
    const limiter = createRateLimiter({ limit: 0, maxInFlight: 4 });
    client = createApiClient({ baseUrl: server.url, token: TOKEN, limiter });
    const c = client;
    await Promise.all(Array.from({ length: 30 }, (_, i) => c.get(`/v1/projects/${REF}/n${i}`)));
    expect(server.seen).toHaveLength(30);
    expect(server.peakOpen).toBe(4);
    expect(limiter.stats()).toMatchObject({ inFlight: 0, queued: 0, issued: 30 });
  });

  it('keeps to N requests per window across concurrent callers, measured at the server', async () => {
    server = await startFakeServer([ok()]);
    // Sent at most 4 per 200 + 400 ms; checked at 4 per 200 ms where they arrive: 400 ms for scheduling
    // jitter on a loaded machine (100 ms once proved too little: two arrivals 176 ms apart under CI load).
    client = createApiClient({ baseUrl: server.url, token: TOKEN, limiter: createRateLimiter({ limit: 4, windowMs: 200, safetyMarginMs: 400 }) });
    const c = client;
    await Promise.all(Array.from({ length: 12 }, () => c.get(AUTH)));
    const at = server.seen.map((s) => s.at);
    for (let k = 4; k < at.length; k++) expect((at[k] as number) - (at[k - 4] as number)).toBeGreaterThanOrEqual(200);
  });

  it('holds further requests after a 429 from the server', async () => {
    const { server, client } = await setup(
      [{ status: 429, headers: { 'retry-after': '0.3', 'x-ratelimit-limit': '120', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '0.3' } }, ok()],
      { limiter: createRateLimiter({ limit: 0, resetMarginMs: 0 }) },
    );
    await client.get(AUTH);
    expect(server.seen).toHaveLength(2);
    // The retry itself waited in the limiter (the test's sleep is shortened to 5 ms).
    expect((server.seen[1]?.at as number) - (server.seen[0]?.at as number)).toBeGreaterThanOrEqual(290);
  });
});
