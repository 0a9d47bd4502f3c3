/**
 * `[remotes.<name>]`: a remote's keys override the base config for the project whose ref is its
 * `project_id`, key by key — lists replaced whole (pkg/config/config.go `mergeRemoteConfig`: each
 * leaf key of the remote is set over the base). This module builds each project's effective
 * config.toml that way, remembering which keys the remote wrote itself.
 */
import type { ConfigIssue } from '../errors.js';
import { isTable, leaves } from './convert.js';
import type { TomlTable } from './model.js';

export interface Remote {
  name: string;
  ref: string;
  /** The base merged with the remote's own keys (its `project_id` aside). */
  toml: TomlTable;
  /** Dotted keys the remote writes itself. */
  own: ReadonlySet<string>;
}

const REF = /^[a-z]{20}$/;

function setLeaf(root: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = root;
  for (const part of parts.slice(0, -1)) {
    if (!isTable(node[part])) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1]!] = structuredClone(value);
}

/** The value at a dotted path of a table whose keys may themselves hold dots (none do in practice). */
function valueAt(root: Record<string, unknown>, path: string): unknown {
  let node: unknown = root;
  for (const part of path.split('.')) node = isTable(node) ? node[part] : undefined;
  return node;
}

export function baseOf(root: TomlTable): TomlTable {
  const base = structuredClone(root) as Record<string, unknown>;
  delete base.remotes;
  return base as TomlTable;
}

/** The remotes of a config.toml, each merged over the base; problems located at the key. */
export function readRemotes(root: TomlTable, locate: (path: string) => ConfigIssue['location']): { remotes: Remote[]; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  const remotes: Remote[] = [];
  const table = (root as Record<string, unknown>).remotes;
  if (table === undefined) return { remotes, issues };
  const issue = (path: string, message: string) => issues.push({ location: locate(path), path, message });
  if (!isTable(table)) {
    issue('remotes', 'expected a table of [remotes.<name>] tables');
    return { remotes, issues };
  }
  const base = baseOf(root);
  const seen = new Map<string, string>();
  for (const [name, remote] of Object.entries(table)) {
    const at = `remotes.${name}`;
    if (!isTable(remote)) {
      issue(at, 'expected a table');
      continue;
    }
    const ref = remote.project_id;
    if (typeof ref !== 'string' || !REF.test(ref)) {
      issue(`${at}.project_id`, 'must be the project ref (20 lowercase letters), as the Supabase CLI requires');
      continue;
    }
    const other = seen.get(ref);
    if (other) {
      issue(`${at}.project_id`, `the same project as [remotes.${other}]`);
      continue;
    }
    seen.set(ref, name);
    // An empty table sets nothing (it has no leaf key to set over the base).
    const own = new Set(leaves(remote).filter((p) => p !== 'project_id' && !isTable(valueAt(remote, p))));
    const merged = structuredClone(base) as Record<string, unknown>;
    for (const path of own) setLeaf(merged, path, valueAt(remote, path));
    remotes.push({ name, ref, toml: merged as TomlTable, own });
  }
  return { remotes, issues };
}
