/**
 * plan: desired + live → Plan. Pure: no I/O, no clock, no randomness; the same inputs give the same
 * plan. Request bodies (which may hold secrets) go to the WriteSet, never into the Plan; nor do the
 * values of sensitive changes, nor any known secret in a label, note or message.
 */
import type { ApiRequest } from '../api/types.js';
import type { DesiredProject } from '../config/types.js';
import type { AnyProvider } from '../providers/types.js';
import { NO_SECRETS, type SensitiveText } from '../redact.js';
import { classify, type RiskRuleLike } from './guardrails.js';
import { changeOrigin, publicOrigin } from './origin.js';
import type { LiveState } from './read.js';
import { toProblem } from './problem.js';
import { ItemLabels, markSensitive, publicChange, publicProblem } from './sensitive-changes.js';
import { summarise } from './summary.js';
import {
  PLAN_FORMAT_VERSION,
  type Change,
  type Plan,
  type Planned,
  type ProjectPlan,
  type SectionPlan,
  type WriteSet,
} from './types.js';

export interface PlanOptions {
  /** Providers in the order sections are planned and shown. */
  providers: readonly AnyProvider[];
  riskRules: readonly RiskRuleLike[];
  /** `--allow-risky`: every risky change is allowed. */
  allowRisky?: boolean;
  /** Warnings from loading the configuration, carried into the plan. */
  warnings?: readonly string[];
  /**
   * The configuration's secret values (src/redact.ts): a change that shows one is sensitive, and no
   * text of the plan holds one. Passed in, so that the plan stays a pure function of its inputs.
   */
  sensitive?: SensitiveText;
}

/**
 * Code-unit order, not localeCompare: the same plan on every machine whatever its locale, and no
 * ICU collator to load (a few MB of memory for every command).
 */
const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const byPath = (a: Change, b: Change) =>
  compareText(a.item ?? '', b.item ?? '') || compareText(a.path, b.path) || compareText(a.action, b.action);

function planSection(
  provider: AnyProvider,
  project: DesiredProject,
  live: LiveState,
  opts: PlanOptions,
  allowed: ReadonlySet<string>,
): { section: SectionPlan; requests: ApiRequest[] } {
  const desired = project.sections.get(provider.section)!;
  const sensitive = opts.sensitive ?? NO_SECRETS;
  const section: SectionPlan = { section: provider.section, mode: desired.mode, changes: [], notes: [], warnings: [] };
  const read = live.get(project.ref)?.get(provider.section);
  if (!read) {
    section.error = { kind: 'api', code: 'E_NOT_READ', message: `live state of ${provider.section} was not read` };
    return { section, requests: [] };
  }
  if (!read.ok) {
    section.error = publicProblem(read.error, sensitive);
    return { section, requests: [] };
  }
  try {
    const diff = provider.diff({ ref: project.ref, desired, live: read.value });
    const labels = new ItemLabels(sensitive);
    section.changes = diff.changes
      .map((change) => {
        // Guardrails judge the real values (of sensitive changes too); the plan then keeps none.
        const marked = markSensitive(change, sensitive);
        const risk = classify(provider.section, marked, opts.riskRules, allowed, opts.allowRisky ?? false);
        const origin = changeOrigin(project, desired, provider, change);
        const located = origin ? { origin: publicOrigin(origin, sensitive) } : {};
        return publicChange({ ...marked, ...(risk ? { risk } : {}), ...located }, sensitive, labels);
      })
      .sort(byPath);
    section.notes = (diff.notes ?? []).map((n) => sensitive.redact(n));
    section.warnings = (diff.warnings ?? []).map((w) => sensitive.redact(w));
    return { section, requests: diff.requests };
  } catch (err) {
    section.error = publicProblem(toProblem(err), sensitive);
    return { section, requests: [] };
  }
}

function planProject(project: DesiredProject, live: LiveState, opts: PlanOptions, writes: WriteSet): ProjectPlan {
  const allowed = new Set(project.allowRisky.map((e) => e.key));
  const plan: ProjectPlan = { ref: project.ref, sections: [] };
  const projectWrites = new Map<string, ApiRequest[]>();
  for (const provider of opts.providers) {
    if (!project.sections.has(provider.section)) continue;
    const { section, requests } = planSection(provider, project, live, opts, allowed);
    plan.sections.push(section);
    if (section.mode === 'enforce' && requests.length) projectWrites.set(provider.section, requests);
    // A project whose read (or diff) failed anywhere gets no writes at all: half a reconcile
    // on stale knowledge is worse than none.
    plan.error ??= section.error;
  }
  if (!plan.error && projectWrites.size) writes.set(project.ref, projectWrites);
  return plan;
}

/** The counts live in ./summary.ts; re-exported because callers have long imported them from here. */
export { summarise } from './summary.js';

export function plan(projects: readonly DesiredProject[], live: LiveState, opts: PlanOptions): Planned {
  const writes: WriteSet = new Map();
  const planned = [...projects]
    .sort((a, b) => compareText(a.ref, b.ref))
    .map((project) => planProject(project, live, opts, writes));
  const result: Plan = {
    format_version: PLAN_FORMAT_VERSION,
    projects: planned,
    summary: summarise(planned),
    warnings: (opts.warnings ?? []).map((w) => (opts.sensitive ?? NO_SECRETS).redact(w)),
  };
  return { plan: result, writes };
}

/** Whether the plan holds any change at all (enforced or observed): `--detailed-exitcode` exits 2. */
export function hasChanges(p: Plan): boolean {
  return p.projects.some((project) => project.sections.some((s) => s.changes.length > 0));
}
