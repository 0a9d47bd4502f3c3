/**
 * What `plan --out` writes when there is no plan because the configuration (or the command line) is
 * invalid: the located errors, in the format asked for, so that a pull-request comment shows why the
 * check is red instead of a stale plan. The messages come from the loader, which already keeps
 * secret values out of them; nothing else (no environment, no live state) is included.
 */
import { formatIssue, type ConfigIssue } from '../../errors.js';
import { PLAN_FORMAT_VERSION } from '../types.js';
import type { PlanFormat } from './index.js';
import { MARKDOWN_LIMIT, MARKDOWN_MARKER } from './markdown.js';

export interface ConfigErrorsReport {
  /** `configuration` for configuration errors, `usage` for a refused command line or setting. */
  kind: 'configuration' | 'usage';
  issues: readonly ConfigIssue[];
}

export function renderConfigErrors(report: ConfigErrorsReport, format: PlanFormat): string {
  if (format === 'json') return renderJson(report);
  if (format === 'markdown') return renderMarkdown(report);
  return renderText(report);
}

const title = (r: ConfigErrorsReport) =>
  r.kind === 'configuration' ? `Configuration invalid: ${r.issues.length} error(s); nothing was planned.` : 'No plan: the command was refused.';

function renderText(r: ConfigErrorsReport): string {
  return `${title(r)}\n\n${r.issues.map((i) => `Error: ${formatIssue(i)}`).join('\n')}\n`;
}

function renderJson(r: ConfigErrorsReport): string {
  const errors = r.issues.map((i) => ({
    file: i.location?.file ?? null,
    line: i.location?.line ?? null,
    col: i.location?.col ?? null,
    path: i.path,
    message: i.message,
  }));
  return `${JSON.stringify({ format_version: PLAN_FORMAT_VERSION, errors }, null, 2)}\n`;
}

/** The errors in one fenced block: nothing in them is read as Markdown or HTML. */
function renderMarkdown(r: ConfigErrorsReport): string {
  const lines: string[] = [];
  let size = 0;
  for (const issue of r.issues) {
    const line = formatIssue(issue);
    // Stay well inside a comment's limit; the rest is one count away (and in the job's log).
    if (size + line.length > MARKDOWN_LIMIT - 1_000) {
      lines.push(`… and ${r.issues.length - lines.length} more error(s)`);
      break;
    }
    lines.push(line);
    size += line.length + 1;
  }
  const longestRun = Math.max(2, ...lines.map((l) => Math.max(0, ...(l.match(/`+/g) ?? []).map((m) => m.length))));
  const fence = '`'.repeat(longestRun + 1);
  return [
    MARKDOWN_MARKER,
    '### supasync plan',
    '',
    `**❌ ${title(r)}**`,
    '',
    `${fence}text`,
    ...lines,
    fence,
    '',
  ].join('\n');
}
