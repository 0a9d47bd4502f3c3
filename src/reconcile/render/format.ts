/**
 * Shared wording for every renderer: values, actions, risks, counts and the summary. The unit of
 * every count is the change (one line of the plan); see ../summary.ts.
 */
import { escapeHidden } from '../../config/printable.js';
import type { SectionMode } from '../../config/types.js';
import { pendingOf, projectStatus, summariseProject, type ProjectSummary } from '../summary.js';
import type { Change, ChangeOrigin, JsonValue, PartialPlan, Plan, PlanSummary, ProjectPlan, ProjectPlanStatus, Risk } from '../types.js';

export const SYMBOL: Record<Change['action'], string> = { create: '+', update: '~', delete: '-' };

/** `1 change`, `2 changes`. */
export const plural = (n: number, word: string, many = `${word}s`): string => `${n} ${n === 1 ? word : many}`;

/**
 * A value as JSON, with the bidi controls and invisible characters JSON leaves raw shown as
 * `\uXXXX`: a reviewer must see the value that will be applied, not a reordered one.
 */
export function formatValue(value: JsonValue | undefined): string {
  if (value === undefined || value === null) return '(not set)';
  return escapeHidden(JSON.stringify(value));
}

/** Free text from a plan (a note, a warning, an error message) as one printable line. */
export const printableLine = (text: string): string => escapeHidden(text);

const RESTART = '  (takes effect after a restart)';

/** `path: before → after`, with `(sensitive value)` in place of any secret. */
export function describeChange(change: Change): string {
  const restart = change.restart ? RESTART : '';
  const path = escapeHidden(change.path);
  if (change.action === 'delete') return `${path}${restart}`;
  if (change.sensitive) {
    const before = change.beforeSet === false ? '(not set) → ' : '';
    return `${path}: ${before}(sensitive value)${restart}`;
  }
  if (change.action === 'create') return `${path}: ${formatValue(change.after)}${restart}`;
  return `${path}: ${formatValue(change.before)} → ${formatValue(change.after)}${restart}`;
}

/** `from templates/prod.yaml:12:3 (template prod)`; `(template baseline via prod)` when inherited through another. */
export function describeOrigin(origin: ChangeOrigin): string {
  const via = origin.via?.length ? ` via ${origin.via.map(escapeHidden).join(' → ')}` : '';
  const template = origin.template === undefined ? '' : ` (template ${escapeHidden(origin.template)}${via})`;
  return `from ${escapeHidden(origin.file)}:${origin.line}:${origin.col}${template}`;
}

/** An entry as it can be pasted into a YAML flow list: plain when it can be, else double-quoted (JSON is valid YAML there). */
export function yamlEntry(key: string): string {
  return /^[a-z_]+(\.[A-Za-z0-9_]+)?$/.test(key) ? key : escapeHidden(JSON.stringify(key));
}

/** `allow_risky: [auth.password_min_length]`, `allow_risky: ["secrets[OLD_KEY]"]`: what to paste to allow exactly this change. */
export const allowEntry = (risk: Risk): string => `allow_risky: [${yamlEntry(risk.key)}]`;

/**
 * The risk of a change in words: the first line says what and why; for a refused change, the next
 * say how to allow it, the entry on a line of its own so that it can be copied whole.
 */
export function describeRisk(risk: Risk, mode: SectionMode = 'enforce'): string[] {
  const reason = escapeHidden(risk.reason);
  if (mode === 'observe') return [`risky (${risk.rule}): ${reason} (observe mode: reported, never applied)`];
  if (risk.allowed) return [`risky (${risk.rule}), allowed: ${reason}`];
  return [`RISKY (${risk.rule}): ${reason}`, 'refused; to allow exactly this change, add to the project (or apply with --allow-risky):', `  ${allowEntry(risk)}`];
}

/** `1 to create, 6 to update, 1 to delete`; with `compact`, the zero counts are left out. */
export function actionCounts(s: Pick<PlanSummary, 'create' | 'update' | 'delete'>, compact = false): string {
  const parts: Array<[number, string]> = [
    [s.create, 'to create'],
    [s.update, 'to update'],
    [s.delete, 'to delete'],
  ];
  const shown = compact ? parts.filter(([n]) => n > 0) : parts;
  return shown.map(([n, what]) => `${n} ${what}`).join(', ');
}

export const STATUS_WORDS: Record<ProjectPlanStatus, string> = {
  no_changes: 'no changes',
  pending: 'changes pending',
  observed: 'drift (observe mode)',
  refused: 'refused',
  failed: 'could not be planned',
};

