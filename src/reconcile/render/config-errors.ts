/**
 * What `plan --out` writes when there is no plan because the configuration (or the command line) is
 * invalid: the located errors, in the format asked for, so that a pull-request comment shows why the
 * check is red instead of a stale plan. The messages come from the loader, which already keeps
 * secret values out of them; nothing else (no environment, no live state) is included.
 */
import { formatIssue, type ConfigIssue } from '../../errors.js';
import { PLAN_FORMAT_VERSION, type Plan } from '../types.js';
import { plural } from './format.js';
import type { PlanFormat } from './index.js';
import { MARKDOWN_LIMIT, MARKDOWN_MARKER, fenceFor, footer } from './markdown.js';

export interface ConfigErrorsReport {
  /** `configuration` for configuration errors, `usage` for a refused command line or setting. */
  kind: 'configuration' | 'usage';
  issues: readonly ConfigIssue[];
}

/** The commit and time of the attempt, as a plan carries them. */
export type ReportContext = Pick<Plan, 'planned_at' | 'commit'>;

export function renderConfigErrors(report: ConfigErrorsReport, format: PlanFormat, context: ReportContext = {}): string {
  if (format === 'json') return renderJson(report, context);
  if (format === 'markdown') return renderMarkdown(report, context);
  return renderText(report);
}

const title = (r: ConfigErrorsReport) =>
  r.kind === 'configuration' ? `Configuration invalid: ${plural(r.issues.length, 'error')}; nothing was planned.` : 'No plan: the command was refused.';

function renderText(r: ConfigErrorsReport): string {
  return `${title(r)}\n\n${r.issues.map((i) => `Error: ${formatIssue(i)}`).join('\n')}\n`;
}

function renderJson(r: ConfigErrorsReport, context: ReportContext): string {
  const errors = r.issues.map((i) => ({
    file: i.location?.file ?? null,
    line: i.location?.line ?? null,
    col: i.location?.col ?? null,
    path: i.path,
    message: i.message,
  }));
  const when = { ...(context.planned_at ? { planned_at: context.planned_at } : {}), ...(context.commit ? { commit: context.commit } : {}) };
  return `${JSON.stringify({ format_version: PLAN_FORMAT_VERSION, ...when, errors }, null, 2)}\n`;
}

/** Laid out as a plan comment is: the headline, one sentence, the errors in one fenced block (nothing in them is read as Markdown or HTML), the footer. */
function renderMarkdown(r: ConfigErrorsReport, context: ReportContext): string {
  const lines: string[] = [];
  let size = 0;
  for (const issue of r.issues) {
    const line = formatIssue(issue);
    // Stay well inside a comment's limit; the rest is one count away (and in the job's log).
    if (size + line.length > MARKDOWN_LIMIT - 1_000) {
      lines.push(`… and ${plural(r.issues.length - lines.length, 'more error')}`);
      break;
    }
    lines.push(line);
    size += line.length + 1;
  }
  const fence = fenceFor(lines);
  const headline = r.kind === 'configuration' ? '❌ configuration invalid' : '❌ command refused';
  const advice =
    r.kind === 'configuration'
      ? 'Fix the errors below and push again; `supasync validate -c <path>` shows the same errors locally.'
      : 'Nothing was planned; the error is below.';
  return [MARKDOWN_MARKER, `### supasync plan · ${headline}`, '', `**${title(r)}**`, '', advice, '', `${fence}text`, ...lines, fence, ...footer(context), ''].join('\n');
}
