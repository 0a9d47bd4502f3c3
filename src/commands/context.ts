/**
 * What plan, apply and the daemon share: load and check the configuration (before any request),
 * pick the projects asked for, build the client, read live state and plan.
 */
import type { ApiClient } from '../api/types.js';
import { loadDesiredState } from '../config/load.js';
import type { DesiredProject, DesiredState, LoadOptions } from '../config/types.js';
import { UsageError } from '../errors.js';
import { redactLogLines, type Logger } from '../log.js';
import { providerBySection, providers, riskRules } from '../providers/index.js';
import { plan } from '../reconcile/plan.js';
import { readLive } from '../reconcile/read.js';
import type { SensitiveText } from '../redact.js';
import type { Planned } from '../reconcile/types.js';

export interface ConfigOptions {
  config: string[];
  secretsDir?: string[];
  project?: string[];
}

export interface ClientOptions {
  tokenFile?: string;
  /** `--rate-limit`: requests per minute for the whole process; 0 = no client-side window (default 120). */
  rateLimit?: number;
  /** `--max-in-flight`: requests in flight at once (default 8). */
  maxInFlight?: number;
}

/** Loads the configuration and keeps the projects `--project` names (all when none). */
export async function loadProjects(opts: ConfigOptions, load: Pick<LoadOptions, 'referenceForms' | 'documentCache'> = {}): Promise<DesiredState> {
  const desired = await loadDesiredState(opts.config, { secretsDirs: opts.secretsDir ?? [], ...load });
  redactLogLines(desired.sensitive);
  if (!opts.project?.length) return desired;
  const known = new Set(desired.projects.map((p) => p.ref));
  const unknown = opts.project.filter((ref) => !known.has(ref));
  if (unknown.length) {
    throw new UsageError(
      `--project ${unknown.join(', ')}: not in the configuration (it has: ${[...known].join(', ') || 'no projects'})`,
    );
  }
  const wanted = new Set(opts.project);
  return { ...desired, projects: desired.projects.filter((p) => wanted.has(p.ref)) };
}

/**
 * One client and ONE rate limiter for the whole command: every project's requests share the
 * budget, which also follows the API's x-ratelimit-* headers, so a run over many projects meets no
 * 429.
 */
export async function createClient(opts: ClientOptions, logger: Logger, sensitive?: SensitiveText): Promise<ApiClient> {
  const { createClientFromEnv, createRateLimiter } = await import('../api/index.js');
  const limiter = createRateLimiter({
    ...(opts.rateLimit === undefined ? {} : { limit: opts.rateLimit }),
    ...(opts.maxInFlight === undefined ? {} : { maxInFlight: opts.maxInFlight }),
  });
  return createClientFromEnv({ env: process.env, tokenFile: opts.tokenFile, logger, limiter, ...(sensitive ? { sensitive } : {}) });
}

export async function planProjects(
  projects: readonly DesiredProject[],
  client: ApiClient,
  extra: { allowRisky?: boolean; warnings?: readonly string[]; sensitive?: SensitiveText } = {},
): Promise<Planned> {
  const live = await readLive(projects, providerBySection, client);
  return plan(projects, live, {
    providers,
    riskRules,
    allowRisky: extra.allowRisky ?? false,
    warnings: extra.warnings ?? [],
    ...(extra.sensitive ? { sensitive: extra.sensitive } : {}),
  });
}

/** Colour only on a terminal, and never with --no-color or NO_COLOR. */
export function useColor(flag: boolean | undefined, stream: NodeJS.WriteStream): boolean {
  return flag !== false && Boolean(stream.isTTY) && !process.env.NO_COLOR;
}
