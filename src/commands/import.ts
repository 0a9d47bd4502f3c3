/**
 * `supasync import FILE.toml [--project REF] [--out DIR] [--force]`: the official CLI's
 * supabase/config.toml → supasync YAML (src/import/). With `--out DIR` the files are written there,
 * each atomically as a new file never through a symlink (./out-file.ts), and existing files are
 * refused unless `--force`; without it the YAML goes to stdout. Either way the report — keys not
 * imported and why, variables to set — goes to stderr, and nothing is written unless the YAML loads.
 */
import { lstatSync, mkdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { ExitCode, UsageError } from '../errors.js';
import { importConfig } from '../import/index.js';
import { notesReport, variablesReport } from '../import/report.js';
import { writeOutFile } from './out-file.js';

export interface ImportCommandOptions {
  project?: string;
  out?: string;
  force?: boolean;
}

/** Makes `dir` (below `root`) a real directory: never one reached through a symbolic link. */
function ensureDirectory(root: string, dir: string): void {
  let current = root;
  for (const part of relative(root, dir).split(/[\\/]/).filter(Boolean)) {
    current = join(current, part);
    let stat;
    try {
      stat = lstatSync(current);
    } catch {
      mkdirSync(current);
      continue;
    }
    if (stat.isSymbolicLink() || !stat.isDirectory()) throw new UsageError(`--out: ${current} is not a directory (a symbolic link or a file); nothing written`);
  }
}

function existing(paths: readonly string[]): string[] {
  return paths.filter((p) => {
    try {
      lstatSync(p);
      return true;
    } catch {
      return false;
    }
  });
}

export async function importCommand(file: string, opts: ImportCommandOptions): Promise<ExitCode> {
  if (opts.out !== undefined && opts.out.trim() === '') throw new UsageError('--out: empty path');
  const result = await importConfig({ file, project: opts.project, out: opts.out, cwd: process.cwd() });
  const written: string[] = [];
  if (opts.out) {
    const out = opts.out;
    const targets = [...result.files.map((f) => f.path), ...result.includes.filter((i) => i.copy).map((i) => i.path)].map((p) => join(out, ...p.split('/')));
    const present = existing(targets);
    if (present.length && !opts.force) {
      throw new UsageError(`--out ${out}: would replace ${present.join(', ')}; nothing written (use --force to replace them)`);
    }
    mkdirSync(out, { recursive: true });
    for (const target of targets) ensureDirectory(out, dirname(target));
    for (const f of result.files) {
      await writeOutFile(join(out, ...f.path.split('/')), f.text);
      written.push(join(out, ...f.path.split('/')));
    }
    for (const copy of result.includes.filter((i) => i.copy)) {
      await writeOutFile(join(out, ...copy.path.split('/')), copy.text);
      written.push(`${join(out, ...copy.path.split('/'))} (a copy of ${relative(process.cwd(), copy.source) || copy.source})`);
    }
  } else {
    process.stdout.write(result.files[0]!.text);
  }
  const projects = result.docs.filter((d) => d.kind === 'project').map((d) => d.id);
  const templates = result.docs.filter((d) => d.kind === 'template').map((d) => d.id);
  let report = `Imported ${file}: ${projects.length} project${projects.length === 1 ? '' : 's'} (${projects.join(', ')})`;
  report += templates.length ? ` on template ${templates.join(', ')}.\n` : '.\n';
  report += written.map((w) => `Wrote ${w}\n`).join('');
  report += result.info.map((i) => `Note: ${i}\n`).join('');
  report += notesReport(result.notes);
  report += variablesReport(result.variables);
  process.stderr.write(report);
  return ExitCode.ok;
}
