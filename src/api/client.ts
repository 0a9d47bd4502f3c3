/**
 * The Management API client: got 14 for the HTTP, everything else ours and small. got's own retry
 * is off; the loop here asks the pure policy in ./retry-policy.ts (which knows that a creating POST
 * must not be sent twice) and passes every attempt through the shared rate limiter. Every failure
 * leaves as an ApiError built from safe facts only: method, path without query, status, the API's
 * trimmed message. The token and request bodies appear in no error, log line or metric event.
 * Answers are capped at MAX_RESPONSE_BYTES (./response-size.ts); an egress proxy, when the
 * environment names one, is used as a CONNECT tunnel (./proxy.ts).
 */
import http from 'node:http';
import https from 'node:https';
import { setTimeout as delay } from 'node:timers/promises';
import { got, type Response } from 'got';
import { ApiError, type ApiErrorCode } from '../errors.js';
import { silentLogger, type Logger } from '../log.js';
import type { SensitiveText } from '../redact.js';
import { assertUsableToken, resolveBaseUrl } from './config.js';
import { apiMessageFrom, reasonPhrase, scrubberFor, tokenSecrets, transportFailure, type Scrub } from './error-mapping.js';
import { createRateLimiter, type RateLimiter, type RatePermit } from './rate-limiter.js';
import { DEFAULT_RETRY_POLICY, isTransientFailure, retryDelay, type RetryPolicy } from './retry-policy.js';
import { MAX_RESPONSE_BYTES, tooLargeDetail, watchResponseSize } from './response-size.js';
import { createTunnelAgent, type ProxySettings } from './proxy.js';
import { pathOnly, routeOf } from './route.js';
import type { ApiClient, ApiRequest, ApiResponse, HttpMethod } from './types.js';

export { MAX_RESPONSE_BYTES } from './response-size.js';
export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_USER_AGENT = 'supasync';

/** One attempt, for metrics: no body, no token, no query string. */
export interface ApiAttemptEvent {
  method: HttpMethod;
  /** Path without query, e.g. `/v1/projects/abc.../config/auth`. */
  path: string;
  /** The path with the ref and ids as placeholders: a bounded metric label. */
  route: string;
  /** Absent when no HTTP answer came (timeout, network). */
  status?: number;
  durationMs: number;
  /** 1 for the first attempt. */
  attempt: number;
  /** Set when the attempt failed. */
  error?: ApiErrorCode;
  /** Whether another attempt follows. */
  willRetry: boolean;
}

