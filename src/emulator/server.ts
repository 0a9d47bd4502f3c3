/**
 * The emulator's HTTP server: one pipeline for every `/v1` request, in the order the real API's layers
 * answer (assumption, from how a NestJS API behind Express behaves):
 *   fault rules → route (404 "Cannot METHOD path") → JSON body (400) → token (401) → rate limit
 *   (429) → token's project scope (403) → project (404) → request schema and query (400) → plan
 *   entitlement (403/404) → the resource's rules.
 * `/_emulator/*` is the test control surface (see control.ts); it needs no token.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { silentLogger, type Logger } from '../log.js';
import { handleControl } from './control.js';
import { Faults, type FaultRule } from './faults.js';
import { HttpError } from './http-error.js';
import { StatePersister } from './persistence.js';
import { RateLimiter, type RateDecision } from './rate-limit.js';
import { REDACTED, redactDeep, type Redactor } from './redact.js';
import { RequestLog, loggableHeaders, requestWireBytes, type RequestLogEntry } from './request-log.js';
import { ACCOUNT_ROUTES, PROJECT_ROUTES } from './resources/index.js';
import { send, type Answer } from './respond.js';
import { Router } from './router.js';
import type { SeedDocument } from './seed.js';
import { Store, type StateFile } from './store.js';
import { bearerToken, digestToken } from './tokens.js';
import type { AccountRouteDef, EmulatorSettings, HandlerContext, HandlerResult, RouteDef } from './types.js';
import { compileQueryParams, validateQuery } from './query.js';
import { compileBodyValidator, hasBody, validateBody } from './validate.js';

export const MAX_BODY_BYTES = 5 * 1024 * 1024;

/** The real API's messages for its generic answers. */
export const MESSAGES = {
  unauthorized: 'Unauthorized',
  forbidden: 'Forbidden resource',
  projectNotFound: 'Project not found',
  tooManyRequests: 'ThrottlerException: Too Many Requests',
  internal: 'Internal server error',
} as const;

export interface EmulatorServerOptions {
  store: Store;
  settings: EmulatorSettings;
  rateLimitPerMinute?: number;
  statePath?: string;
  logger?: Logger;
  /** Builds the state of `POST /_emulator/reset` (seed parsing and validation live with the caller). */
  storeFromSeed: (seed: SeedDocument) => Store;
}

/** Everything one emulator instance holds; the control surface works on it too. */
export class EmulatorCore {
  store: Store;
  readonly faults = new Faults();
  readonly log = new RequestLog();
  readonly limiter: RateLimiter;
  readonly settings: EmulatorSettings;
  readonly logger: Logger;
  private readonly persister: StatePersister | undefined;
  private readonly projectRouter = new Router<RouteDef>(PROJECT_ROUTES);
  private readonly accountRouter = new Router<AccountRouteDef>(ACCOUNT_ROUTES);

  constructor(readonly options: EmulatorServerOptions) {
    this.store = options.store;
    this.settings = options.settings;
    this.limiter = new RateLimiter(options.rateLimitPerMinute);
    this.logger = options.logger ?? silentLogger;
    this.persister = options.statePath ? new StatePersister(options.statePath, () => this.store.toStateFile()) : undefined;
    // Compile every request validator now, so that no request pays for it.
    for (const r of PROJECT_ROUTES) compileBodyValidator(r.method, r.path);
    for (const r of [...PROJECT_ROUTES, ...ACCOUNT_ROUTES]) compileQueryParams(r.method, r.path);
  }

  /** Replaces all state (reset): projects, tokens, request log, faults, rate-limit windows. */
  async replaceState(store: Store): Promise<void> {
    this.store = store;
    this.log.clear();
    this.faults.clear();
    this.limiter.clear();
    await this.persist();
  }

  async persist(): Promise<void> {
    if (this.persister) await this.persister.save();
  }

  snapshot(): StateFile {
    return this.store.toStateFile();
  }

  /** Answers one `/v1` request. */
  async handleApi(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const body = parseBody(await readBody(req));
    const bytes = requestWireBytes(req);
    const entry: RequestLogEntry = {
      method,
      path,
      status: 0,
      body: this.loggableBody(method, path, body),
      headers: loggableHeaders(req.headers),
      bytes,
      at: new Date().toISOString(),
    };
    if ([...query.keys()].length > 0) entry.query = Object.fromEntries(query);
    const token = bearerToken(req.headers.authorization);
    const digest = token === undefined ? undefined : digestToken(token);
    // Requests without a well-formed token are refused before counting; their headers show the
    // window of their client address.
    const rateKey = digest ?? `ip:${req.socket.remoteAddress ?? ''}`;

    const fault = this.faults.take(method, path);
    if (fault) {
      if (fault.delay_ms) await sleep(fault.delay_ms);
      if (fault.reset) {
        this.log.add({ ...entry, fault: true });
        req.socket.destroy();
        return;
      }
      if (fault.status !== undefined) {
        this.log.add({ ...entry, status: fault.status, fault: true });
        sendFault(res, fault, this.limiter.peek(rateKey, Date.now()));
        return;
      }
    }

    let answer: Answer;
    let rate: RateDecision | undefined;
    try {
      const outcome = await this.answer(method, path, query, body, digest);
      answer = outcome.answer;
      rate = outcome.rate;
    } catch (err) {
      if (err instanceof HttpError) {
        answer = { status: err.status, body: { message: err.message }, headers: err.headers };
      } else {
        this.logger.error({ err, method, path }, 'emulator: unexpected error');
        answer = { status: 500, body: { message: MESSAGES.internal } };
      }
    }
    rate ??= this.limiter.peek(rateKey, Date.now());
    entry.status = answer.status;
    this.log.add(entry);
    this.logger.debug({ method, path, status: answer.status }, 'emulator request');
    send(res, answer, rate);
  }

