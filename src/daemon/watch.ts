/**
 * Watches the configuration (and `--secrets-dir`) for changes, debounced, with chokidar.
 *
 * Kubernetes updates a ConfigMap or Secret volume atomically: it writes a new timestamped directory,
 * then swaps the `..data` symlink to it; the visible files are symlinks through `..data` and never
 * change themselves. So directories are watched (recursively, following symlinks), and for a file
 * given with `-c` its directory is watched shallowly for the file and for the `..`-prefixed entries.
 * Any event then triggers one reload after the debounce; the reload itself decides what changed.
 */
import { stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
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
    watchers.push(watch([...roots.deep], { ignoreInitial: true, followSymlinks: true, ignorePermissionErrors: true }));
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
