/**
 * Seed and state-file problems located in the text they came from: `file:line:col` and a YAML-style
 * path (`projects[0].plan`) for each issue whose path is a JSON pointer into the document.
 */
import { LineCounter, isMap, isSeq, parseDocument, type Node } from 'yaml';
import type { ConfigIssue } from '../errors.js';
import { formatPath, locationAt, pointerToPath } from '../config/locate.js';

/** An issue whose pointer names an unknown key: located at the key, reported on its mapping. */
export interface SeedIssue extends ConfigIssue {
  atKey?: boolean;
}

export interface SeedSource {
  /** How the file is named in messages (as the operator gave it). */
  file: string;
  text: string;
}

/** Where the node at `path` (or the nearest node above it) starts; its key when `atKey`. */
function offsetOf(root: Node | null, path: readonly (string | number)[], atKey: boolean): number {
  let node: Node | null = root;
  let offset = root?.range?.[0] ?? 0;
  for (const [i, segment] of path.entries()) {
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === segment);
      if (!pair) break;
      const key = pair.key as Node | null;
      const value = pair.value as Node | null;
      if (last && atKey && key?.range) return key.range[0];
      offset = value?.range?.[0] ?? key?.range?.[0] ?? offset;
      node = value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined;
      if (!item) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else break;
  }
  return offset;
}

/**
 * Each issue whose path is a JSON pointer (`/projects/0/plan`) gets the location of that value in
 * `source` (an unknown key: the key itself, and its mapping's path) and the path as YAML reads it. Issues already located,
 * or about the whole document, keep their words and get the file's name.
 */
export function locateSeedIssues(issues: readonly SeedIssue[], source: SeedSource): ConfigIssue[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source.text, { lineCounter, uniqueKeys: false });
  const data: unknown = doc.errors.length ? undefined : doc.toJS();
  return issues.map((issue) => {
    if (issue.location) return { ...issue, location: { ...issue.location, file: issue.location.file || source.file } };
    if (!issue.path.startsWith('/')) return { location: { file: source.file, line: 1, col: 1 }, path: issue.path, message: issue.message };
    const path = pointerToPath(issue.path, data);
    const offset = offsetOf(doc.contents as Node | null, path, issue.atKey === true);
    const shown = issue.atKey ? path.slice(0, -1) : path;
    return { location: locationAt(source.file, lineCounter, offset), path: formatPath(shown), message: issue.message };
  });
}