  /**
   * What the log keeps of a body: the parsed body with its secret fields replaced (see redact.ts), or
   * the text when it is not JSON and the route has no secret fields.
   */
  private loggableBody(method: string, path: string, body: ParsedBody): unknown {
    if (body.kind === 'empty') return null;
    const route = this.projectRouter.match(method, path)?.route ?? this.accountRouter.match(method, path)?.route;
    const redact = route ? (route as { redact?: Redactor }).redact : undefined;
    if (body.kind === 'invalid') return route && !redact ? body.text : REDACTED;
    if (!route) return redactDeep(body.value);
    return redact ? redact(body.value) : body.value;
  }

  private async answer(
    method: string,
    path: string,
    rawQuery: URLSearchParams,
    parsed: ParsedBody,
    digest: string | undefined,
  ): Promise<{ answer: Answer; rate?: RateDecision }> {
    const projectMatch = this.projectRouter.match(method, path);
    const accountMatch = projectMatch ? undefined : this.accountRouter.match(method, path);
    if (!projectMatch && !accountMatch) throw new HttpError(404, `Cannot ${method} ${path}`);

    if (parsed.kind === 'invalid') throw new HttpError(400, `Invalid JSON body: ${parsed.error}`);
    const body = parsed.kind === 'json' ? parsed.value : undefined;

    if (digest === undefined || !this.store.tokens.accepts(digest)) throw new HttpError(401, MESSAGES.unauthorized);

    const now = Date.now();
    const rate = this.limiter.take(digest, now);
    if (!rate.allowed) {
      return {
        answer: {
          status: 429,
          body: { message: MESSAGES.tooManyRequests },
          headers: { 'retry-after': String(rate.resetSeconds) },
        },
        rate,
      };
    }

    try {
      if (accountMatch) {
        const { route, params } = accountMatch;
        const query = validateQuery(method, route.path, rawQuery);
        const store = this.store;
        const result = route.handle({
          projects: store.visibleProjects(digest),
          organizations: store.organizations().filter((o) => store.mayAccessOrganization(digest, o.slug)),
          projectsOf: (slug) => store.projectsOf(slug),
          mayAccessOrganization: (slug) => store.mayAccessOrganization(digest, slug),
          params,
          query,
        });
        return { answer: { status: result.status, body: result.body }, rate };
      }
      const { route, params } = projectMatch!;
      const ref = params.ref ?? '';
      // A token limited to some projects learns nothing about the others, existing or not.
      if (!this.store.tokens.allows(digest, ref)) throw new HttpError(403, MESSAGES.forbidden);
      const project = this.store.project(ref);
      if (!project) throw new HttpError(404, MESSAGES.projectNotFound);
      if (hasBody(method, route.path)) validateBody(method, route.path, body);
      const query = validateQuery(method, route.path, rawQuery);
      route.entitlement?.(project);

      const date = new Date(now);
      const store = this.store;
      const ctx: HandlerContext = {
        project,
        now: date,
        settings: this.settings,
        params,
        query,
        body,
        section: (def) => store.section(project, def, date),
        setSection: (def, value) => store.setSection(project, def, value),
        projects: () => store.projects.values(),
        peek: (other, def) => other.sections[def.name] as never,
      };
      const result: HandlerResult = route.handle(ctx);
      if (result.mutated) await this.persist();
      return { answer: { status: result.status, body: result.body }, rate };
    } catch (err) {
      // Keep the rate headers of the counted request on refusals too.
      if (err instanceof HttpError) {
        return { answer: { status: err.status, body: { message: err.message }, headers: err.headers }, rate };
      }
      throw err;
    }
  }
}

type ParsedBody = { kind: 'empty' } | { kind: 'json'; value: unknown } | { kind: 'invalid'; text: string; error: string };

function parseBody(text: string): ParsedBody {
  if (text.trim() === '') return { kind: 'empty' };
  try {
    return { kind: 'json', value: JSON.parse(text) as unknown };
  } catch (err) {
    return { kind: 'invalid', text, error: (err as Error).message };
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        // Keep draining so that the 413 can still be written; drop what arrives.
        reject(new HttpError(413, 'request entity too large'));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendFault(res: ServerResponse, fault: FaultRule, rate: RateDecision): void {
  const status = fault.status ?? 500;
  const headers: Record<string, string> = {};
  if (fault.retry_after !== undefined) headers['retry-after'] = String(fault.retry_after);
  const body = fault.body === undefined ? { message: `emulated fault (${status})` } : fault.body;
  send(res, { status, body, headers }, rate);
}

export interface ListeningServer {
  server: Server;
  host: string;
  port: number;
}

/** Creates the HTTP server around a core and starts listening. */
export async function listen(core: EmulatorCore, host: string, port: number): Promise<ListeningServer> {
  const server = createServer((req, res) => {
    void route(core, req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return { server, host, port: address.port };
}

async function route(core: EmulatorCore, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const path = url.pathname;
    if (path === '/_emulator' || path.startsWith('/_emulator/')) {
      await handleControl(core, req, res, path, () => readBody(req));
      requestWireBytes(req); // not logged; counted so that the next /v1 request on this connection is exact
    } else if (path.startsWith('/v1/') || path === '/v1') {
      await core.handleApi(req, res, path, url.searchParams);
    } else {
      requestWireBytes(req);
      send(res, { status: 404, body: { message: `Cannot ${req.method ?? 'GET'} ${path}` } });
    }
  } catch (err) {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (err instanceof HttpError) {
      send(res, { status: err.status, body: { message: err.message } });
      return;
    }
    core.logger.error({ err }, 'emulator: unexpected error');
    send(res, { status: 500, body: { message: MESSAGES.internal } });
  }
}
