/**
 * One reconcile cycle over the shared core: read → plan → apply (enforce) or report (observe) →
 * what the logs, metrics and readiness need. Nothing here survives the cycle except what
 * `HeldSections` remembers on purpose.
 */
import type { ApiClient } from '../api/types.js';
import { planProjects } from '../commands/context.js';
import type { DesiredProject, DesiredSection } from '../config/types.js';
import type { Logger } from '../log.js';
import { providerBySection } from '../providers/index.js';
import { apply } from '../reconcile/apply.js';
import { isRefused } from '../reconcile/guardrails.js';
import type { Change, Outcome, Plan, SectionOutcome } from '../reconcile/types.js';
import type { SensitiveText } from '../redact.js';
import { classifyOutcome, type CycleVerdict } from './cycle-result.js';
import { HeldSections, notTakenPaths, sectionFingerprint, sectionKey } from './held-sections.js';
import type { SectionObservation } from './metrics.js';

export type DaemonMode = 'enforce' | 'observe';

export interface CycleInput {
  projects: readonly DesiredProject[];
  warnings: readonly string[];
  client: ApiClient;
  mode: DaemonMode;
  allowRisky: boolean;
  held: HeldSections;
  logger: Logger;
  /** The configuration's secret values, kept out of the plan, the outcome and so the logs. */
  sensitive?: SensitiveText;
}

export interface CycleCounts {
  projects: number;
  changed: number;
  unchanged: number;
  drift: number;
  refused: number;
  failed: number;
  /** Changes written (enforce) or seen (observe). */
  changes: number;
  requests: number;
  held: number;
}

export interface CycleReport {
  verdict: CycleVerdict;
  plan: Plan;
  outcome: Outcome;
  sections: SectionObservation[];
  counts: CycleCounts;
}

/** `--mode observe`: every section is observed whatever its file says. Keeps each section's `locate`. */
function observeAll(projects: readonly DesiredProject[]): DesiredProject[] {
  return projects.map((p) => ({
    ...p,
    sections: new Map(
      [...p.sections].map(([name, s]): [string, DesiredSection] => [
        name,
        Object.assign(Object.create(Object.getPrototypeOf(s) as object) as DesiredSection, s, { mode: 'observe' as const }),
      ]),
    ),
  }));
}

export async function runCycle(input: CycleInput): Promise<CycleReport> {
  const { held, logger } = input;
  const projects = input.mode === 'observe' ? observeAll(input.projects) : [...input.projects];
  const fingerprints = new Map<string, string>();
  for (const p of projects) for (const [name, s] of p.sections) fingerprints.set(sectionKey(p.ref, name), sectionFingerprint(s));
  held.retain(new Set(fingerprints.keys()));

  const planned = await planProjects(projects, input.client, {
    allowRisky: input.allowRisky,
    warnings: input.warnings,
    ...(input.sensitive ? { sensitive: input.sensitive } : {}),
  });

  // Sections held by the not-taken rule: planned and reported, not written.
  const holding = new Set<string>();
  for (const [ref, sections] of planned.writes) {
    for (const section of [...sections.keys()]) {
      const key = sectionKey(ref, section);
      const check = held.check(ref, section, fingerprints.get(key) ?? '');
      if (check === 'released') logger.info({ project: ref, section }, 'section released: its configuration changed, writing again');
      if (check !== 'held') continue;
      holding.add(key);
      sections.delete(section);
    }
    if (!sections.size) planned.writes.delete(ref);
  }

  const outcome = await apply(planned, input.client, {
    providers: providerBySection,
    desired: projects,
    logger,
    ...(input.sensitive ? { sensitive: input.sensitive } : {}),
  });

  const sections: SectionObservation[] = [];
  const counts: CycleCounts = { projects: outcome.projects.length, changed: 0, unchanged: 0, drift: 0, refused: 0, failed: 0, changes: 0, requests: 0, held: 0 };
  for (const project of outcome.projects) {
    const projectPlan = planned.plan.projects.find((p) => p.ref === project.ref);
    counts[project.status === 'error' ? 'failed' : project.status]++;
    if (project.error && !project.sections.some((s) => s.error)) logger.error({ project: project.ref, code: project.error.code, status: project.error.status }, project.error.message);
    for (const outcomeOfSection of project.sections) {
      const sectionPlan = projectPlan?.sections.find((s) => s.section === outcomeOfSection.section);
      const key = sectionKey(project.ref, outcomeOfSection.section);
      let result: string = outcomeOfSection.status;
      if (holding.has(key) && sectionPlan?.changes.length) {
        result = 'held';
        counts.held++;
        for (const change of sectionPlan.changes) {
          logger.warn({ project: project.ref, section: outcomeOfSection.section, path: change.path, action: change.action }, 'drift held: not written (the API did not take it before)');
        }
      }
      logSection(logger, project.ref, outcomeOfSection, sectionPlan?.changes ?? []);
      if (outcomeOfSection.status === 'applied' || outcomeOfSection.status === 'drift') counts.changes += outcomeOfSection.changes;
      counts.requests += outcomeOfSection.requests;
      sections.push({
        project: project.ref,
        section: outcomeOfSection.section,
        result,
        ...(sectionPlan && !sectionPlan.error ? { drift: sectionPlan.changes.length } : {}),
      });
      if (sectionPlan?.mode === 'enforce' && !holding.has(key) && outcomeOfSection.status !== 'error') {
        const notTaken = outcomeOfSection.status === 'applied' ? notTakenPaths(outcomeOfSection.warnings) : [];
        if (held.record(project.ref, outcomeOfSection.section, fingerprints.get(key) ?? '', notTaken) === 'held') {
          logger.warn(
            { project: project.ref, section: outcomeOfSection.section, keys: notTaken },
            'section held: the API did not take these keys several cycles in a row; not written again until its configuration changes',
          );
        }
      }
    }
  }
  return { verdict: classifyOutcome(outcome), plan: planned.plan, outcome, sections, counts };
}

/** One line per change that was not applied (apply itself logs `change applied`), and per section error. */
function logSection(
  logger: Logger,
  ref: string,
  section: SectionOutcome,
  changes: readonly Change[],
): void {
  const base = { project: ref, section: section.section };
  if (section.status === 'drift') {
    for (const c of changes) logger.info({ ...base, path: c.path, action: c.action, sensitive: c.sensitive }, 'drift observed');
  } else if (section.status === 'refused') {
    for (const c of changes.filter(isRefused)) {
      logger.warn({ ...base, path: c.path, action: c.action, rule: c.risk?.rule, allow_with: c.risk?.key }, 'change refused: risky');
    }
  } else if (section.status === 'skipped' && changes.length) {
    logger.info({ ...base, changes: changes.length }, 'section not written: another section of the project was refused');
  } else if (section.status === 'error' && section.error) {
    logger.error({ ...base, code: section.error.code, status: section.error.status }, section.error.message);
  }
}
