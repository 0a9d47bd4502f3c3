/** Shared wording for every renderer: values, actions, risks and the summary line. */
import { escapeHidden } from '../../config/printable.js';
import type { SectionMode } from '../../config/types.js';
import type { Change, ChangeOrigin, JsonValue, PartialPlan, Plan, PlanSummary, Risk } from '../types.js';

export const SYMBOL: Record<Change['action'], string> = { create: '+', update: '~', delete: '-' };

/**
 * A value as JSON, with the bidi controls and invisible characters JSON leaves raw shown as
 * `\uXXXX`: a reviewer must see the value that will be applied, not a reordered one.
 */
export function formatValue(value: JsonValue | undefined): string {
  if (value === undefined || value === null) return '(not set)';
  return escapeHidden(JSON.stringify(value));
}

/** `path: before → after`, with `(sensitive value)` in place of any secret. */
export function describeChange(change: Change): string {
  const restart = change.restart ? '  (takes effect after a restart)' : '';
  if (change.action === 'delete') return `${change.path}${restart}`;
  if (change.sensitive) {
    const before = change.beforeSet === false ? '(not set) → ' : '';
    return `${change.path}: ${before}(sensitive value)${restart}`;
  }
  if (change.action === 'create') return `${change.path}: ${formatValue(change.after)}${restart}`;
  return `${change.path}: ${formatValue(change.before)} → ${formatValue(change.after)}${restart}`;
}

/** `from templates/prod.yaml:12:3 (template prod)`; `(template baseline via prod)` when inherited through another. */
export function describeOrigin(origin: ChangeOrigin): string {
  const via = origin.via?.length ? ` via ${origin.via.map(escapeHidden).join(' → ')}` : '';
  const template = origin.template === undefined ? '' : ` (template ${escapeHidden(origin.template)}${via})`;
  return `from ${escapeHidden(origin.file)}:${origin.line}:${origin.col}${template}`;
}

export function describeRisk(risk: Risk, mode: SectionMode = 'enforce'): string {
  if (mode === 'observe') return `risky (${risk.rule}): ${risk.reason} (observe mode: reported, never applied)`;
  return risk.allowed
    ? `risky (${risk.rule}), allowed: ${risk.reason}`
    : `RISKY (${risk.rule}): ${risk.reason}. Refused unless allowed: \`allow_risky: [${risk.key}]\` or --allow-risky`;
}

export function summaryLine(summary: PlanSummary): string {
  let line = `Plan: ${summary.create} to create, ${summary.update} to update, ${summary.delete} to delete.`;
  if (summary.observed) line += ` ${summary.observed} drifted in observe mode (not applied).`;
  if (summary.refused) line += ` ${summary.refused} risky change(s) not allowed.`;
  if (summary.failed) line += ` ${summary.failed} project(s) could not be planned.`;
  return line;
}

export const NO_CHANGES = 'No changes. Your projects match the configuration.';

/** What a partial plan (`--changed-since`) covers, in words: one line, then the projects no longer managed. */
export function describePartial(p: PartialPlan, planned: number): string[] {
  const projects = (n: number) => `${n} project${n === 1 ? '' : 's'}`;
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
