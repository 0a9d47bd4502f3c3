/**
 * The Terraform-like text plan: `~` update, `+` create, `-` delete, grouped by project and section,
 * each header with its counts; a long text changed is shown as a diff of its lines.
 */
import { isRefused } from '../guardrails.js';
import type { Change, Plan, SectionPlan } from '../types.js';
import {
  NO_CHANGES,
  STATUS_WORDS,
  SYMBOL,
  actionCounts,
  describeChange,
  describeOrigin,
  describePartial,
  describeRisk,
  planIsEmpty,
  plural,
  printableLine,
  projectCounts,
  summaryLines,
  viewOf,
  type ProjectView,
} from './format.js';
import { isLongText, textDiff, type TextDiffLine } from './text-diff.js';

export interface TextOptions {
  color: boolean;
}

const ANSI = { green: 32, yellow: 33, red: 31, bold: 1, dim: 2, cyan: 36 } as const;
type Style = keyof typeof ANSI;
type Paint = (style: Style, text: string) => string;

const painter =
  (color: boolean): Paint =>
  (style, text) =>
    color ? `\u001b[${ANSI[style]}m${text}\u001b[0m` : text;

const ACTION_STYLE: Record<Change['action'], Style> = { create: 'green', update: 'yellow', delete: 'red' };
const DIFF_LINE: Record<TextDiffLine['kind'], { mark: string; style: Style }> = {
  add: { mark: '+ ', style: 'green' },
  remove: { mark: '- ', style: 'red' },
  context: { mark: '  ', style: 'dim' },
  hunk: { mark: '', style: 'cyan' },
  note: { mark: '', style: 'dim' },
};

/** The section's own line: what it will do, in counts (or why nothing of it is applied). */
function sectionHeader(s: SectionPlan, projectFailed: boolean, paint: Paint): string {
  const counts = { create: 0, update: 0, delete: 0 };
  for (const c of s.changes) counts[c.action]++;
  const action = counts.create === s.changes.length ? 'create' : counts.delete === s.changes.length ? 'delete' : 'update';
  let detail: string;
  if (s.mode === 'observe') detail = paint('cyan', `${plural(s.changes.length, 'change')} drifted (observe mode: reported, never applied)`);
  else if (projectFailed) detail = paint('red', `${plural(s.changes.length, 'change')} found, not applied (the project could not be planned)`);
  else detail = actionCounts(counts, true);
  return `  ${paint(ACTION_STYLE[action], SYMBOL[action])} ${paint('bold', s.section)}: ${detail}`;
}

function renderChange(change: Change, s: SectionPlan, paint: Paint): string[] {
  const symbol = paint(ACTION_STYLE[change.action], SYMBOL[change.action]);
  const lines: string[] = [];
  if (isLongText(change)) {
    const diff = textDiff(change);
    lines.push(`      ${symbol} ${printableLine(change.path)}: ${diff.title}${change.restart ? '  (takes effect after a restart)' : ''}`);
    for (const line of diff.lines) lines.push(`          ${paint(DIFF_LINE[line.kind].style, `${DIFF_LINE[line.kind].mark}${line.text}`)}`);
  } else {
    lines.push(`      ${symbol} ${describeChange(change)}`);
  }
  if (change.risk) {
    const [first, ...rest] = describeRisk(change.risk, s.mode);
    const refused = s.mode === 'enforce' && isRefused(change);
    const style = (t: string) => (refused ? paint('red', paint('bold', t)) : paint('yellow', t));
    lines.push(`        ${style(`! ${first}`)}`);
    for (const line of rest) lines.push(`          ${style(line)}`);
  }
  if (change.origin) lines.push(`        ${paint('dim', describeOrigin(change.origin))}`);
  return lines;
}

function renderSection(s: SectionPlan, projectFailed: boolean, paint: Paint): string[] {
  if (s.error) return [`  ${paint('red', '!')} ${paint('bold', s.section)}: ${paint('red', `could not be read or compared: ${printableLine(s.error.message)}`)}`];
  const lines: string[] = [];
  if (s.changes.length) {
    lines.push(sectionHeader(s, projectFailed, paint));
    for (const change of s.changes) lines.push(...renderChange(change, s, paint));
  } else if (s.notes.length || s.warnings.length) {
    // Its notes belong under it, not under the section above.
    lines.push(`    ${paint('bold', s.section)}: no changes`);
  }
  for (const note of s.notes) lines.push(`      ${paint('dim', `note: ${printableLine(note)}`)}`);
  for (const warning of s.warnings) lines.push(`      ${paint('yellow', `warning: ${printableLine(warning)}`)}`);
  return lines;
}

function renderProject(view: ProjectView, paint: Paint): string[] {
  const { project, counts, status } = view;
  const failed = status === 'failed';
  const body = project.sections.flatMap((s) => renderSection(s, failed, paint));
  const head = `Project ${paint('bold', project.ref)}`;
  if (failed) return [`${head}: ${paint('red', 'could not be planned; nothing will be applied to it')}`, ...body];
  if (status === 'no_changes') return [`${head}: ${STATUS_WORDS.no_changes}`, ...body];
  const line = projectCounts(counts);
  return [`${head}: ${status === 'refused' ? paint('red', line) : line}`, ...body];
}

export function renderText(plan: Plan, opts: TextOptions = { color: false }): string {
  const paint = painter(opts.color);
  const out: string[] = [];
  for (const w of plan.warnings) out.push(paint('yellow', `Warning: ${printableLine(w)}`));
  if (plan.warnings.length) out.push('');
  if (plan.partial) out.push(...describePartial(plan.partial, plan.projects.length).map((l) => paint('cyan', l)), '');
  for (const project of plan.projects) out.push(...renderProject(viewOf(project), paint), '');
  if (planIsEmpty(plan)) out.push(paint('green', NO_CHANGES));
  else {
    const [first, ...rest] = summaryLines(plan);
    out.push(paint('bold', first!), ...rest.map((l) => (plan.summary.refused || plan.summary.projects_failed ? paint('yellow', l) : l)));
  }
  return `${out.join('\n')}\n`;
}
