/**
 * A cheap fingerprint of what the configuration is read from: the path, size, modification time and
 * inode of every file below the configuration paths and the `--secrets-dir` directories. Each sweep
 * compares it before reloading, so that a fleet of a thousand files is parsed again only when
 * something on disk changed — the watcher reloads at once anyway; this is the safety net that does
 * not depend on it. Undefined when it cannot tell (an error, too many entries): then the
 * configuration is simply reloaded.
 *
 * Symlinks are followed only while they stay inside the root they were found under (Kubernetes'
 * `..data` swap stays inside its volume); one that leads out (`p -> /proc`) counts as the link
 * itself, never walked — the loader refuses it anyway. Only `stat` is used: nothing is opened.
 */
import { createHash } from 'node:crypto';
import { lstat, readdir, readlink, realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';

/** More entries than any sane configuration: beyond this, just reload. */
const MAX_ENTRIES = 100_000;

export async function configFingerprint(roots: readonly string[]): Promise<string | undefined> {
  const hash = createHash('sha256');
  const seen = new Set<string>();
  let entries = 0;

  const inside = (path: string, base: string) => path === base || path.startsWith(base.endsWith(sep) ? base : base + sep);

  async function visit(path: string, base: string, depth: number): Promise<boolean> {
    if (++entries > MAX_ENTRIES || depth > 64) return false;
    if (depth > 0 && (await lstat(path)).isSymbolicLink()) {
      hash.update(`${path}\0-> ${await readlink(path)}\n`);
      const real = await realpath(path).catch(() => undefined);
      if (real === undefined || !inside(real, base)) return true; // dangling, or leading out: not followed
    }
    const info = await stat(path);
    hash.update(`${path}\0${info.size}\0${info.mtimeMs}\0${info.ctimeMs}\0${info.ino}\n`);
    if (!info.isDirectory()) return true;
    const real = await realpath(path);
    if (seen.has(real)) return true; // a symlink loop, or the same directory twice
    seen.add(real);
    const names = (await readdir(path)).sort();
    for (const name of names) if (!(await visit(join(path, name), base, depth + 1))) return false;
    return true;
  }

  try {
    for (const root of roots) if (!(await visit(root, await realpath(root), 0))) return undefined;
  } catch {
    return undefined;
  }
  return hash.digest('hex');
}
