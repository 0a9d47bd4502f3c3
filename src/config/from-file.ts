/**
 * Which desired values came from `${file:...}` references. The loader records the path of every
 * scalar read from a file; sensitivity follows that value into whatever holds it: a field is
 * sensitive when any such path is at or below it (the field itself, a list item, a nested value).
 */
import type { ValuePath } from './types.js';

const joined = (path: ValuePath | string): string => (typeof path === 'string' ? path : path.map(String).join('/'));

/** Whether any of `fromFile` (section-relative paths joined with `/`) is `path` or below it. */
export function fromFileAtOrBelow(fromFile: ReadonlySet<string>, path: ValuePath | string): boolean {
  const prefix = joined(path);
  if (fromFile.has(prefix)) return true;
  for (const p of fromFile) if (p.startsWith(`${prefix}/`)) return true;
  return false;
}

/** Whether `path` is, or is inside, or holds a value read from a file. */
export function touchesFromFile(fromFile: ReadonlySet<string>, path: ValuePath | string): boolean {
  const text = joined(path);
  for (const p of fromFile) if (text === p || text.startsWith(`${p}/`) || p.startsWith(`${text}/`)) return true;
  return false;
}
