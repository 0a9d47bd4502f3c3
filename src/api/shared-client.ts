/**
 * The client of a one-shot command: ONE rate limiter for the whole process, so every project's
 * requests share the budget (which also follows the API's x-ratelimit-* headers) and a run over many
 * projects meets no 429.
 */
import type { Logger } from '../log.js';
import type { SensitiveText } from '../redact.js';
import { createClientFromEnv } from './from-env.js';
import { createRateLimiter } from './rate-limiter.js';
import type { ApiClient } from './types.js';

export interface ClientOptions {
  tokenFile?: string;
  /** `--rate-limit`: requests per minute for the whole process; 0 = no client-side window (default 120). */
  rateLimit?: number;
  /** `--max-in-flight`: requests in flight at once (default 8). */
  maxInFlight?: number;
}

/** `sensitive`: the configuration's secret values, kept out of the API's error text. */
export function createSharedClient(
  opts: ClientOptions,
  logger: Logger,
  sensitive?: SensitiveText,
  env: Record<string, string | undefined> = process.env,
): ApiClient {
  const limiter = createRateLimiter({
    ...(opts.rateLimit === undefined ? {} : { limit: opts.rateLimit }),
    ...(opts.maxInFlight === undefined ? {} : { maxInFlight: opts.maxInFlight }),
  });
  // A one-shot run stops sending after a 401: every request with that token would be refused the same way.
  return createClientFromEnv({ env, tokenFile: opts.tokenFile, logger, limiter, stopAfterUnauthorized: true, ...(sensitive ? { sensitive } : {}) });
}
