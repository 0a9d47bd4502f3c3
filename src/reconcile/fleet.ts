/**
 * The engine over many projects, for the one-shot commands: each project is planned (and, for
 * `apply --yes`, written) by the per-project reconcile in ./project.ts, a bounded number of projects
 * at a time, all sharing the client's limiter. The results are assembled into the same Plan and
 * Outcome a single pass over everything used to give.
 */
import type { DesiredProject } from '../config/types.js';
import { providerBySection } from '../providers/index.js';
import { NO_SECRETS, type SensitiveText } from '../redact.js';
import { applyProject } from './apply.js';
import { summarise } from './plan.js';
import { planProject, reconcileProject, type EngineOptions } from './project.js';
import { PLAN_FORMAT_VERSION, type Outcome, type Plan, type Planned, type ProjectOutcome, type ProjectPlan, type WriteSet } from './types.js';

export interface FleetOptions extends EngineOptions {
  /** Projects worked on at once (default 8): enough to keep the limiter busy, few enough to hold little. */
  concurrency?: number;
  /** Warnings from loading the configuration, carried into the plan. */
  warnings?: readonly string[];
}

export const DEFAULT_FLEET_CONCURRENCY = 8;

/** Code-unit order (as plan.ts): the same plan on every machine, whatever its locale. */
const byRef = (a: { ref: string }, b: { ref: string }) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0);

/** Runs `work` over every item, at most `limit` at a time; results in the items' order. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/** One Plan from per-project plans: sorted by ref, summarised, the configuration's warnings redacted (as plan.ts does). */
export function assemblePlan(projects: readonly ProjectPlan[], warnings: readonly string[] = [], sensitive: SensitiveText = NO_SECRETS): Plan {
  const sorted = [...projects].sort(byRef);
  return { format_version: PLAN_FORMAT_VERSION, projects: sorted, summary: summarise(sorted), warnings: warnings.map((w) => sensitive.redact(w)) };
}

/** `plan`, and the first step of an interactive `apply`: every project read and planned, nothing written. */
export async function planFleet(projects: readonly DesiredProject[], opts: FleetOptions): Promise<Planned> {
  const planned = await mapBounded(projects, opts.concurrency ?? DEFAULT_FLEET_CONCURRENCY, (p) => planProject(p, opts));
  const writes: WriteSet = new Map();
  for (const p of planned) if (p.writes.size) writes.set(p.plan.ref, p.writes);
  return { plan: assemblePlan(planned.map((p) => p.plan), opts.warnings, opts.sensitive), writes };
}

/** After the confirmation of an interactive `apply`: the writes of the plan that was shown. */
export async function applyPlanned(planned: Planned, desired: readonly DesiredProject[], opts: FleetOptions): Promise<Outcome> {
  const byRefMap = new Map(desired.map((d) => [d.ref, d]));
  const projects = await mapBounded(planned.plan.projects, opts.concurrency ?? DEFAULT_FLEET_CONCURRENCY, (p) =>
    applyProject(p, planned.writes.get(p.ref), opts.client, {
      providers: providerBySection,
      desired: byRefMap.get(p.ref),
      ...(opts.logger ? { logger: opts.logger } : {}),
      ...(opts.sensitive ? { sensitive: opts.sensitive } : {}),
    }),
  );
  return { projects };
}

/**
 * `apply --yes`: every project reconciled on its own — its writes go out right after its own reads,
 * not after the whole fleet has been read. Returns the assembled plan (what was found) and outcome.
 */
export async function reconcileFleet(projects: readonly DesiredProject[], opts: FleetOptions): Promise<{ planned: Planned; outcome: Outcome }> {
  const results = await mapBounded(projects, opts.concurrency ?? DEFAULT_FLEET_CONCURRENCY, (p) => reconcileProject(p, opts));
  const writes: WriteSet = new Map();
  for (const r of results) if (r.writes.size) writes.set(r.plan.ref, r.writes);
  const outcomes: ProjectOutcome[] = results.map((r) => r.outcome).sort(byRef);
  return { planned: { plan: assemblePlan(results.map((r) => r.plan), opts.warnings, opts.sensitive), writes }, outcome: { projects: outcomes } };
}
