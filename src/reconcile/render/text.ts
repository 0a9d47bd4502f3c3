/** The Terraform-like text plan: `~` update, `+` create, `-` delete, grouped by project and section. */
import { refusedIn } from '../guardrails.js';
import type { Change, Plan, ProjectPlan, SectionPlan } from '../types.js';
import { NO_CHANGES, SYMBOL, describeChange, describeOrigin, describePartial, describeRisk, planIsEmpty, summaryLine } from './format.js';

export interface TextOptions {
  color: boolean;
}

const ANSI = { green: 32, yellow: 33, red: 31, bold: 1, dim: 2, cyan: 36 } as const;
type Paint = (style: keyof typeof ANSI, text: string) => string;

const painter =
  (color: boolean): Paint =>
  (style, text) =>
    color ? `\u001b[${ANSI[style]}m${text}\u001b[0m` : text;

const ACTION_STYLE: Record<Change['action'], keyof typeof ANSI> = { create: 'green', update: 'yellow', delete: 'red' };

function sectionHeader(s: SectionPlan, paint: Paint): string {
  const mode = s.mode === 'observe' ? paint('cyan', ' (observe mode: drift reported, not applied)') : '';
  const action = s.changes.every((c) => c.action === 'create') ? 'create' : s.changes.every((c) => c.action === 'delete') ? 'delete' : 'update';
  return `  ${paint(ACTION_STYLE[action], SYMBOL[action])} ${paint('bold', s.section)}${mode}`;
}

function renderSection(s: SectionPlan, paint: Paint): string[] {
  if (s.error) return [`  ${paint('red', '!')} ${paint('bold', s.section)}: ${paint('red', `error: ${s.error.message}`)}`];
  const lines: string[] = [];
  if (s.changes.length) {
    lines.push(sectionHeader(s, paint));
    const refused = refusedIn(s);
    for (const change of s.changes) {
      lines.push(`      ${paint(ACTION_STYLE[change.action], SYMBOL[change.action])} ${describeChange(change)}`);
      if (change.risk) {
        const text = `! ${describeRisk(change.risk, s.mode)}`;
        lines.push(`        ${refused.includes(change) ? paint('red', paint('bold', text)) : paint('yellow', text)}`);
      }
      if (change.origin) lines.push(`        ${paint('dim', describeOrigin(change.origin))}`);
    }
  }
  for (const note of s.notes) lines.push(`      ${paint('dim', `note (${s.section}): ${note}`)}`);
  for (const warning of s.warnings) lines.push(`      ${paint('yellow', `warning (${s.section}): ${warning}`)}`);
  return lines;
}

function renderProject(p: ProjectPlan, paint: Paint): string[] {
  const body = p.sections.flatMap((s) => renderSection(s, paint));
  const head = `Project ${paint('bold', p.ref)}`;
  if (p.error) {
    return [`${head}: ${paint('red', 'cannot be reconciled')}`, ...body];
  }
  if (!p.sections.some((s) => s.changes.length)) return [`${head}: no changes`, ...body];
  return [head, ...body];
}

export function renderText(plan: Plan, opts: TextOptions = { color: false }): string {
  const paint = painter(opts.color);
  const out: string[] = [];
  for (const w of plan.warnings) out.push(paint('yellow', `Warning: ${w}`));
  if (plan.warnings.length) out.push('');
  if (plan.partial) out.push(...describePartial(plan.partial, plan.projects.length).map((l) => paint('cyan', l)), '');
  for (const project of plan.projects) out.push(...renderProject(project, paint), '');
  out.push(planIsEmpty(plan) ? paint('green', NO_CHANGES) : paint('bold', summaryLine(plan.summary)));
  return `${out.join('\n')}\n`;
}
