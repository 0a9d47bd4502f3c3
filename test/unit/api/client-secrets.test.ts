/**
 * Canaries: a token and a body value planted in every kind of failure must appear in no error
 * (message, String, JSON, util.inspect), no log line and no metrics event. The logger here has no
 * redaction on purpose: the client must not hand secrets to it at all.
 */
import { Writable } from 'node:stream';
import { inspect } from 'node:util';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createApiClient, type ApiAttemptEvent, type ManagedApiClient } from '../../../src/api/client.js';
import { createRateLimiter } from '../../../src/api/rate-limiter.js';
import { ApiError } from '../../../src/errors.js';
import { Redactor } from '../../../src/redact.js';
import { startFakeServer, type FakeServer, type SeenRequest, type Step } from './fake-server.js';

const TOKEN_CANARY = 'sbp_CANARYTOKEN_7f3a9c1e5b';
const BODY_CANARY = 'CANARY-BODY-SECRET-41d8cd98';
const PATH = '/v1/projects/abcdefghijklmnopqrst/config/auth';

let server: FakeServer | undefined;
let client: ManagedApiClient | undefined;
afterEach(async () => {
  client?.close();
  await server?.close();
});

function capture() {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        raw.push(line);
        lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      cb();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines, raw };
}

/** A server that echoes the token and the request body back in its error messages. */
const echo = (status: number) => (_n: number, req: SeenRequest): Step => ({
  status,
  body: { message: `rejected ${req.body} for ${String(req.headers.authorization)}`, echoed: req.body },
  headers: { 'x-echo': BODY_CANARY },
});

const cases: { name: string; steps: Step[] | ((n: number, req: SeenRequest) => Step); method: 'PATCH' | 'POST'; idempotent?: boolean; code: string }[] = [
  { name: '400 echoing the body and token', steps: echo(400), method: 'PATCH', code: 'E_API_STATUS' },
  { name: '500 echoing, retried then given up', steps: echo(500), method: 'PATCH', code: 'E_API_STATUS' },
  { name: '500 echoing on a creating POST', steps: echo(500), method: 'POST', code: 'E_API_STATUS' },
  { name: 'connection reset', steps: [{ reset: true }], method: 'PATCH', code: 'E_API_NETWORK' },
  { name: 'timeout', steps: [{ hangMs: 2_000 }], method: 'PATCH', code: 'E_API_TIMEOUT' },
  { name: 'malformed JSON echoing the body', steps: [{ status: 200, raw: `{"broken": "${BODY_CANARY}` }], method: 'PATCH', code: 'E_API_RESPONSE' },
  { name: '429 with a huge Retry-After', steps: [{ status: 429, body: { error: BODY_CANARY }, headers: { 'retry-after': '99999' } }], method: 'POST', code: 'E_API_STATUS' },
];

describe('no secret leaves the client', () => {
  it.each(cases)('$name', async ({ steps, method, idempotent, code }) => {
    server = await startFakeServer(steps);
    const { logger, lines, raw } = capture();
    const events: ApiAttemptEvent[] = [];
    client = createApiClient({
      baseUrl: server.url,
      token: TOKEN_CANARY,
      logger,
      timeoutMs: 150,
      retry: { limit: 2, baseDelayMs: 1 },
      limiter: createRateLimiter(),
      onResponse: (e) => events.push(e),
    });
    let err: unknown;
    try {
      await client.request({ method, path: `${PATH}?token=${TOKEN_CANARY}`, body: { smtp_pass: BODY_CANARY, nested: [{ v: BODY_CANARY }] }, ...(idempotent ? { idempotent } : {}) });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe(code);
    expect((err as ApiError).path).toBe(PATH);
    expect(err).not.toHaveProperty('cause');

    // The server really did get both canaries: the test would catch an echo.
    expect(server.seen[0]?.body).toContain(BODY_CANARY);
    expect(server.seen[0]?.headers.authorization).toContain(TOKEN_CANARY);

    const views = [
      (err as Error).message,
      String(err),
      JSON.stringify(err),
      inspect(err, { depth: 10, showHidden: true }),
      JSON.stringify(events),
      ...raw,
    ];
    for (const text of views) {
      expect(text).not.toContain(TOKEN_CANARY);
      expect(text).not.toContain(BODY_CANARY);
    }
    // Logged: one debug line per attempt, a warn line per retry; parsed, not grepped.
    const requests = lines.filter((l) => l.msg === 'api request');
    expect(requests.length).toBe(server.seen.length);
    expect(requests[0]).toMatchObject({ level: 20, method, path: PATH, attempt: 1 });
    for (const line of lines) for (const key of ['body', 'headers', 'token', 'authorization']) expect(line).not.toHaveProperty(key);
    expect(lines.filter((l) => l.msg === 'api retry')).toHaveLength(server.seen.length - 1);
  });

  it('keeps the API message readable while scrubbing echoed values', async () => {
    server = await startFakeServer(echo(422));
    client = createApiClient({ baseUrl: server.url, token: TOKEN_CANARY, limiter: false });
    const err = (await client.request({ method: 'PATCH', path: PATH, body: { smtp_pass: BODY_CANARY } }).catch((e: unknown) => e)) as ApiError;
    expect(err.apiMessage).toBe('rejected {"smtp_pass":"[redacted]"} for Bearer [redacted]');
  });

  it("redacts the caller's secrets from the error text of a request that sent none, and the token's hex part in any case (issue 13, item 3)", async () => {
    const configured = new Redactor();
    configured.add('Configured-Smtp-Pass-9', { minLength: 4 });
    const token = `sbp_${'0a1b2c3d4e'.repeat(4)}`;
    server = await startFakeServer([{ status: 401, body: { message: `current smtp_pass is CONFIGURED-SMTP-PASS-9; token ${token.slice(4).toUpperCase()}` }, headers: {} }]);
    client = createApiClient({ baseUrl: server.url, token, limiter: false, sensitive: configured });
    const err = (await client.get(PATH).catch((e: unknown) => e)) as ApiError;
    expect(err.apiMessage).toBe('current smtp_pass is [redacted]; token [redacted]');
    expect(err.message).toBe(`GET ${PATH} failed 401: current smtp_pass is [redacted]; token [redacted]`);
  });
});
