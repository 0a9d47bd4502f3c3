/**
 * The per-project reconcile — controller-runtime's `Reconcile(request)` for one Supabase project:
 * read every managed section → plan (pure) → apply → verify, with the writes planned from that
 * project's own reads of a moment ago. `apply --yes`, the daemon and the tests run it; `plan` and an
 * interactive `apply` run its first half (`planProject`) and show the plan before anything is written.
 * It holds nothing between calls: every reconcile starts from fresh reads.
 */
import type { ApiClient, ApiRequest } from '../api/types.js';
import type { DesiredProject } from '../config/types.js';
import { silentLogger, type Logger } from '../log.js';
import { providerBySection, providers, riskRules } from '../providers/index.js';
import type { SensitiveText } from '../redact.js';
import { applyProject } from './apply.js';
import { plan } from './plan.js';
import { readProject } from './read.js';
import type { ProjectOutcome, ProjectPlan } from './types.js';

export interface EngineOptions {
  client: ApiClient;
  /** `--allow-risky`: every risky change is allowed. */
  allowRisky?: boolean;
  logger?: Logger;
  /** The configuration's secret values (src/redact.ts): kept out of the plan, the outcome and so the logs. */
  sensitive?: SensitiveText;
}

export interface PlannedProject {
  plan: ProjectPlan;
  /** Requests by section; empty when nothing is to be written (or the project cannot be written). */
  writes: Map<string, ApiRequest[]>;
}

export interface ReconcileOptions extends EngineOptions {
  /**
   * Sections whose planned writes are withheld (the daemon's held sections): planned and reported,
   * never written.
   */
  withhold?: (section: string) => boolean;
  /** The caller logs each failed section itself (the daemon, level-triggered): the engine's `apply failed` goes at debug. */
  callerLogsFailures?: boolean;
}

export interface ProjectReconcile extends PlannedProject {
  outcome: ProjectOutcome;
  /** Sections that had writes planned and were withheld. */
  withheld: string[];
}

/** Reads one project's sections and plans it. Writes nothing. */
export async function planProject(project: DesiredProject, opts: EngineOptions): Promise<PlannedProject> {
  const live = await readProject(project, providerBySection, opts.client);
  const planned = plan([project], new Map([[project.ref, live]]), {
    providers,
    riskRules,
    allowRisky: opts.allowRisky ?? false,
    ...(opts.sensitive ? { sensitive: opts.sensitive } : {}),
  });
  return { plan: planned.plan.projects[0]!, writes: planned.writes.get(project.ref) ?? new Map() };
}

/** read → plan → apply → verify for one project. */
export async function reconcileProject(project: DesiredProject, opts: ReconcileOptions): Promise<ProjectReconcile> {
  const planned = await planProject(project, opts);
  const writes = new Map(planned.writes);
  const withheld: string[] = [];
  if (opts.withhold) {
    for (const section of [...writes.keys()]) {
      if (!opts.withhold(section)) continue;
      writes.delete(section);
      withheld.push(section);
    }
  }
  const outcome = await applyProject(planned.plan, writes, opts.client, {
    providers: providerBySection,
    desired: project,
    logger: opts.logger ?? silentLogger,
    ...(opts.sensitive ? { sensitive: opts.sensitive } : {}),
    ...(opts.callerLogsFailures ? { callerLogsFailures: true } : {}),
  });
  return { ...planned, outcome, withheld };
}
