/**
 * Which files a load reads: every `-c PATH`; a directory recursively (`*.yaml`, `*.yml`, sorted),
 * skipping hidden entries (`.git`, and the `..data` links of Kubernetes ConfigMap volumes, which
 * would otherwise make every file appear twice), `node_modules` directories (`validate -c .` in a
 * repository must not read its dependencies' YAML) and whatever a `.supasyncignore` lists. A path
 * given with `-c` is always read, whatever its name.
 *
 * A directory arrives through pull requests, so nothing in it may lead the walk elsewhere: a
 * symlink is followed only when its real path stays inside the `-c` directory (a ConfigMap's
 * `auth.yaml -> ..data/auth.yaml` does; `p -> /proc` does not), FIFOs, sockets and devices are
 * never opened, and every entry that cannot be used is one issue naming it, never a thrown error.
 */
import { dirname, join, relative, sep } from 'node:path';
import type { ConfigIssue } from '../errors.js';
import { trimTrailing } from '../trim.js';
import { nodeFs, type ConfigFs, type ConfigFsEntry, type ConfigFsStats } from './config-fs.js';
import { LIMITS, MIB } from './limits.js';
import type { ConfigRoot } from './includes.js';
import { errnoWords, fileKind } from './read-bounded.js';

export const IGNORE_FILE = '.supasyncignore';
const YAML_FILE = /\.ya?ml$/i;
/** Directories never walked into (given with `-c` they are read): installed dependencies, not configuration. */
const SKIPPED_DIRS: ReadonlySet<string> = new Set(['node_modules']);

const byPath = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const errnoCode = (err: unknown): string | undefined => (err as NodeJS.ErrnoException | undefined)?.code;

export interface Discovery {
  /** Files to read, as the user's paths spell them, deduplicated and sorted. */
  files: string[];
  /** Each file's `-c` directory (for a `-c` file, the directory holding it): where its includes may read. */
  roots: Map<string, Root>;
  issues: ConfigIssue[];
}

interface IgnoreList {
  dir: string;
  entries: Set<string>;
}

/**
 * `.supasyncignore`: one path per line, relative to the directory holding it (a file, or a directory
 * and all below it); `#` starts a comment line. Plain paths, no glob patterns.
 */
export function parseIgnoreFile(text: string): Set<string> {
  const entries = new Set<string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const entry = trimTrailing(line.replace(/\\/g, '/').replace(/^(\.\/)+/, ''), '/');
    if (entry) entries.add(entry);
  }
  return entries;
}

function ignoredBy(lists: readonly IgnoreList[], path: string): boolean {
  for (const list of lists) {
    if (list.entries.has(relative(list.dir, path).split(sep).join('/'))) return true;
  }
  return false;
}

/** A `-c` directory: what the user wrote, and its real path (symlinks must resolve below it). */
export type Root = ConfigRoot;

const inside = (root: Root, real: string): boolean => real === root.real || real.startsWith(root.real.endsWith(sep) ? root.real : root.real + sep);

/** What one directory entry is, after following a symlink that stays inside the root. */
type Entry =
  | { kind: 'dir'; real: string }
  | { kind: 'file'; real: string }
  | { kind: 'special'; what: string }
  | { kind: 'outside'; isDir: boolean }
  | { kind: 'dangling' }
  | { kind: 'error'; code: string | undefined };

async function classify(fs: ConfigFs, path: string, root: Root, known?: ConfigFsStats): Promise<Entry> {
  try {
    const own = known ?? (await fs.lstat(path));
    if (!own.isSymbolicLink()) {
      if (own.isDirectory()) return { kind: 'dir', real: await fs.realpath(path) };
      if (own.isFile()) return { kind: 'file', real: await fs.realpath(path) };
      return { kind: 'special', what: fileKind(own) };
    }
    let real: string;
    try {
      real = await fs.realpath(path);
    } catch (err) {
      return errnoCode(err) === 'ENOENT' ? { kind: 'dangling' } : { kind: 'error', code: errnoCode(err) };
    }
    // Outside the root: only its type is looked at (a directory out there is worth a word), never its content.
    if (!inside(root, real)) return { kind: 'outside', isDir: (await fs.stat(real).catch(() => undefined))?.isDirectory() ?? false };
    const target = await fs.stat(real);
    if (target.isDirectory()) return { kind: 'dir', real };
    if (target.isFile()) return { kind: 'file', real };
    return { kind: 'special', what: fileKind(target) };
  } catch (err) {
    return { kind: 'error', code: errnoCode(err) };
  }
}

class Walker {
  readonly found = new Map<string, { path: string; root: Root }>(); // real path → display path
  readonly issues: ConfigIssue[] = [];
  private readonly visitedDirs = new Set<string>();

  constructor(private readonly fs: ConfigFs) {}

  /** An issue about one entry, located at the entry itself. */
  private entryIssue(path: string, message: string): void {
    this.issues.push({ location: { file: path, line: 1, col: 1 }, path: '', message });
  }

