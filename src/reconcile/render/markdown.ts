/**
 * Markdown for pull-request comments, in the convention of Terraform's PR-comment tools: the
 * summary in view, each project folded under a `<summary>` with its status and counts, its changes
 * in a ```diff block so GitHub colours them — `+` create (green), `-` delete (red), `!` update
 * (orange), `#` comments (grey), `~` found but not applied (plain: observe mode, or a project that
 * could not be planned) — and the commit and time it was planned at. A hidden marker lets CI update
 * its one comment; a cut (with a note) keeps it below GitHub's 65,536-character limit.
 *
 * Every text that comes from the configuration or the API (values, notes, messages) is inside a
 * code block, where GitHub renders no Markdown, HTML or @mention; outside them are only counts,
 * fixed words, section names and project refs (20 lowercase letters).
 */
import type { Change, Plan, PlanSummary, SectionPlan } from '../types.js';
import { pendingOf } from '../summary.js';
import {
  NO_CHANGES,
  actionCounts,
  describeChange,
  describeOrigin,
  describePartial,
  describeRisk,
  formatTime,
  planIsEmpty,
  plural,
  printableLine,
  projectCounts,
  summaryLines,
  viewOf,
  wrap,
  type ProjectView,
} from './format.js';
import { isLongText, textDiff } from './text-diff.js';

export const MARKDOWN_MARKER = '<!-- supasync-plan -->';
export const MARKDOWN_LIMIT = 65_000;
/** Columns of the comment lines in a diff block: about what a comment shows without scrolling. */
const WIDTH = 100;
/** A plan whose blocks add up to no more lines than this is shown unfolded. */
const OPEN_LINES = 80;
/** Projects without changes named under the table; beyond this they are only counted. */
const NAMED_UNCHANGED = 20;

const DIFF_MARK: Record<Change['action'], string> = { create: '+', update: '!', delete: '-' };

export const STATUS: Record<ProjectView['status'], string> = {
  no_changes: '✅ no changes',
  pending: '✏️ changes pending',
  observed: '👀 drift (observe mode)',
  refused: '⛔ refused',
  failed: '❌ could not be planned',
};

