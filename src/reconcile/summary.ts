/**
 * The plan's counts, in one unit — the change: one line of the plan (a field of a section, or an
 * item of a collection created or deleted). The header, the tables and the JSON all count these.
 */
import { refusedIn } from './guardrails.js';
import type { PlanSummary, ProjectPlan, ProjectPlanStatus } from './types.js';

/** A project's counts: the plan's, without the project counts. */
export type ProjectSummary = Omit<PlanSummary, 'projects' | 'projects_failed'>;

export function summariseProject(project: ProjectPlan): ProjectSummary {
  const summary: ProjectSummary = { create: 0, update: 0, delete: 0, refused: 0, observed: 0, not_applied: 0, sections_failed: 0 };
  for (const section of project.sections) {
    if (section.error) summary.sections_failed++;
    // Observed drift is reported whatever became of the rest of the project.
    if (section.mode === 'observe') summary.observed += section.changes.length;
    // Nothing is written to a project that could not be planned: its changes are not pending.
    else if (project.error) summary.not_applied += section.changes.length;
    else {
      for (const change of section.changes) summary[change.action]++;
      summary.refused += refusedIn(section).length;
    }
  }
  return summary;
}

export function summarise(projects: readonly ProjectPlan[]): PlanSummary {
  const summary: PlanSummary = {
    create: 0,
    update: 0,
    delete: 0,
    refused: 0,
    observed: 0,
    not_applied: 0,
    projects: projects.length,
    projects_failed: 0,
    sections_failed: 0,
  };
  for (const project of projects) {
    const counts = summariseProject(project);
    for (const key of Object.keys(counts) as Array<keyof ProjectSummary>) summary[key] += counts[key];
    if (project.error) summary.projects_failed++;
  }
  return summary;
}

/** What apply would do with the project: nothing (failed, refused, no changes), write (pending), or only report (observed). */
export function projectStatus(project: ProjectPlan, counts: ProjectSummary = summariseProject(project)): ProjectPlanStatus {
  if (project.error) return 'failed';
  if (counts.refused) return 'refused';
  if (counts.create + counts.update + counts.delete) return 'pending';
  if (counts.observed) return 'observed';
  return 'no_changes';
}

/** Changes apply would make. */
export const pendingOf = (s: Pick<PlanSummary, 'create' | 'update' | 'delete'>): number => s.create + s.update + s.delete;
