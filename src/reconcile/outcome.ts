/** Results of a run: exit codes from outcomes, and the short text report after apply. */
import { ExitCode, exitCodeForProblemKind, worstExitCode } from '../errors.js';
import { hasChanges } from './plan.js';
import { escapeHidden } from '../config/printable.js';
import type { Outcome, Plan, ProjectOutcome, ProjectStatus, SectionOutcome } from './types.js';

function projectExitCode(p: ProjectOutcome): ExitCode {
  if (p.status === 'error') {
    const kind = p.error?.kind ?? p.sections.find((s) => s.error)?.error?.kind ?? 'api';
    return exitCodeForProblemKind(kind);
  }
  if (p.status === 'refused') return ExitCode.refused;
  return ExitCode.ok;
}

/** apply / one daemon cycle: the worst project outcome. */
export function outcomeExitCode(outcome: Outcome): ExitCode {
  return worstExitCode(outcome.projects.map(projectExitCode));
}

/** plan: errors first; then, with `--detailed-exitcode`, 2 when anything would change. */
export function planExitCode(plan: Plan, detailed: boolean): ExitCode {
  const errors = plan.projects.filter((p) => p.error).map((p) => exitCodeForProblemKind(p.error!.kind));
  const worst = worstExitCode(errors);
  if (worst !== ExitCode.ok) return worst;
  return detailed && hasChanges(plan) ? ExitCode.changesPending : ExitCode.ok;
}

const PROJECT_WORDS: Record<ProjectStatus, string> = {
  changed: 'changed',
  unchanged: 'no changes',
  drift: 'drift reported (observe mode)',
  refused: 'refused: risky changes not allowed, nothing written',
  error: 'failed',
};

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

function describeSection(s: SectionOutcome): string {
  switch (s.status) {
    case 'applied':
      return `${s.section}: ${plural(s.changes, 'change')} applied`;
    case 'drift':
      return `${s.section}: ${plural(s.changes, 'change')} drifted (observe mode: not applied)`;
    case 'refused':
      return `${s.section}: refused`;
    case 'skipped':
      return `${s.section}: ${plural(s.changes, 'change')} not applied`;
    case 'error':
      return `${s.section}: failed${s.error ? ` (${escapeHidden(s.error.message)})` : ''}`;
    default:
      return `${s.section}: ${s.status}`;
  }
}

/**
 * The report after apply, in the plan's unit: changes applied, then one line per project, then the
 * projects counted by what became of them.
 */
export function renderOutcome(outcome: Outcome): string {
  const lines: string[] = [];
  const count: Record<ProjectStatus, number> = { changed: 0, unchanged: 0, drift: 0, refused: 0, error: 0 };
  let applied = 0;
  for (const p of outcome.projects) {
    count[p.status]++;
    const detail = p.sections
      .filter((s) => s.status !== 'unchanged')
      .map(describeSection)
      .join('; ');
    applied += p.sections.filter((s) => s.status === 'applied').reduce((n, s) => n + s.changes, 0);
    lines.push(`${p.ref}: ${PROJECT_WORDS[p.status]}${detail ? ` — ${detail}` : ''}`);
    if (p.error && !p.sections.some((s) => s.error)) lines.push(`  error: ${escapeHidden(p.error.message)}`);
    for (const s of p.sections) {
      if (s.waiting !== undefined) lines.push(`  waiting (${s.section}): ${escapeHidden(s.waiting)}`);
      for (const w of s.warnings) lines.push(`  warning (${s.section}): ${escapeHidden(w)}`);
    }
  }
  const touched = outcome.projects.filter((p) => p.sections.some((s) => s.status === 'applied')).length;
  lines.push(
    `Apply complete: ${plural(applied, 'change')} applied to ${plural(touched, 'project')}. ` +
      `Projects: ${count.changed} changed, ${count.unchanged} unchanged, ${count.drift} drifted (observe mode), ${count.refused} refused, ${count.error} failed.`,
  );
  return `${lines.join('\n')}\n`;
}