/** A fence longer than any run of backticks inside, so no line can close the block. */
export function fenceFor(lines: readonly string[]): string {
  let longest = 2;
  for (const line of lines) for (const run of line.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  return '`'.repeat(longest + 1);
}

/** `# text`, word-wrapped: a long risk or note stays readable without scrolling sideways. */
const comment = (text: string, indent: string): string[] => wrap(text, WIDTH - 2 - indent.length, '    ').map((l) => `# ${indent}${l}`.trimEnd());
/** `# text` on one line whatever its length: a file position or an entry to copy must stay whole. */
const whole = (text: string, indent: string): string[] => [`# ${indent}${text}`];

function changeLines(change: Change, s: SectionPlan, applied: boolean): string[] {
  const mark = applied ? DIFF_MARK[change.action] : '~';
  const lines: string[] = [];
  if (isLongText(change)) {
    const diff = textDiff(change);
    lines.push(`${mark}   ${printableLine(change.path)}: ${diff.title}${change.restart ? '  (takes effect after a restart)' : ''}`);
    for (const line of diff.lines) {
      if (line.kind === 'hunk') lines.push(applied ? line.text : `#       ${line.text}`);
      else if (line.kind === 'note') lines.push(`#       ${line.text}`);
      // The line's own +/- in the first column is what GitHub colours; not for changes not applied.
      else {
        const sign = line.kind === 'add' ? '+' : line.kind === 'remove' ? '-' : ' ';
        lines.push(applied ? `${sign}       ${line.text}` : `~     ${sign} ${line.text}`);
      }
    }
  } else {
    const what = applied || change.action === 'update' ? '' : ` (${change.action})`;
    lines.push(`${mark}   ${describeChange(change)}${what}`);
  }
  if (change.risk) {
    const [first, ...rest] = describeRisk(change.risk, s.mode);
    const refused = applied && s.mode === 'enforce' && !change.risk.allowed;
    lines.push(...comment(`${refused ? '⛔' : '⚠️'} ${first}`, '    '));
    // The last line is the entry to paste: never broken.
    rest.forEach((line, i) => lines.push(...(i === rest.length - 1 ? whole : comment)(line, '      ')));
  }
  if (change.origin) lines.push(...whole(describeOrigin(change.origin), '    '));
  return lines;
}

function sectionLines(s: SectionPlan, projectFailed: boolean): string[] {
  if (s.error) return comment(`❌ ${s.section}: could not be read or compared: ${printableLine(s.error.message)}`, '');
  const lines: string[] = [];
  const applied = s.mode === 'enforce' && !projectFailed;
  if (s.changes.length) {
    const counts = { create: 0, update: 0, delete: 0 };
    for (const c of s.changes) counts[c.action]++;
    const what =
      s.mode === 'observe'
        ? `${plural(s.changes.length, 'change')} drifted; observe mode: reported, never applied`
        : projectFailed
          ? `${plural(s.changes.length, 'change')} found; not applied: the project could not be planned`
          : actionCounts(counts, true);
    lines.push(`# ${s.section}: ${what}`);
    for (const change of s.changes) lines.push(...changeLines(change, s, applied));
  } else if (s.notes.length || s.warnings.length) {
    lines.push(`# ${s.section}: no changes`);
  }
  for (const note of s.notes) lines.push(...comment(`note: ${printableLine(note)}`, '  '));
  for (const warning of s.warnings) lines.push(...comment(`⚠️ warning: ${printableLine(warning)}`, '  '));
  return lines;
}

interface Block {
  view: ProjectView;
  lines: string[];
}

function blockOf(view: ProjectView): Block {
  const failed = view.status === 'failed';
  const lines: string[] = [];
  for (const s of view.project.sections) {
    const section = sectionLines(s, failed);
    if (section.length && lines.length) lines.push('');
    lines.push(...section);
  }
  return { view, lines };
}

function summaryOf(view: ProjectView): string {
  const counts = projectCounts(view.counts);
  return `<code>${view.project.ref}</code> · ${STATUS[view.status]}${counts ? ` · ${counts}` : ''}`;
}

function renderBlock(block: Block, open: boolean, lines = block.lines, more = 0): string[] {
  const fence = fenceFor(lines);
  const tail = more ? [`# … ${plural(more, 'more line')} not shown: the plan was cut to fit in a comment`] : [];
  return ['', `<details${open ? ' open' : ''}><summary>${summaryOf(block.view)}</summary>`, '', `${fence}diff`, ...lines, ...tail, fence, '', '</details>'];
}

function headline(plan: Plan, empty: boolean): string {
  const s = plan.summary;
  if (empty) return '✅ no changes';
  if (s.projects_failed) return `❌ ${plural(s.projects_failed, 'project')} could not be planned`;
  if (s.refused) return `⛔ ${plural(s.refused, 'risky change')} refused`;
  if (pendingOf(s)) return `✏️ ${plural(pendingOf(s), 'change')} to apply`;
  return `👀 ${plural(s.observed, 'change')} drifted (observe mode)`;
}

/** The project table: one row per project with something to show; the others counted below it. */
function table(views: readonly ProjectView[]): string[] {
  const shown = views.filter((v) => v.status !== 'no_changes');
  const unchanged = views.filter((v) => v.status === 'no_changes').map((v) => `\`${v.project.ref}\``);
  const out: string[] = [];
  if (shown.length) {
    out.push('', '| Project | Status | Create | Update | Delete | Refused | Drift (observe) |', '| --- | --- | ---: | ---: | ---: | ---: | ---: |');
    for (const { project, counts, status } of shown) {
      const n = (x: number) => (status === 'failed' ? '–' : String(x));
      const status_ = status === 'failed' && counts.not_applied ? `${STATUS.failed} (${plural(counts.not_applied, 'change')} not applied)` : STATUS[status];
      out.push(`| \`${project.ref}\` | ${status_} | ${n(counts.create)} | ${n(counts.update)} | ${n(counts.delete)} | ${n(counts.refused)} | ${counts.observed} |`);
    }
  }
  if (unchanged.length) {
    const names = unchanged.length <= NAMED_UNCHANGED ? `: ${unchanged.join(', ')}` : '';
    out.push('', `✅ ${plural(unchanged.length, 'project')} without changes${names}.`);
  }
  return out;
}

/** `Planned at 2026-11-30 09:39 UTC for commit 0123abc…`: a bare SHA, which GitHub links to the commit. */
export function footer(context: Pick<Plan, 'planned_at' | 'commit'>): string[] {
  if (!context.commit && !context.planned_at) return [];
  const commit = context.commit ? ` for commit ${context.commit}` : '';
  const time = context.planned_at ? ` at ${formatTime(context.planned_at)}` : '';
  return ['', `<sub>Planned by supasync${commit}${time}.</sub>`];
}

function alerts(plan: Plan): string[] {
  const s: PlanSummary = plan.summary;
  const out: string[] = [];
  if (s.refused) {
    out.push(
      '',
      '> [!CAUTION]',
      `> ${plural(s.refused, 'risky change')} ${s.refused === 1 ? 'is' : 'are'} not allowed: \`apply\` refuses ${s.refused === 1 ? 'its project' : 'their projects'} and writes nothing to ${s.refused === 1 ? 'it' : 'them'}. ` +
        `${s.refused === 1 ? 'The ⛔ below names the `allow_risky` entry' : 'Each ⛔ below names the `allow_risky` entry'} that allows exactly that change (or apply with \`--allow-risky\`).`,
    );
  }
  if (s.projects_failed) {
    out.push(
      '',
      '> [!WARNING]',
      `> ${plural(s.sections_failed, 'section')} could not be read or compared, so ${plural(s.projects_failed, 'project')} could not be planned and nothing is applied to ${s.projects_failed === 1 ? 'it' : 'them'}` +
        `${s.not_applied ? `; ${plural(s.not_applied, 'change')} found there ${s.not_applied === 1 ? 'is' : 'are'} marked not applied (\`~\`)` : ''}. See ❌ below.`,
    );
  }
  return out;
}

export function renderMarkdown(plan: Plan): string {
  const views = plan.projects.map(viewOf);
  const empty = planIsEmpty(plan);
  const head = [MARKDOWN_MARKER, `### supasync plan · ${headline(plan, empty)}`, ''];
  if (empty) head.push(`**${NO_CHANGES}**`);
  else {
    head.push(`**${summaryLines(plan)[0]}**`);
    if (plan.summary.observed) head.push('', `${plural(plan.summary.observed, 'change')} drifted in observe mode (reported, never applied).`);
  }
  head.push(...alerts(plan));
  if (plan.partial) {
    head.push('', '> [!NOTE]', ...describePartial(plan.partial, plan.projects.length).map((l) => `> ${l.replace(/[\\`*_[\]<>|]/g, '\\$&')}`).join('\n>\n').split('\n'));
  }
  if (plan.warnings.length) {
    const warnings = plan.warnings.map(printableLine);
    const fence = fenceFor(warnings);
    head.push('', `**${plural(warnings.length, 'configuration warning')}:**`, '', `${fence}text`, ...warnings, fence);
  }
  if (views.length > 1) head.push(...table(views));

  const blocks = views.map(blockOf).filter((b) => b.lines.length);
  const open = blocks.reduce((n, b) => n + b.lines.length, 0) <= OPEN_LINES;
  const tail = [...footer(plan), ''];
  const full = [...head, ...blocks.flatMap((b) => renderBlock(b, open)), ...tail].join('\n');
  if (full.length <= MARKDOWN_LIMIT) return full;
  return cut(head, blocks, tail);
}

/** The head, as many whole project blocks as fit, part of the next one, and a note: every block closed. */
function cut(head: string[], blocks: Block[], tail: string[]): string {
  const note = ['', '> [!NOTE]', '> The plan was cut to fit in a comment; run `supasync plan` for the whole of it.'];
  const budget = MARKDOWN_LIMIT - tail.join('\n').length - note.join('\n').length - 200;
  const out = [...head];
  let size = out.join('\n').length;
  let left = blocks.length;
  for (const block of blocks) {
    const whole = renderBlock(block, false);
    const wholeSize = whole.join('\n').length + 1;
    if (size + wholeSize <= budget) {
      out.push(...whole);
      size += wholeSize;
      left--;
      continue;
    }
    // Part of this block: its first lines, then a count of the rest.
    const room = budget - size - 400;
    let taken = 0;
    let used = 0;
    while (taken < block.lines.length && used + block.lines[taken]!.length + 1 <= room) used += block.lines[taken++]!.length + 1;
    if (taken) {
      out.push(...renderBlock(block, false, block.lines.slice(0, taken), block.lines.length - taken));
      left--;
    }
    break;
  }
  if (left) note.push(`> ${plural(left, 'more project')} with changes ${left === 1 ? 'is' : 'are'} not shown.`);
  return [...out, ...note, ...tail].join('\n');
}
