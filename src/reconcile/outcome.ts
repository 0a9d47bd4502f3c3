/** Results of a run: exit codes from outcomes, and the short text report after apply. */
import { ExitCode, exitCodeForProblemKind, worstExitCode } from '../errors.js';
import { hasChanges } from './plan.js';
import type { Outcome, Plan, ProjectOutcome } from './types.js';

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

export function renderOutcome(outcome: Outcome): string {
  const lines: string[] = [];
  const count = { changed: 0, unchanged: 0, drift: 0, refused: 0, error: 0 };
  for (const p of outcome.projects) {
    count[p.status]++;
    const detail = p.sections
      .filter((s) => s.status !== 'unchanged')
      .map((s) => `${s.section} ${s.status}${s.error ? ` (${s.error.message})` : ''}`)
      .join(', ');
    lines.push(`${p.ref}: ${p.status}${detail ? ` — ${detail}` : ''}`);
    if (p.error && !p.sections.some((s) => s.error)) lines.push(`  error: ${p.error.message}`);
    for (const s of p.sections) for (const w of s.warnings) lines.push(`  warning (${s.section}): ${w}`);
  }
  lines.push(
    `Apply complete: ${count.changed} changed, ${count.unchanged} unchanged, ${count.drift} drifted (observe), ` +
      `${count.refused} refused, ${count.error} failed.`,
  );
  return `${lines.join('\n')}\n`;
}