/** A project's counts in one line: `6 to update, 1 to delete; 2 refused; 1 drifted (observe mode)`. */
export function projectCounts(counts: ProjectSummary): string {
  const parts: string[] = [];
  if (pendingOf(counts)) parts.push(actionCounts(counts, true));
  if (counts.refused) parts.push(`${counts.refused} refused`);
  if (counts.observed) parts.push(`${counts.observed} drifted (observe mode)`);
  if (counts.not_applied) parts.push(`${plural(counts.not_applied, 'change')} not applied`);
  if (counts.sections_failed) parts.push(`${plural(counts.sections_failed, 'section')} failed`);
  return parts.join('; ');
}

export interface ProjectView {
  project: ProjectPlan;
  counts: ProjectSummary;
  status: ProjectPlanStatus;
}

export const viewOf = (project: ProjectPlan): ProjectView => {
  const counts = summariseProject(project);
  return { project, counts, status: projectStatus(project, counts) };
};

/** `abcdefghijklmnopqrst: sso, auth` for every project with a failed section. */
function failedSections(plan: Plan): string {
  return plan.projects
    .map((p) => ({ ref: p.ref, failed: p.sections.filter((s) => s.error).map((s) => s.section) }))
    .filter((p) => p.failed.length)
    .map((p) => `${p.ref} (${p.failed.join(', ')})`)
    .join('; ');
}

/**
 * The plan's summary as sentences: the first is Terraform's `Plan: …` line with the count of
 * changes it adds up to, then what is refused, only observed, and could not be planned.
 */
export function summaryLines(plan: Plan): string[] {
  const s = plan.summary;
  const pending = pendingOf(s);
  const lines = [`Plan: ${actionCounts(s)} (${plural(pending, 'change')}).`];
  if (s.refused) {
    const refusedProjects = plan.projects.filter((p) => viewOf(p).status === 'refused').length;
    lines.push(
      `${plural(s.refused, 'risky change')} not allowed: apply refuses ${refusedProjects === 1 ? `${s.refused === 1 ? 'its' : 'their'} project` : `their ${refusedProjects} projects`} unless ${s.refused === 1 ? 'it is' : 'they are'} allowed.`,
    );
  }
  if (s.observed) lines.push(`${plural(s.observed, 'change')} drifted in observe mode (reported, never applied).`);
  if (s.projects_failed || s.sections_failed) {
    const sections = s.sections_failed ? `${plural(s.sections_failed, 'section')} could not be read or compared: ${failedSections(plan)}. ` : '';
    const notApplied = s.not_applied ? `; its ${plural(s.not_applied, 'change')} found elsewhere ${s.not_applied === 1 ? 'is' : 'are'} not applied` : '';
    lines.push(
      `${sections}${plural(s.projects_failed, 'project')} could not be planned, so nothing is applied to ${s.projects_failed === 1 ? 'it' : 'them'}${notApplied}.`,
    );
  }
  return lines;
}

export const NO_CHANGES = 'No changes. Your projects match the configuration.';

/** What a partial plan (`--changed-since`) covers, in words: one line, then the projects no longer managed. */
export function describePartial(p: PartialPlan, planned: number): string[] {
  const projects = (n: number) => plural(n, 'project');
  const lines = [
    `Partial plan: only projects whose configuration changed since ${escapeHidden(p.changed_since)} (${p.commit.slice(0, 12)}): ${projects(planned)} planned, ${projects(p.unchanged)} unchanged (skipped).`,
  ];
  if (p.no_longer_managed.length) {
    lines.push(`No longer managed (gone from the configuration; nothing is deleted): ${p.no_longer_managed.join(', ')}.`);
  }
  return lines;
}

export function planIsEmpty(plan: Plan): boolean {
  return plan.projects.every((p) => !p.error && p.sections.every((s) => !s.changes.length && !s.error));
}

/** `2026-11-30 09:39 UTC` from an ISO timestamp; the text as it is when it is not one. */
export function formatTime(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?Z$/.exec(iso);
  return m ? `${m[1]} ${m[2]} UTC` : escapeHidden(iso);
}

/**
 * Word-wraps a line to `width` columns; continuation lines start with `indent`. A word longer than
 * a line is cut. Linear in the text.
 */
export function wrap(text: string, width: number, indent = ''): string[] {
  const lead = text.length - text.trimStart().length;
  if (lead) return wrap(text.slice(lead), width - lead, indent).map((l, i) => (i ? l : `${text.slice(0, lead)}${l}`));
  const out: string[] = [];
  let line = '';
  const limit = () => Math.max(20, width - (out.length ? indent.length : 0));
  for (let word of text.split(' ')) {
    while (word.length > limit()) {
      if (line) {
        out.push(line);
        line = '';
      }
      const n = limit();
      out.push(word.slice(0, n));
      word = word.slice(n);
    }
    if (line && line.length + 1 + word.length > limit()) {
      out.push(line);
      line = '';
    }
    line = line ? `${line} ${word}` : word;
  }
  out.push(line);
  return out.map((l, i) => (i ? `${indent}${l}` : l));
}
