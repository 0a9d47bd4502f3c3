/**
 * The configuration as it is at a git revision, read from git's objects — never from the working
 * tree or the index, which are not touched — and offered as a ConfigFs, so that the same loader
 * discovers, limits and parses it. `git ls-tree` lists the revision's entries below the `-c` paths;
 * `git cat-file --batch` hands out the blobs the loader can read (configuration files,
 * `.supasyncignore`, symbolic links and what they lead to), within the loader's size caps, and
 * the files `${include:...}` references name when the loader asks for them (`prefetch`). The
 * revision comes from the command line and is passed after `--end-of-options`; every git call is
 * bounded in time and output. Symbolic links resolve within the listed paths only.
 */
import { spawn } from 'node:child_process';
import { realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, posix, relative, resolve, sep } from 'node:path';
import { UsageError } from '../errors.js';
import type { ConfigFs, ConfigFsEntry, ConfigFsStats } from './config-fs.js';
import { LIMITS } from './limits.js';
import type { BoundedRead } from './read-bounded.js';
import { printable } from './printable.js';

export const GIT_LIMITS = {
  /** Per git command, and per blob read. */
  timeoutMs: 30_000,
  /** Output of `git ls-tree` (the listing of the configuration paths). */
  listingBytes: 64 * 1024 * 1024,
  /** Characters of a revision given on the command line. */
  revisionLength: 256,
  /** Symbolic links followed in one path. */
  linkHops: 16,
} as const;

const GIT_ENV = { GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' };

interface GitResult {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

function firstLine(text: string): string {
  return printable(text.trim().split('\n')[0] ?? '').slice(0, 300);
}

/** Runs git to completion, bounded in time and output. */
function git(args: readonly string[], cwd: string, maxBytes = 1024 * 1024, input?: string): Promise<GitResult> {
  return new Promise((done, fail) => {
    const child = spawn('git', args, { cwd, env: { ...process.env, ...GIT_ENV }, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    if (input !== undefined) child.stdin!.end(input);
    const chunks: Buffer[] = [];
    let size = 0;
    let stderr = '';
    let overflow = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), GIT_LIMITS.timeoutMs);
    child.stdout!.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        overflow = true;
        child.kill('SIGKILL');
      } else chunks.push(chunk);
    });
    child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      if (stderr.length < 4096) stderr += d;
    });
    child.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      fail(err.code === 'ENOENT' ? new UsageError('--changed-since needs git, and git is not installed') : err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (overflow) return fail(new UsageError(`git ${args[0]}: output larger than ${maxBytes} bytes`));
      if (signal) return fail(new UsageError(`git ${args[0]}: no answer within ${GIT_LIMITS.timeoutMs / 1000} s`));
      done({ code, stdout: Buffer.concat(chunks), stderr });
    });
  });
}

/** `git cat-file --batch` output → blob contents by object id. */
function parseBatch(out: Buffer): Map<string, Buffer> {
  const blobs = new Map<string, Buffer>();
  let at = 0;
  while (at < out.length) {
    const eol = out.indexOf(0x0a, at);
    if (eol < 0) break;
    const [oid = '', type, sizeText] = out.subarray(at, eol).toString('latin1').split(' ');
    at = eol + 1;
    if (type !== 'blob') continue; // "<oid> missing"
    const size = Number(sizeText);
    blobs.set(oid, out.subarray(at, at + size));
    at += size + 1;
  }
  return blobs;
}

interface TreeEntry {
  kind: 'file' | 'dir' | 'link' | 'other';
  oid: string;
  size: number;
}

const errno = (code: string, path: string): NodeJS.ErrnoException =>
  Object.assign(new Error(`${code}: ${path} (at the base revision)`), { code });

/** What `ls-tree -r -t -l -z` printed: path → entry, and each directory's children. */
class RevisionTree {
  readonly entries = new Map<string, TreeEntry>([['', { kind: 'dir', oid: '', size: 0 }]]);
  readonly children = new Map<string, Map<string, TreeEntry>>([['', new Map()]]);

  add(path: string, entry: TreeEntry): void {
    this.entries.set(path, entry);
    if (entry.kind === 'dir' && !this.children.has(path)) this.children.set(path, new Map());
    // Parents first appear as themselves; make sure each is a directory holding its child.
    let child = path;
    let childEntry = entry;
    while (child !== '') {
      const parent = posix.dirname(child) === '.' ? '' : posix.dirname(child);
      if (!this.entries.has(parent)) this.entries.set(parent, { kind: 'dir', oid: '', size: 0 });
      let siblings = this.children.get(parent);
      if (!siblings) this.children.set(parent, (siblings = new Map()));
      const name = posix.basename(child);
      if (siblings.has(name)) break;
      siblings.set(name, childEntry);
      child = parent;
      childEntry = this.entries.get(parent)!;
    }
  }
}

