/**
 * Which files a load reads: every `-c PATH`; a directory recursively (`*.yaml`, `*.yml`, sorted),
 * skipping hidden entries (`.git`, and the `..data` links of Kubernetes ConfigMap volumes, which
 * would otherwise make every file appear twice) and whatever a `.supasyncignore` lists.
 */
import type { Dirent } from 'node:fs';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { ConfigIssue } from '../errors.js';
import { LIMITS } from './limits.js';

export const IGNORE_FILE = '.supasyncignore';
const YAML_FILE = /\.ya?ml$/i;

const byPath = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export interface Discovery {
  /** Files to read, as the user's paths spell them, deduplicated and sorted. */
  files: string[];
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
    const entry = line.replace(/\\/g, '/').replace(/^(\.\/)+/, '').replace(/\/+$/, '');
    if (entry) entries.add(entry);
  }
  return entries;
}

async function loadIgnoreList(dir: string): Promise<IgnoreList | undefined> {
  const file = join(dir, IGNORE_FILE);
  try {
    const entries = parseIgnoreFile(await readFile(file, 'utf8'));
    return { dir, entries };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

function ignoredBy(lists: readonly IgnoreList[], path: string): boolean {
  for (const list of lists) {
    if (list.entries.has(relative(list.dir, path).split(sep).join('/'))) return true;
  }
  return false;
}

class Walker {
  readonly found = new Map<string, string>(); // real path → display path
  readonly issues: ConfigIssue[] = [];
  private readonly visitedDirs = new Set<string>();

  async addPath(path: string): Promise<void> {
    let kind: 'file' | 'dir' | 'other';
    try {
      const s = await stat(path);
      kind = s.isDirectory() ? 'dir' : s.isFile() ? 'file' : 'other';
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' || code === 'ENOTDIR' ? 'no such file or directory' : `cannot be read (${code ?? 'error'})`;
      this.issues.push({ path: '', message: `${path}: ${why}` });
      return;
    }
    if (kind === 'dir') await this.walk(path, []);
    else if (kind === 'file') await this.addFile(path);
    else this.issues.push({ path: '', message: `${path}: not a file or directory` });
  }

  private async addFile(path: string): Promise<void> {
    const real = await realpath(path);
    if (!this.found.has(real)) this.found.set(real, path);
  }

  private async walk(dir: string, inherited: IgnoreList[]): Promise<void> {
    const real = await realpath(dir);
    if (this.visitedDirs.has(real)) return; // a symlink cycle, or the same directory given twice
    this.visitedDirs.add(real);
    let own: IgnoreList | undefined;
    let entries: Dirent[];
    try {
      own = await loadIgnoreList(dir);
      entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => byPath(a.name, b.name));
    } catch (err) {
      this.issues.push({ path: '', message: `${dir}: cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})` });
      return;
    }
    const lists = own ? [...inherited, own] : inherited;
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (ignoredBy(lists, path)) continue;
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        const target = await stat(path).catch(() => undefined);
        isDir = target?.isDirectory() ?? false;
        isFile = target?.isFile() ?? false;
      }
      if (isDir) await this.walk(path, lists);
      else if (isFile && YAML_FILE.test(entry.name)) await this.addFile(path);
    }
  }
}

export async function discoverConfigFiles(paths: readonly string[]): Promise<Discovery> {
  const walker = new Walker();
  for (const path of paths) await walker.addPath(path);
  const files = [...walker.found.values()].sort(byPath);
  const issues = walker.issues;
  if (!issues.length && !files.length) {
    issues.push({ path: '', message: `no configuration files (*.yaml, *.yml) found in ${paths.join(', ')}` });
  }
  if (files.length > LIMITS.files) {
    issues.push({ path: '', message: `too many configuration files (${files.length}; at most ${LIMITS.files})` });
  }
  return { files, issues };
}
