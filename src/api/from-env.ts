/**
 * The one-call factory for the CLI and the daemon: settings from the environment (or
 * `--token-file`), validated before any request, then a client with the given logger, shared
 * limiter and metrics hook.
 */
import type { Logger } from '../log.js';
import { createApiClient, type ApiClientOptions, type ManagedApiClient } from './client.js';
import { resolveClientSettings } from './config.js';

export interface ClientFromEnvOptions extends Omit<ApiClientOptions, 'baseUrl' | 'token' | 'logger'> {
  env: Record<string, string | undefined>;
  tokenFile?: string | undefined;
  logger?: Logger;
}

/** Throws UsageError (exit 3) for a missing token or a refused URL, before anything is sent. */
export function createClientFromEnv(opts: ClientFromEnvOptions): ManagedApiClient {
  const { env, tokenFile, ...clientOpts } = opts;
  const { baseUrl, token } = resolveClientSettings({ env, tokenFile });
  return createApiClient({ ...clientOpts, baseUrl, token });
}
