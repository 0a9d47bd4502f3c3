/**
 * Where the email templates of an import go. An `${include:PATH}` must stay below the `-c`
 * directory supasync is run on, so with `--out DIR` a template already below DIR is referenced in
 * place, and one elsewhere (usually `supabase/templates/`) is copied to `DIR/email-templates/` —
 * the output directory is then complete by itself. On stdout, the YAML is taken to be saved in the
 * current directory: templates are referenced in place and must lie below it.
 */
import { basename, isAbsolute, posix, relative, sep } from 'node:path';
import { realpathSync } from 'node:fs';
import { LIMITS, MIB } from '../config/limits.js';
import { errnoWords, readBounded } from '../config/read-bounded.js';
import { decodeUtf8 } from '../config/text.js';
import type { ConfigIssue } from '../errors.js';
import { UsageError } from '../errors.js';
import type { OutDocument } from './layout.js';
import { Included } from './model.js';

export const COPY_DIR = 'email-templates';

export interface PlacedFile {
  /** The file the CLI reads (absolute). */
  source: string;
  /** Where the YAML references it, relative to the output root (posix separators). */
  path: string;
  /** Whether the import writes it there (a copy) or it is already there. */
  copy: boolean;
  text: string;
  bytes: Buffer;
}

export function includedFiles(docs: readonly OutDocument[]): Included[] {
  const found = new Map<string, Included>();
  const visit = (value: unknown): void => {
    if (value instanceof Included) {
      if (!found.has(value.file)) found.set(value.file, value);
    } else if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') Object.values(value).forEach(visit);
  };
  for (const doc of docs) visit(doc.sections);
  return [...found.values()];
}

const toPosix = (path: string): string => path.split(sep).join('/');
const insideRoot = (rel: string): boolean => rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);

function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/**
 * Reads every included file (bounded, regular, UTF-8: problems located at its content_path key) and
 * decides where it goes. `root` is the output directory, or the current directory for stdout.
 */
export function placeIncludes(
  included: readonly Included[],
  root: string,
  copyOutside: boolean,
  locate: (path: string) => ConfigIssue['location'],
): { placed: Map<string, PlacedFile>; issues: ConfigIssue[] } {
  const placed = new Map<string, PlacedFile>();
  const issues: ConfigIssue[] = [];
  const realRoot = realOrSelf(root);
  const taken = new Set<string>();
  for (const inc of included) {
    const issue = (message: string) => issues.push({ location: locate(inc.tomlPath), path: inc.tomlPath, message });
    const read = readBounded(inc.file, LIMITS.includeFileBytes);
    if (!read.ok) {
      if (read.reason === 'not-regular') issue(`not a regular file (${read.kind})`);
      else if (read.reason === 'too-large') issue(`the file is too large (at most ${LIMITS.includeFileBytes / MIB} MiB)`);
      else issue(`cannot read the file (${errnoWords(read.code)})`);
      continue;
    }
    const decoded = decodeUtf8(read.bytes);
    if (!decoded.ok || read.bytes.includes(0)) {
      issue('not a UTF-8 text file');
      continue;
    }
    const rel = toPosix(relative(realRoot, realOrSelf(inc.file)));
    let path: string;
    let copy = false;
    if (insideRoot(rel)) {
      path = rel;
    } else if (copyOutside) {
      const name = basename(inc.file);
      const dot = name.lastIndexOf('.');
      const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
      path = `${COPY_DIR}/${name}`;
      for (let n = 2; taken.has(path); n++) path = `${COPY_DIR}/${stem}-${n}${ext}`;
      copy = true;
    } else {
      throw new UsageError(
        `${inc.tomlPath}: the template is outside the current directory, where the YAML on stdout is taken to be saved; use --out DIR (templates are then copied next to the YAML)`,
      );
    }
    taken.add(path);
    placed.set(inc.file, { source: inc.file, path, copy, text: decoded.ok ? decoded.text : '', bytes: read.bytes });
  }
  return { placed, issues };
}

/** The reference text of an included file as written in the document at `docPath`. */
export function includeReferencePath(placed: ReadonlyMap<string, PlacedFile>, docPath: string, file: string): string {
  const target = placed.get(file)?.path ?? file;
  return posix.relative(posix.dirname(docPath), target) || target;
}