function parseListing(out: Buffer): RevisionTree {
  const tree = new RevisionTree();
  for (const record of out.toString('utf8').split('\0')) {
    if (!record) continue;
    const tab = record.indexOf('\t');
    const [mode = '', type = '', oid = '', size = ''] = record.slice(0, tab).split(/ +/);
    const path = record.slice(tab + 1);
    const kind = type === 'tree' ? 'dir' : type !== 'blob' ? 'other' : mode === '120000' ? 'link' : 'file';
    tree.add(path, { kind, oid, size: Number(size) || 0 });
  }
  return tree;
}

export interface GitRevision {
  /** The revision as given. */
  revision: string;
  /** The commit it names (full object id). */
  commit: string;
  /** The repository's top directory. */
  top: string;
  /** The configuration files as they are at the revision. */
  fs: ConfigFs;
  /** Whether a `-c` path exists at the revision. */
  has(path: string): Promise<boolean>;
}

function realish(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    // Not in the working tree any more (deleted): its nearest existing parent, resolved, plus the rest.
    const parent = dirname(path);
    return parent === path ? path : resolve(realish(parent), relative(parent, path));
  }
}

function existingDir(path: string): string {
  let dir = resolve(path);
  for (;;) {
    try {
      if (statSync(dir).isDirectory()) return dir;
    } catch {
      // keep going up
    }
    const parent = dirname(dir);
    if (parent === dir) return dir;
    dir = parent;
  }
}

export function checkRevisionText(revision: string): void {
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  if (!revision || revision.length > GIT_LIMITS.revisionLength || revision.startsWith('-') || /[\s\u0000-\u001f\u007f]/.test(revision)) {
    throw new UsageError(`--changed-since: "${printable(revision.slice(0, 80))}" is not a git revision`);
  }
}

