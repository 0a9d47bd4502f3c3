/**
 * The one-call factory for the CLI and the daemon: settings from the environment (or
 * `--token-file`), validated before any request, then a client with the given logger, shared
 * limiter and metrics hook.
 */
import { UsageError } from '../errors.js';
import type { Logger } from '../log.js';
import { createApiClient, type ApiClientOptions, type ManagedApiClient } from './client.js';
import { resolveClientSettings } from './config.js';
import { resolveProxy } from './proxy.js';

/** Overrides the whole-attempt timeout (default 30 s), in milliseconds. */
export const TIMEOUT_ENV = 'SUPASYNC_API_TIMEOUT_MS';
const MAX_TIMEOUT_MS = 600_000;

export interface ClientFromEnvOptions extends Omit<ApiClientOptions, 'baseUrl' | 'token' | 'logger'> {
  env: Record<string, string | undefined>;
  tokenFile?: string | undefined;
  logger?: Logger;
}

/** `SUPASYNC_API_TIMEOUT_MS`: unset or empty → the client's default; anything but 1..600000 → UsageError. */
export function timeoutFromEnv(env: Record<string, string | undefined>): number | undefined {
  const raw = env[TIMEOUT_ENV]?.trim();
  if (!raw) return undefined;
  const ms = /^\d{1,7}$/.test(raw) ? Number(raw) : NaN;
  if (!(ms >= 1 && ms <= MAX_TIMEOUT_MS)) {
    throw new UsageError(`${TIMEOUT_ENV} must be a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MS} (got "${raw.slice(0, 20)}")`);
  }
  return ms;
}

/**
 * Throws UsageError (exit 3) for a missing token, a refused URL, a bad timeout or an unusable proxy
 * URL, before anything is sent. The proxy comes from the process environment (./proxy.ts).
 */
export function createClientFromEnv(opts: ClientFromEnvOptions): ManagedApiClient {
  const { env, tokenFile, ...clientOpts } = opts;
  const { baseUrl, token } = resolveClientSettings({ env, tokenFile });
  const timeoutMs = clientOpts.timeoutMs ?? timeoutFromEnv(env);
  const proxy = resolveProxy(baseUrl);
  if (proxy) clientOpts.logger?.debug({ proxy: proxy.display }, 'api requests go through a proxy (CONNECT)');
  return createApiClient({ ...clientOpts, baseUrl, token, ...(timeoutMs === undefined ? {} : { timeoutMs }), ...(proxy ? { proxy } : {}) });
}
