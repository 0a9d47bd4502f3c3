/** `supasync plan`: read, diff, render. Writes nothing (except the --out file). */
import { createSharedClient } from '../api/shared-client.js';
import type { GitRevision } from '../config/git-revision.js';
import type { DocumentCache } from '../config/types.js';
import { ConfigError, TokenRejected, UsageError, type ExitCode } from '../errors.js';
import { createLogger } from '../log.js';
import { planFleet } from '../reconcile/fleet.js';
import { planExitCode } from '../reconcile/outcome.js';
import { plan as planPure } from '../reconcile/plan.js';
import type { PartialPlan, Planned } from '../reconcile/types.js';
import type { ReportContext } from '../reconcile/render/config-errors.js';
import { renderPlan, type PlanFormat } from '../reconcile/render/index.js';
import { loadProjects } from '../reconcile/selection.js';
import { useColor, type ClientOptions, type ConfigOptions } from './context.js';
import { checkOutTarget, writeOutFile } from './out-file.js';
import { commitOf, plannedAt } from './plan-context.js';
import { tokenRejectionIn } from './token-rejected.js';

export interface PlanCommandOptions extends ConfigOptions, ClientOptions {
  format: PlanFormat;
  /** Plan only the projects whose effective configuration changed since this git revision. */
  changedSince?: string;
  detailedExitcode?: boolean;
  out?: string;
  color?: boolean;
  logLevel?: string;
  /** The commit of the configuration, shown in the plan (default: $GITHUB_SHA, $CI_COMMIT_SHA). */
  commit?: string;
}

/** Opens the revision in the background; a failure is reported when it is awaited, not as an unhandled rejection. */
function openRevision(config: readonly string[], revision: string): Promise<GitRevision> {
  const pending = import('../config/git-revision.js').then(({ openGitRevision }) => openGitRevision(config, revision));
  pending.catch(() => undefined);
  return pending;
}

const planNothing = (warnings: readonly string[]): Planned => planPure([], new Map(), { providers: [], riskRules: [], warnings });

export async function planCommand(opts: PlanCommandOptions): Promise<ExitCode> {
  const logger = createLogger({ level: (opts.logLevel ?? 'warn') as 'warn', destination: 'stderr' });
  // An --out path that cannot be written safely is refused before anything else happens.
  if (opts.out !== undefined) await checkOutTarget(opts.out);
  const commit = commitOf(opts.commit, process.env);
  let prepared;
  try {
    // --changed-since: git lists and reads the base revision while the configuration loads; the
    // files that are the same there are not parsed twice.
    const revision = opts.changedSince === undefined ? undefined : openRevision(opts.config, opts.changedSince);
    const documentCache: DocumentCache | undefined = revision ? new Map() : undefined;
    const desired = await loadProjects(opts, { referenceForms: revision !== undefined, documentCache });
    let projects = desired.projects;
    let warnings = desired.warnings;
    let partial: PartialPlan | undefined;
    if (revision) {
      const { selectChanged } = await import('./changed-since.js');
      const selection = await selectChanged(opts.config, await revision, desired, desired.projects, documentCache);
      ({ projects, partial } = selection);
      warnings = [...warnings, ...selection.warnings];
    }
    // Nothing changed: nothing to read, so no client (and no token) is needed.
    const client = projects.length ? createSharedClient(opts, logger, desired.sensitive) : undefined;
    prepared = { projects, warnings, partial, client, sensitive: desired.sensitive };
  } catch (err) {
    // No plan: the --out file says why, so that it never holds a stale plan (the error still
    // reaches stderr and the exit code through the one exit boundary in program.ts).
    if (opts.out !== undefined) {
      await writeErrorsReport(opts.out, opts.format, err, { planned_at: plannedAt(process.env), ...(commit ? { commit } : {}) }).catch((writeErr: unknown) => {
        process.stderr.write(`Error: ${writeErr instanceof Error ? writeErr.message : String(writeErr)}\n`);
      });
    }
    throw err;
  }
  const { projects, warnings, partial, client, sensitive } = prepared;
  const { plan } = client ? await planFleet(projects, { client, warnings, sensitive, ...fleetConcurrency(opts) }) : planNothing(warnings);
  const rejected = tokenRejectionIn(plan, opts.tokenFile);
  if (rejected) {
    if (opts.out !== undefined) await writeErrorsReport(opts.out, opts.format, rejected, { planned_at: plannedAt(process.env), ...(commit ? { commit } : {}) });
    throw rejected;
  }
  if (partial) plan.partial = partial;
  plan.planned_at = plannedAt(process.env);
  if (commit) plan.commit = commit;
  process.stdout.write(await renderPlan(plan, opts.format, { color: useColor(opts.color, process.stdout) }));
  if (opts.out !== undefined) await writeOutFile(opts.out, await renderPlan(plan, opts.format, { color: false }));
  return planExitCode(plan, opts.detailedExitcode ?? false);
}

async function writeErrorsReport(out: string, format: PlanFormat, err: unknown, context: ReportContext): Promise<void> {
  if (!(err instanceof ConfigError) && !(err instanceof UsageError) && !(err instanceof TokenRejected)) return;
  const { renderConfigErrors } = await import('../reconcile/render/config-errors.js');
  const report =
    err instanceof ConfigError
      ? { kind: 'configuration' as const, issues: err.issues }
      : { kind: 'usage' as const, issues: [{ path: '', message: err.message }] };
  await writeOutFile(out, renderConfigErrors(report, format, context));
}

/** Projects worked on at once: as many as requests may be in flight, so that the limiter never idles. */
export function fleetConcurrency(opts: ClientOptions): { concurrency?: number } {
  return opts.maxInFlight === undefined ? {} : { concurrency: Math.max(2, opts.maxInFlight) };
}
