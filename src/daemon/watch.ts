/**
 * Watches the configuration (and `--secrets-dir`) for changes, debounced, with chokidar.
 *
 * Kubernetes updates a ConfigMap or Secret volume atomically: it writes a new timestamped directory,
 * then swaps the `..data` symlink to it; the visible files are symlinks through `..data` and never
 * change themselves. So directories are watched (recursively, following symlinks), and for a file
 * given with `-c` its directory is watched shallowly for the file and for the `..`-prefixed entries.
 * Any event then triggers one reload after the debounce; the reload itself decides what changed.
 */
import { realpathSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, dirname, resolve, sep } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import type { Logger } from '../log.js';

export const DEFAULT_DEBOUNCE_MS = 500;

export interface WatchOptions {
  configPaths: readonly string[];
  secretsDirs: readonly string[];
  debounceMs?: number;
  logger: Logger;
  /** Called once per burst of events, after the debounce. */
  onChange(changed: string[]): void;
}

export interface ConfigWatcher {
  close(): Promise<void>;
}

interface Roots {
  /** Watched with everything below them. */
  deep: Set<string>;
  /** Directory → the file names in it that matter (besides the `..` entries). */
  shallow: Map<string, Set<string>>;
}

async function rootsOf(configPaths: readonly string[], secretsDirs: readonly string[]): Promise<Roots> {
  const roots: Roots = { deep: new Set(secretsDirs.map((d) => resolve(d))), shallow: new Map() };
  for (const p of configPaths) {
    const abs = resolve(p);
    const isDir = await stat(abs).then((s) => s.isDirectory(), () => false);
    if (isDir) {
      roots.deep.add(abs);
      continue;
    }
    const dir = dirname(abs);
    const names = roots.shallow.get(dir) ?? new Set<string>();
    names.add(basename(abs));
    roots.shallow.set(dir, names);
  }
  return roots;
}

/**
 * Whether a path below a watched directory stands inside a symlink that resolves outside it: its
 * parent directory's real path is out there. The link itself is still watched (adding it is a
 * change, and the reload refuses it), but nothing below it: a pull request's `p -> /proc` once made
 * the watcher walk /proc for minutes. The loader does not read through such links either (config/files.ts).
 */
function leadsOutside(roots: readonly string[]): (path: string) => boolean {
  const realRoots = roots.map((root) => {
    try {
      return { root, real: realpathSync(root) };
    } catch {
      return { root, real: root };
    }
  });
  const within = (path: string, dir: string) => path === dir || path.startsWith(dir.endsWith(sep) ? dir : dir + sep);
  return (path) => {
    const owner = realRoots.find((r) => within(path, r.root));
    if (!owner || path === owner.root) return false;
    try {
      return !within(realpathSync(dirname(path)), owner.real);
    } catch {
      return false; // gone, or a dangling link: nothing to follow
    }
  };
}

function ready(watcher: FSWatcher): Promise<void> {
  return new Promise((resolveReady) => watcher.once('ready', () => resolveReady()));
}

export async function watchConfig(opts: WatchOptions): Promise<ConfigWatcher> {
  const roots = await rootsOf(opts.configPaths, opts.secretsDirs);
  const debounceMs = opts.debounceMs ?? DEFAULT_DEBOUNCE_MS;
  let timer: NodeJS.Timeout | undefined;
  let pending = new Set<string>();
  let closed = false;

  const onEvent = (event: string, path: string) => {
    if (closed) return;
    opts.logger.debug({ event, path }, 'configuration path changed');
    pending.add(path);
    clearTimeout(timer);
    timer = setTimeout(() => {
      const changed = [...pending].sort();
      pending = new Set();
      if (!closed) opts.onChange(changed);
    }, debounceMs);
  };
  const onError = (err: unknown) =>
    opts.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'configuration watcher error');

  const watchers: FSWatcher[] = [];
  if (roots.deep.size) {
    const outside = leadsOutside([...roots.deep]);
    watchers.push(watch([...roots.deep], { ignoreInitial: true, followSymlinks: true, ignorePermissionErrors: true, ignored: outside }));
  }
  if (roots.shallow.size) {
    // Only the named files and Kubernetes' `..data` machinery; other files beside a config file do not matter.
    const ignored = (path: string) => {
      const names = roots.shallow.get(dirname(path));
      if (!names) return false;
      const name = basename(path);
      return !names.has(name) && !name.startsWith('..');
    };
    watchers.push(
      watch([...roots.shallow.keys()], { ignoreInitial: true, followSymlinks: true, depth: 0, ignored, ignorePermissionErrors: true }),
    );
  }
  for (const w of watchers) {
    w.on('all', onEvent);
    w.on('error', onError);
  }
  await Promise.all(watchers.map(ready));
  opts.logger.debug({ directories: [...roots.deep, ...roots.shallow.keys()] }, 'watching the configuration');

  return {
    async close() {
      closed = true;
      clearTimeout(timer);
      await Promise.all(watchers.map((w) => w.close()));
    },
  };
}
