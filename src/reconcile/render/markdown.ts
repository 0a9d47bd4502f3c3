/**
 * Markdown for pull-request comments: the summary visible, the details folded, a hidden marker so
 * CI can update its one comment, and a cut (with a note) below GitHub's 65,536-character limit.
 */
import { refusedIn } from '../guardrails.js';
import type { Plan, ProjectPlan } from '../types.js';
import { NO_CHANGES, SYMBOL, describeChange, describeOrigin, describePartial, describeRisk, planIsEmpty, summaryLine } from './format.js';

const escapeCell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export const MARKDOWN_MARKER = '<!-- supasync-plan -->';
export const MARKDOWN_LIMIT = 65_000;

function projectStatus(p: ProjectPlan): string {
  if (p.error) return `❌ error: ${p.error.message.split('\n')[0]}`;
  const changes = p.sections.reduce((n, s) => n + s.changes.length, 0);
  const risky = p.sections.some((s) => refusedIn(s).length > 0);
  if (!changes) return '✅ no changes';
  return `${risky ? '⚠️ ' : ''}${changes} change(s)${risky ? ', risky (refused unless allowed)' : ''}`;
}

/** A diff-highlighted block: `+` green, `-` red, `!` orange on GitHub. */
function details(p: ProjectPlan): string[] {
  const lines: string[] = [];
  for (const s of p.sections) {
    if (s.error) lines.push(`! ${s.section}: error: ${s.error.message}`);
    for (const c of s.changes) {
      const mode = s.mode === 'observe' ? ' [observe: not applied]' : '';
      lines.push(`${SYMBOL[c.action]} ${s.section}.${describeChange(c)}${mode}`);
      if (c.risk) lines.push(`! ${describeRisk(c.risk, s.mode)}`);
      if (c.origin) lines.push(`#   ${describeOrigin(c.origin)}`);
    }
    for (const n of s.notes) lines.push(`# ${s.section}: ${n}`);
    for (const w of s.warnings) lines.push(`! ${s.section}: warning: ${w}`);
  }
  return lines;
}


export function renderMarkdown(plan: Plan): string {
  const head = [MARKDOWN_MARKER, '### supasync plan', ''];
  head.push(planIsEmpty(plan) ? `**${NO_CHANGES}**` : `**${summaryLine(plan.summary)}**`);
  if (plan.partial) {
    head.push('', '> [!NOTE]', describePartial(plan.partial, plan.projects.length).map((l) => `> ${escapeCell(l)}`).join('\n>\n'));
  }
  if (plan.summary.refused) {
    head.push('', `> [!WARNING]\n> ${plan.summary.refused} risky change(s) will be refused by apply unless allowed.`);
  }
  head.push('', '| Project | Status |', '| --- | --- |');
  for (const p of plan.projects) head.push(`| \`${p.ref}\` | ${escapeCell(projectStatus(p))} |`);
  for (const w of plan.warnings) head.push('', `> ${escapeCell(w)}`);

  const body: string[] = [];
  for (const p of plan.projects) {
    const lines = details(p);
    if (!lines.length) continue;
    body.push('', `<details><summary>${p.ref}</summary>`, '', '```diff', ...lines.map((l) => l.replace(/```/g, "'''")), '```', '', '</details>');
  }
  const full = [...head, ...body, ''].join('\n');
  if (full.length <= MARKDOWN_LIMIT) return full;
  const note = '\n\n> The plan was cut to fit in a comment; run `supasync plan` for the whole of it.\n';
  let cut = [...head].join('\n');
  for (const line of body) {
    if (cut.length + line.length + note.length + 20 > MARKDOWN_LIMIT) break;
    cut += `\n${line}`;
  }
  // Close an open code block and details element so the comment still renders.
  if ((cut.match(/```/g) ?? []).length % 2 === 1) cut += '\n```';
  if ((cut.match(/<details>/g) ?? []).length > (cut.match(/<\/details>/g) ?? []).length) cut += '\n\n</details>';
  return `${cut}${note}`;
}