  async addPath(path: string): Promise<void> {
    let kind: 'file' | 'dir' | 'other';
    let real: string;
    try {
      // A -c path is the operator's: it may itself be a symlink (a mounted volume) and is followed.
      const s = await this.fs.stat(path);
      kind = s.isDirectory() ? 'dir' : s.isFile() ? 'file' : 'other';
      real = await this.fs.realpath(path);
    } catch (err) {
      const code = errnoCode(err);
      const why = code === 'ENOENT' || code === 'ENOTDIR' ? 'no such file or directory' : `cannot be read (${errnoWords(code)})`;
      this.issues.push({ path: '', message: `${path}: ${why}` });
      return;
    }
    if (kind === 'dir') await this.walk(path, real, { given: path, real }, []);
    else if (kind === 'file') {
      const dir = dirname(path);
      let root: Root;
      try {
        root = { given: dir, real: await this.fs.realpath(dir) };
      } catch {
        root = { given: dir, real: dirname(real) };
      }
      this.addFile(path, real, root);
    }
    else this.issues.push({ path: '', message: `${path}: not a file or directory` });
  }

  private addFile(path: string, real: string, root: Root): void {
    if (!this.found.has(real)) this.found.set(real, { path, root });
  }

  /** The directory's `.supasyncignore`, read like any entry: inside the root, a regular file, bounded. */
  private async ignoreList(dir: string, root: Root): Promise<IgnoreList | undefined> {
    const file = join(dir, IGNORE_FILE);
    const entry = await classify(this.fs, file, root);
    if (entry.kind === 'dangling' || (entry.kind === 'error' && entry.code === 'ENOENT')) return undefined;
    if (entry.kind === 'dir') {
      this.entryIssue(file, 'not a regular file (a directory): not read');
      return undefined;
    }
    if (entry.kind !== 'file') {
      this.report(file, entry, root);
      return undefined;
    }
    const read = this.fs.readBounded(entry.real, LIMITS.fileBytes);
    if (read.ok) return { dir, entries: parseIgnoreFile(read.bytes.toString('utf8')) };
    if (read.reason === 'not-regular') this.entryIssue(file, `not a regular file (${read.kind}): not read`);
    else if (read.reason === 'too-large') this.entryIssue(file, `file is too large (at most ${LIMITS.fileBytes / MIB} MiB)`);
    else this.entryIssue(file, `cannot be read (${errnoWords(read.code)})`);
    return undefined;
  }

  private report(path: string, entry: Exclude<Entry, { kind: 'dir' | 'file' }>, root?: Root): void {
    switch (entry.kind) {
      case 'special':
        return this.entryIssue(path, `not a regular file (${entry.what}): not read`);
      case 'outside':
        return this.entryIssue(path, `a symbolic link to a path outside ${root?.given ?? 'the -c directory'}: not followed (give that path with its own -c)`);
      case 'dangling':
        return this.entryIssue(path, 'a symbolic link to nothing: not read');
      default:
        return this.entryIssue(path, `cannot be read (${errnoWords(entry.code)})`);
    }
  }

  private async walk(dir: string, real: string, root: Root, inherited: IgnoreList[]): Promise<void> {
    if (this.visitedDirs.has(real)) return; // a symlink cycle, or the same directory given twice
    this.visitedDirs.add(real);
    let entries: ConfigFsEntry[];
    try {
      entries = (await this.fs.readdir(dir)).sort((a, b) => byPath(a.name, b.name));
    } catch (err) {
      this.entryIssue(dir, `cannot be read (${errnoWords(errnoCode(err))})`);
      return;
    }
    const own = await this.ignoreList(dir, root);
    const lists = own ? [...inherited, own] : inherited;
    for (const dirent of entries) {
      if (dirent.name.startsWith('.')) continue;
      const path = join(dir, dirent.name);
      if (ignoredBy(lists, path)) continue;
      const isYaml = YAML_FILE.test(dirent.name);
      const entry = await classify(this.fs, path, root, dirent);
      if (entry.kind === 'dir') {
        if (!SKIPPED_DIRS.has(dirent.name)) await this.walk(path, entry.real, root, lists);
      } else if (entry.kind === 'file') {
        if (isYaml) this.addFile(path, entry.real, root);
      } else if (isYaml || entry.kind === 'error' || (entry.kind === 'outside' && entry.isDir)) {
        // What would never have been read (a FIFO named notes.txt, a link out to a file named so) is no problem.
        this.report(path, entry, root);
      }
    }
  }
}

export async function discoverConfigFiles(paths: readonly string[], fs: ConfigFs = nodeFs): Promise<Discovery> {
  const walker = new Walker(fs);
  for (const path of paths) await walker.addPath(path);
  const found = [...walker.found.values()];
  const files = found.map((f) => f.path).sort(byPath);
  const roots = new Map(found.map((f) => [f.path, f.root]));
  const issues = walker.issues;
  if (!issues.length && !files.length) {
    issues.push({ path: '', message: `no configuration files (*.yaml, *.yml) found in ${paths.join(', ')}` });
  }
  if (files.length > LIMITS.files) {
    issues.push({ path: '', message: `too many configuration files (${files.length}; at most ${LIMITS.files})` });
  }
  return { files, roots, issues };
}
