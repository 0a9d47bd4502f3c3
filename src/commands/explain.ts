/**
 * `supasync explain --project REF`: the project's effective desired state (templates, variables
 * and its own documents merged), every key with where its value came from. Contacts nothing.
 */
import { explainProject, SENSITIVE, type Explained, type ExplainedOrigin, type ExplainedValue } from '../config/explain.js';
import { escapeHidden } from '../config/printable.js';
import { ExitCode } from '../errors.js';
import { loadProjects } from '../reconcile/selection.js';

export type ExplainFormat = 'text' | 'yaml' | 'json';

export interface ExplainOptions {
  config: string[];
  secretsDir?: string[];
  project: string;
  format: ExplainFormat;
}

/** Values print as JSON would (strings quoted), with invisible characters shown. */
const show = (v: ExplainedValue): string => (v.sensitive ? SENSITIVE : escapeHidden(JSON.stringify(v.value) ?? 'null'));

export function describeExplainedOrigin(o: ExplainedOrigin | undefined): string {
  if (!o) return 'default';
  const via = o.via?.length ? ` via ${o.via.join(' → ')}` : '';
  return `from ${o.file}:${o.line}:${o.col}${o.template === undefined ? '' : ` (template ${o.template}${via})`}`;
}

/** Entries as `key: value` with the origin aligned after them (up to a width, then one space apart). */
function block(entries: Array<[string, string]>): string[] {
  const width = Math.min(48, Math.max(0, ...entries.map(([left]) => left.length)));
  return entries.map(([left, origin]) => `  ${left.padEnd(width)}  # ${origin}`);
}

export function renderExplainText(e: Explained): string {
  const out = [`Project ${e.project} (${describeExplainedOrigin(e.declared_at).slice('from '.length)})`];
  out.push(e.templates.length ? `Layers: ${[...e.templates.map((t) => `template ${t}`), 'the project'].join(' → ')}` : 'Layers: the project only');
  for (const [name, keys] of Object.entries(e.sections)) {
    out.push('', name);
    out.push(...block(Object.entries(keys).map(([key, v]) => [`${key}: ${show(v)}`, describeExplainedOrigin(v.origin)])));
  }
  if (e.allow_risky.length) {
    out.push('', 'allow_risky');
    out.push(...block(e.allow_risky.map((a) => [a.key, describeExplainedOrigin(a.origin)])));
  }
  const vars = Object.entries(e.vars);
  if (vars.length) {
    out.push('', 'vars (as written)');
    out.push(...block(vars.map(([name, v]) => [`${name}: ${show(v)}`, describeExplainedOrigin(v.origin)])));
  }
  return `${out.join('\n')}\n`;
}

export async function renderExplain(e: Explained, format: ExplainFormat): Promise<string> {
  if (format === 'json') return `${JSON.stringify(e, null, 2)}\n`;
  if (format === 'yaml') {
    const { stringify } = await import('yaml');
    return stringify(e, { lineWidth: 0 });
  }
  return renderExplainText(e);
}

export async function explainCommand(opts: ExplainOptions): Promise<ExitCode> {
  const desired = await loadProjects({ config: opts.config, secretsDir: opts.secretsDir, project: [opts.project] });
  for (const warning of desired.warnings) process.stderr.write(`Warning: ${warning}\n`);
  // Masked by position already; redaction of every known secret value is the second line of defence.
  process.stdout.write(desired.sensitive.redact(await renderExplain(explainProject(desired.projects[0]!), opts.format)));
  return ExitCode.ok;
}