export interface ApiClientOptions {
  /** Default https://api.supabase.com; validated like SUPABASE_API_URL (https, or http on loopback). */
  baseUrl?: string;
  token: string;
  /** Whole-attempt timeout (default 30 s); connecting has its own, shorter one. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /**
   * Rate limit and in-flight cap, shared by every client of the process. Default: a limiter of
   * its own with the defaults (120/min, 8 in flight). `false`: none at all (tests, benchmarks).
   */
  limiter?: RateLimiter | false;
  logger?: Logger;
  /** Secrets to keep out of the API's error text (the configuration's); the token always is. */
  sensitive?: SensitiveText;
  userAgent?: string;
  onResponse?: (event: ApiAttemptEvent) => void;
  /** An https proxy to tunnel through (CONNECT): see ./proxy.ts. Ignored for a plain-http (loopback) API. */
  proxy?: ProxySettings;
  /**
   * After a 401, answer every later request with the same failure without sending it: the token is
   * not accepted, and a run over many projects would otherwise spend minutes of the rate limit on
   * requests bound to fail the same way. For one-shot commands; a long-lived client (the daemon's)
   * must keep asking, since the token may be fixed while it runs.
   */
  stopAfterUnauthorized?: boolean;
  /** Aborts waiting, retrying and in-flight requests (daemon shutdown). */
  signal?: AbortSignal;
  /** Test seams: the wait between attempts, the jitter source, the wall clock. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  now?: () => number;
}

/** The ApiClient plus lifecycle: `close` drops the keep-alive sockets. */
export interface ManagedApiClient extends ApiClient {
  readonly baseUrl: string;
  close(): void;
}

const METHODS: ReadonlySet<string> = new Set<HttpMethod>(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
const CONNECT_TIMEOUT_MS = 10_000;
const FREE_SOCKET_TIMEOUT_MS = 4_000;

type Header = Record<string, string | string[] | undefined>;

/** How one attempt ended. */
type Attempt =
  | { ok: true; response: ApiResponse<unknown> }
  | {
      ok: false;
      code: ApiErrorCode;
      status?: number;
      errorCode?: string;
      apiMessage?: string;
      detail?: string;
      headers?: Header;
    };

export function createApiClient(opts: ApiClientOptions): ManagedApiClient {
  const baseUrl = resolveBaseUrl(opts.baseUrl);
  assertUsableToken(opts.token, 'the client options');
  const token = opts.token;
  const tokenText = tokenSecrets(token);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new RangeError('timeoutMs must be a positive number');
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...opts.retry };
  if (!Number.isInteger(policy.limit) || policy.limit < 0 || policy.limit > 20) throw new RangeError('retry.limit must be an integer 0..20');
  const limiter = opts.limiter === false ? undefined : (opts.limiter ?? createRateLimiter());
  const logger = opts.logger ?? silentLogger;
  const sleep = opts.sleep ?? ((ms: number, signal?: AbortSignal) => delay(ms, undefined, { signal }));
  const random = opts.random ?? Math.random;
  const now = opts.now ?? Date.now;
  const signal = opts.signal;

  // Idle keep-alive sockets are dropped after FREE_SOCKET_TIMEOUT_MS, before a server's usual
  // keep-alive timeout (5 s for Node servers) closes them under a request being sent.
  const keepAlive = { keepAlive: true, maxSockets: 64, timeout: FREE_SOCKET_TIMEOUT_MS };
  const proxy = baseUrl.startsWith('https:') ? opts.proxy : undefined;
  const httpsAgent = (options: https.AgentOptions) => (proxy ? createTunnelAgent(proxy, options) : new https.Agent(options));
  const agent = { http: new http.Agent(keepAlive), https: httpsAgent(keepAlive) };
  // A creating POST gets a fresh connection: on a reused socket the server may have closed, a
  // reset would leave it unknown whether the POST arrived, and it must not be sent twice.
  const freshAgent = { http: new http.Agent({ keepAlive: false }), https: httpsAgent({ keepAlive: false }) };
  const send = got.extend({
    prefixUrl: baseUrl,
    headers: {
      authorization: `Bearer ${token}`,
      accept: 'application/json',
      // Uncompressed answers only: the size cap then counts the bytes held in memory, and no small
      // compressed answer can inflate past it (./response-size.ts).
      'accept-encoding': 'identity',
      'user-agent': opts.userAgent ?? DEFAULT_USER_AGENT,
    },
    agent,
    timeout: {
      connect: Math.min(CONNECT_TIMEOUT_MS, timeoutMs),
      secureConnect: Math.min(CONNECT_TIMEOUT_MS, timeoutMs),
      response: timeoutMs,
      request: timeoutMs,
    },
    retry: { limit: 0 }, // the loop below retries, with a policy that knows creating POSTs
    throwHttpErrors: false,
    followRedirect: false, // never carry the token to another location
    decompress: false,
    responseType: 'text',
    ...(signal ? { signal } : {}),
  });

  /** One attempt through the limiter; `durationMs` is the HTTP exchange alone, not the wait for a slot. */
  /** The first 401 of this client, when `stopAfterUnauthorized`: later requests end with it unsent. */
  let unauthorized: Attempt | undefined;

  async function attemptOnce(req: ApiRequest, idempotent: boolean, scrub: Scrub): Promise<{ outcome: Attempt; durationMs: number }> {
    if (unauthorized) return { outcome: unauthorized, durationMs: 0 };
    let permit: RatePermit | undefined;
    try {
      permit = await limiter?.acquire(signal);
    } catch {
      return { outcome: { ok: false, ...transportFailure({ name: 'AbortError' }, timeoutMs) }, durationMs: 0 };
    }
    if (unauthorized) {
      permit?.release();
      return { outcome: unauthorized, durationMs: 0 };
    }
    const started = performance.now();
    let outcome: Attempt;
    const pending = send(req.path.slice(1), {
      method: req.method,
      ...(req.body === undefined ? {} : { json: req.body }),
      ...(idempotent ? {} : { agent: freshAgent }),
    });
    const size = watchResponseSize(pending, MAX_RESPONSE_BYTES);
    try {
      const res: Response<string> = await pending;
      permit?.observe(res.statusCode, res.headers);
      outcome = classify(res, scrub);
      if (opts.stopAfterUnauthorized && !outcome.ok && outcome.status === 401) unauthorized ??= outcome;
    } catch (err) {
      outcome = size.exceeded
        ? { ok: false, code: 'E_API_RESPONSE', ...(size.status === undefined ? {} : { status: size.status }), detail: tooLargeDetail(MAX_RESPONSE_BYTES) }
        : { ok: false, ...transportFailure(err, timeoutMs) };
    } finally {
      permit?.release();
    }
    return { outcome, durationMs: Math.round(performance.now() - started) };
  }

  async function request<T = unknown>(req: ApiRequest): Promise<ApiResponse<T>> {
    assertRequest(req);
    const path = pathOnly(req.path);
    const route = routeOf(path);
    const idempotent = req.idempotent ?? req.method !== 'POST';
    const scrub = scrubberFor(tokenText, req.body, opts.sensitive);
    for (let attempt = 1; ; attempt++) {
      const { outcome, durationMs } = await attemptOnce(req, idempotent, scrub);
      const status = outcome.ok ? outcome.response.status : outcome.status;

      let wait: number | undefined;
      if (!outcome.ok && outcome.code !== 'E_API_RESPONSE' && !signal?.aborted) {
        wait = retryDelay({
          attempt,
          idempotent,
          status: outcome.status,
          errorCode: outcome.errorCode,
          retryAfterHeader: headerOf(outcome.headers, 'retry-after'),
          rateLimitRemainingHeader: headerOf(outcome.headers, 'x-ratelimit-remaining'),
          rateLimitResetHeader: headerOf(outcome.headers, 'x-ratelimit-reset'),
          now: now(),
          random,
          policy,
        });
      }
      logger.debug(
        { method: req.method, path, status, durationMs, attempt, ...(outcome.ok ? {} : { error: outcome.code, errorCode: outcome.errorCode }) },
        'api request',
      );
      report({ method: req.method, path, route, ...(status === undefined ? {} : { status }), durationMs, attempt, ...(outcome.ok ? {} : { error: outcome.code }), willRetry: wait !== undefined });

      if (outcome.ok) return outcome.response as ApiResponse<T>;
      if (wait === undefined) throw toApiError(req.method, path, outcome, attempt);
      logger.warn({ method: req.method, path, status, errorCode: outcome.errorCode, attempt, maxAttempts: policy.limit + 1, delayMs: wait }, 'api retry');
      try {
        await sleep(wait, signal);
      } catch {
        throw toApiError(req.method, path, { ok: false, ...transportFailure({ name: 'AbortError' }, timeoutMs) }, attempt);
      }
    }
  }

  function report(event: ApiAttemptEvent): void {
    if (!opts.onResponse) return;
    try {
      opts.onResponse(event);
    } catch {
      logger.warn({ path: event.path }, 'onResponse hook threw; ignored');
    }
  }

  return {
    baseUrl,
    request,
    async get<T = unknown>(path: string): Promise<T> {
      return (await request<T>({ method: 'GET', path })).body;
    },
    close() {
      for (const a of [agent.http, agent.https, freshAgent.http, freshAgent.https]) a.destroy();
    },
  };
}

/** 2xx with a JSON (or empty) body → ok; anything else → a failure with the API's message. */
function classify(res: Response<string>, scrub: Scrub): Attempt {
  const headers = res.headers as Header;
  const status = res.statusCode;
  const encoding = headerOf(headers, 'content-encoding')?.trim().toLowerCase();
  // got hands a compressed body over as raw bytes (decompress is off): only text is read as text.
  const body = typeof res.body === 'string' ? res.body : '';
  if (status >= 200 && status < 300) {
    if (encoding && encoding !== 'identity') {
      const name = /^[a-z0-9-]{1,20}$/.test(encoding) ? encoding : 'unknown';
      return { ok: false, code: 'E_API_RESPONSE', status, detail: `unexpected content-encoding ${name} (an uncompressed answer was asked for)`, headers };
    }
    if (body.trim() === '') return { ok: true, response: { status, body: undefined, headers } };
    try {
      return { ok: true, response: { status, body: JSON.parse(body) as unknown, headers } };
    } catch {
      return { ok: false, code: 'E_API_RESPONSE', status, detail: 'the response body is not valid JSON', headers };
    }
  }
  const apiMessage = apiMessageFrom(body, scrub);
  const detail = reasonPhrase(res.statusMessage, scrub);
  return {
    ok: false,
    code: 'E_API_STATUS',
    status,
    headers,
    ...(apiMessage === undefined ? {} : { apiMessage }),
    ...(detail === undefined ? {} : { detail }),
  };
}

function toApiError(method: string, path: string, failure: Extract<Attempt, { ok: false }>, attempts: number): ApiError {
  return new ApiError({
    code: failure.code,
    method,
    path,
    ...(failure.status === undefined ? {} : { status: failure.status }),
    ...(failure.apiMessage === undefined ? {} : { apiMessage: failure.apiMessage }),
    ...(failure.detail === undefined ? {} : { detail: failure.detail }),
    retryable: failure.code !== 'E_API_RESPONSE' && isTransientFailure(failure),
    attempts,
  });
}

function headerOf(headers: Header | undefined, name: string): string | undefined {
  const v = headers?.[name];
  return Array.isArray(v) ? v[0] : v;
}

/** A malformed request is a bug in the caller, caught before anything is sent. */
function assertRequest(req: ApiRequest): void {
  if (!METHODS.has(req.method)) throw new TypeError(`unsupported HTTP method ${String(req.method)}`);
  if (typeof req.path !== 'string' || !req.path.startsWith('/') || req.path.startsWith('//')) {
    throw new TypeError('an API path must start with a single "/"');
  }
}
