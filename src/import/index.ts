/**
 * `supasync import`: the official CLI's supabase/config.toml → supasync YAML that holds what
 * `supabase config push` sends for it, so that a plan of the imported YAML against a project the
 * CLI pushed to shows no changes. Pure of output: returns the files and the report; the command
 * (src/commands/import.ts) checks, writes and prints them.
 */
import { dirname, join } from 'node:path';
import { readBounded } from '../config/read-bounded.js';
import { ConfigError, UsageError, type ConfigIssue } from '../errors.js';
import { checkOutput, type OutFile } from './check.js';
import { convert } from './convert.js';
import { includedFiles, includeReferencePath, placeIncludes, type PlacedFile } from './includes.js';
import { layout, type OutDocument } from './layout.js';
import { Reference, type Converted, type Note } from './model.js';
import { baseOf, readRemotes } from './remotes.js';
import { renderDocument } from './render.js';
import { locate, readTomlFile } from './toml-file.js';

const REF = /^[a-z]{20}$/;

export interface ImportOptions {
  /** The config.toml. */
  file: string;
  /** The project the base config is for (default: the one `supabase link` recorded). */
  project?: string;
  /** The output directory; stdout when absent (the YAML is then taken to be saved in `cwd`). */
  out?: string;
  cwd: string;
}

export interface ImportedVariable {
  name: string;
  /** The section field, `auth.smtp_pass`. */
  field: string;
  /** The config.toml key it comes from. */
  tomlPath: string;
  source: Reference['source'];
}

export interface ImportResult {
  docs: OutDocument[];
  files: OutFile[];
  /** Included files: copies to write, and those referenced in place. */
  includes: PlacedFile[];
  notes: Note[];
  variables: ImportedVariable[];
  /** Lines worth knowing (the ref used, a pooler imported although config push never sends it). */
  info: string[];
}

/** The ref `supabase link` wrote next to config.toml (supabase/.temp/project-ref), if any. */
function linkedRef(file: string): string | undefined {
  const read = readBounded(join(dirname(file), '.temp', 'project-ref'), 64);
  if (!read.ok) return undefined;
  const ref = read.bytes.toString('utf8').trim();
  return REF.test(ref) ? ref : undefined;
}

function collectVariables(docs: readonly OutDocument[]): ImportedVariable[] {
  const found = new Map<string, ImportedVariable>();
  const visit = (value: unknown): void => {
    if (value instanceof Reference) {
      const name = value.name ?? '';
      if (!found.has(name)) found.set(name, { name, field: value.field, tomlPath: value.tomlPath, source: value.source });
    } else if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') Object.values(value).forEach(visit);
  };
  for (const doc of docs) visit(doc.sections);
  return [...found.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
}

function uniqueIssues(issues: ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = JSON.stringify(i);
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

export async function importConfig(opts: ImportOptions): Promise<ImportResult> {
  if (opts.project !== undefined && !REF.test(opts.project)) throw new UsageError(`--project ${opts.project}: a project ref is 20 lowercase letters`);
  const toml = readTomlFile(opts.file);
  const at = (path: string) => locate(toml, path);
  const ref = opts.project ?? linkedRef(opts.file);
  const info: string[] = [];
  if (!opts.project && ref) info.push(`project ${ref}: the project supabase link recorded (supabase/.temp/project-ref)`);

  const { remotes, issues } = readRemotes(toml.root, at);
  const base = convert({ toml: baseOf(toml.root), file: opts.file, sourceOf: (p) => p, locate: at });
  const converted: Array<{ name?: string; ref: string; result: Converted }> = remotes.map((remote) => {
    const own = [...remote.own];
    const fromRemote = (p: string) => own.some((o) => o === p || o.startsWith(`${p}.`) || p.startsWith(`${o}.`));
    const sourceOf = (p: string) => (fromRemote(p) ? `remotes.${remote.name}.${p}` : p);
    return { name: remote.name, ref: remote.ref, result: convert({ toml: remote.toml, file: opts.file, sourceOf, locate: at }) };
  });
  issues.push(...base.issues, ...converted.flatMap((c) => c.result.issues));
  if (issues.length) throw new ConfigError(uniqueIssues(issues));
  if (!remotes.length && !ref) {
    throw new UsageError(
      `${opts.file} names no project: pass --project REF (the project_id in config.toml is a local name, not a project ref), or add [remotes.<name>] tables`,
    );
  }

  const projectId = (toml.root as Record<string, unknown>).project_id;
  const docs = layout({
    name: typeof projectId === 'string' ? projectId : 'supabase',
    base: { ...(ref ? { ref } : {}), sections: base.sections, provenance: base.provenance },
    remotes: converted.map((c) => ({ name: c.name!, ref: c.ref, sections: c.result.sections, provenance: c.result.provenance })),
  });
  if (docs.some((d) => d.sections.pooler)) {
    info.push('pooler: imported from [db.pooler] (enabled = true); supabase config push never sends it, so a first plan may show pooler changes');
  }

  const root = opts.out ?? opts.cwd;
  const { placed, issues: includeIssues } = placeIncludes(includedFiles(docs), root, opts.out !== undefined, at);
  if (includeIssues.length) throw new ConfigError(uniqueIssues(includeIssues));

  const source = opts.file;
  // On stdout every document goes into one stream, taken to be saved in the current directory.
  const rendered = docs.map((doc) => {
    const path = opts.out ? doc.path : 'supasync.yaml';
    return { path, doc, text: renderDocument(doc, { source, includePath: (f) => includeReferencePath(placed, path, f) }) };
  });
  const files: OutFile[] = opts.out ? rendered.map(({ path, text }) => ({ path, text })) : [{ path: 'supasync.yaml', text: rendered.map((r) => r.text).join('---\n') }];
  const includes = [...placed.values()];
  // Checked one file per document (their texts are the stream's parts), so a problem maps back to its document.
  await checkOutput(
    rendered.map((r, n) => ({ path: opts.out ? r.path : `document-${n + 1}.yaml`, text: r.text, doc: r.doc })),
    includes.map((p) => ({ path: p.path, bytes: p.bytes })),
    at,
  );

  const notes = new Map<string, Note>();
  for (const note of [...base.notes, ...converted.flatMap((c) => c.result.notes)]) notes.set(`${note.path}\u0000${note.reason}`, note);
  return { docs, files, includes, notes: [...notes.values()], variables: collectVariables(docs), info };
}