export async function openGitRevision(configPaths: readonly string[], revision: string): Promise<GitRevision> {
  checkRevisionText(revision);
  const anchor = existingDir(configPaths[0] ?? '.');
  // Both questions at once (git finds the repository from the directory either way).
  const [topResult, verified] = await Promise.all([
    git(['rev-parse', '--show-toplevel'], anchor),
    git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${revision}^{commit}`], anchor),
  ]);
  if (topResult.code !== 0) {
    throw new UsageError(`--changed-since: ${configPaths[0]} is not in a git repository (git: ${firstLine(topResult.stderr)})`);
  }
  const top = realish(topResult.stdout.toString('utf8').trim());
  if (verified.code !== 0) {
    throw new UsageError(
      `--changed-since ${printable(revision)}: no such commit in the repository at ${top} (a shallow clone lacks history: fetch it, e.g. actions/checkout with fetch-depth: 0)`,
    );
  }
  const commit = verified.stdout.toString('utf8').trim();

  // Each -c path, lexically and resolved, and its path inside the repository.
  const mapped = configPaths.map((given) => {
    const lexical = resolve(given);
    const rel = relative(top, realish(lexical));
    if (rel.startsWith('..') || isAbsolute(rel)) throw new UsageError(`--changed-since: ${given} is outside the git repository at ${top}`);
    return { lexical, rel: rel.split(sep).join('/') };
  });
  const pathspecs = mapped.some((m) => m.rel === '') ? [] : [...new Set(mapped.map((m) => m.rel))];
  const listing = await git(
    ['--literal-pathspecs', 'ls-tree', '-r', '-t', '-l', '-z', '--full-tree', commit, '--', ...pathspecs],
    top,
    GIT_LIMITS.listingBytes,
  );
  if (listing.code !== 0) throw new UsageError(`--changed-since: git ls-tree failed (${firstLine(listing.stderr)})`);
  const tree = parseListing(listing.stdout);
  const blobs = new Map<string, Buffer>();
  /** Fetches blobs in one `cat-file --batch`, within the caps (beyond them the loader refuses anyway). */
  const fetch = async (entries: readonly TreeEntry[]): Promise<void> => {
    const wanted = [...new Set(entries.filter((e) => !blobs.has(e.oid)).map((e) => e.oid))];
    if (!wanted.length) return;
    const bytes = entries.reduce((n, e) => n + e.size, 0);
    const batch = await git(['cat-file', '--batch'], top, bytes + wanted.length * 64 + 1024, `${wanted.join('\n')}\n`);
    if (batch.code !== 0) throw new UsageError(`--changed-since: git cat-file failed (${firstLine(batch.stderr)})`);
    for (const [oid, content] of parseBatch(batch.stdout)) blobs.set(oid, content);
  };
  const readable = (path: string, e: TreeEntry) =>
    (e.kind === 'file' && e.size <= LIMITS.fileBytes && /(^|\/)(\.supasyncignore|[^/]*\.ya?ml)$/i.test(path)) ||
    (e.kind === 'link' && e.size <= 4096);
  const first: TreeEntry[] = [];
  let total = 0;
  for (const [path, entry] of tree.entries) {
    if (!readable(path, entry)) continue;
    if (entry.kind === 'file' && (total += entry.size) > LIMITS.totalBytes) continue;
    first.push(entry);
  }
  await fetch(first);

  /** A path as the loader spells it → its path inside the repository; undefined outside of it. */
  const repoPath = (path: string): string | undefined => {
    const abs = resolve(path);
    for (const m of mapped) {
      if (abs === m.lexical) return m.rel;
      if (abs.startsWith(m.lexical + sep)) return posix.join(m.rel, abs.slice(m.lexical.length + 1).split(sep).join('/'));
    }
    const rel = relative(top, abs);
    return rel.startsWith('..') || isAbsolute(rel) ? undefined : rel.split(sep).join('/');
  };

  /** Resolves symbolic links (within the listing) along a repository path; `followLast: false` is lstat's. */
  const lookup = (path: string, given: string, followLast = true): { path: string; entry: TreeEntry } => {
    let segments = path === '' ? [] : path.split('/');
    let hops = 0;
    for (let i = 0; i <= segments.length; i++) {
      const current = segments.slice(0, i).join('/');
      const entry = tree.entries.get(current);
      if (!entry) throw errno('ENOENT', given);
      if (entry.kind !== 'link' || (i === segments.length && !followLast)) continue;
      if (++hops > GIT_LIMITS.linkHops) throw errno('ELOOP', given);
      const target = blobs.get(entry.oid)?.toString('utf8');
      if (target === undefined || isAbsolute(target)) throw errno('ENOENT', given);
      const joined = posix.normalize(posix.join(posix.dirname(current), target));
      if (joined === '..' || joined.startsWith('../')) throw errno('ENOENT', given);
      segments = [...(joined === '.' ? [] : joined.split('/')), ...segments.slice(i)];
      i = -1; // walk the new path from the top
    }
    const final = segments.join('/');
    return { path: final, entry: tree.entries.get(final)! };
  };

  // What symbolic links lead to, when it is a file not fetched yet (a link's target need not be named *.yaml).
  for (let round = 0; round < GIT_LIMITS.linkHops; round++) {
    const targets: TreeEntry[] = [];
    for (const [path, entry] of tree.entries) {
      if (entry.kind !== 'link') continue;
      try {
        const { entry: target } = lookup(path, path);
        if (target.kind === 'file' && target.size <= LIMITS.fileBytes && !blobs.has(target.oid)) targets.push(target);
      } catch {
        // dangling, a loop, or out of the listing: the loader reports it when it meets it
      }
    }
    if (!targets.length) break;
    await fetch(targets);
  }

  const resolved = (path: string, followLast = true) => {
    const rel = repoPath(path);
    if (rel === undefined) throw errno('ENOENT', path);
    return lookup(rel, path, followLast);
  };
  const statsOf = (entry: TreeEntry): ConfigFsStats => ({
    isFile: () => entry.kind === 'file',
    isDirectory: () => entry.kind === 'dir',
    isSymbolicLink: () => entry.kind === 'link',
    isFIFO: () => false,
    isSocket: () => false,
    isCharacterDevice: () => false,
    isBlockDevice: () => false,
  });

  const fs: ConfigFs = {
    stat: async (path) => statsOf(resolved(path).entry),
    lstat: async (path) => statsOf(resolved(path, false).entry),
    realpath: async (path) => posix.join(top, resolved(path).path),
    async readdir(dir): Promise<ConfigFsEntry[]> {
      const { path, entry } = resolved(dir);
      if (entry.kind !== 'dir') throw errno('ENOTDIR', dir);
      return [...(tree.children.get(path) ?? new Map<string, TreeEntry>())].map(([name, e]) => ({ name, ...statsOf(e) }));
    },
    async prefetch(paths, maxBytes) {
      const wanted: TreeEntry[] = [];
      for (const path of paths) {
        try {
          const { entry } = resolved(path);
          if (entry.kind === 'file' && entry.size <= maxBytes) wanted.push(entry);
        } catch {
          // not at the revision: readBounded says so
        }
      }
      await fetch(wanted);
    },
    readBounded(path, maxBytes): BoundedRead {
      let entry: TreeEntry;
      try {
        entry = resolved(path).entry;
      } catch (err) {
        return { ok: false, reason: 'error', code: (err as NodeJS.ErrnoException).code };
      }
      if (entry.kind !== 'file') return { ok: false, reason: 'not-regular', kind: entry.kind === 'dir' ? 'a directory' : 'a special file' };
      if (entry.size > maxBytes) return { ok: false, reason: 'too-large', size: entry.size };
      const bytes = blobs.get(entry.oid);
      // Not fetched: beyond the total cap, which the loader's budget enforces with its own message.
      return bytes ? { ok: true, bytes } : { ok: false, reason: 'too-large', size: entry.size };
    },
  };
  return {
    revision,
    commit,
    top,
    fs,
    has: async (path) => {
      try {
        resolved(path);
        return true;
      } catch {
        return false;
      }
    },
  };
}
