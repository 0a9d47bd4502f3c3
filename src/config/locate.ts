/**
 * Where values stand in their YAML source, and how paths inside a document are printed.
 * Paths are arrays of keys (strings) and list indices (numbers).
 */
import type { LineCounter } from 'yaml';
import type { SourceLocation } from '../errors.js';
import type { ValuePath } from './types.js';

export interface NodePosition {
  /** The key of a mapping entry; absent for list items and the document root. */
  key?: SourceLocation;
  /** The value itself (for an entry without a value: its key). */
  value: SourceLocation;
}

const keyOf = (path: ValuePath): string => path.map(String).join('\u0000');

export class PositionMap {
  private readonly positions = new Map<string, NodePosition>();

  constructor(readonly root: SourceLocation) {}

  set(path: ValuePath, position: NodePosition): void {
    this.positions.set(keyOf(path), position);
  }

  get(path: ValuePath): NodePosition | undefined {
    return path.length === 0 ? { value: this.root } : this.positions.get(keyOf(path));
  }

  /** The nearest recorded position at `path` or above it. */
  nearest(path: ValuePath): NodePosition {
    for (let n = path.length; n > 0; n--) {
      const hit = this.positions.get(keyOf(path.slice(0, n)));
      if (hit) return hit;
    }
    return { value: this.root };
  }

  /** Where the value at `path` stands (nearest parent if unknown). */
  value(path: ValuePath): SourceLocation {
    return this.nearest(path).value;
  }

  /** Where the key of `path` stands; for list items and the root, where the value stands. */
  key(path: ValuePath): SourceLocation {
    const at = this.nearest(path);
    return at.key ?? at.value;
  }
}

/** A 1-based file location for a 0-based offset. */
export function locationAt(file: string, lineCounter: LineCounter, offset: number): SourceLocation {
  const { line, col } = lineCounter.linePos(offset);
  // linePos gives line 0 when no newline has been seen before the offset's line.
  return { file, line: Math.max(line, 1), col: Math.max(col, 1) };
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** `auth.jwt_exp`, `sso.providers[0].domains`, `keys["http://x/claims"]`. */
export function formatPath(path: ValuePath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/**
 * A JSON pointer (as ajv reports `instancePath`) as a path, unescaping `~1` and `~0`; segments that
 * index a list in `data` become numbers.
 */
export function pointerToPath(pointer: string, data: unknown): ValuePath {
  if (pointer === '') return [];
  const path: Array<string | number> = [];
  let current: unknown = data;
  for (const raw of pointer.slice(1).split('/')) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(current) && /^\d+$/.test(segment)) {
      path.push(Number(segment));
      current = current[Number(segment)];
    } else {
      path.push(segment);
      current =
        current && typeof current === 'object' && Object.hasOwn(current, segment)
          ? (current as Record<string, unknown>)[segment]
          : undefined;
    }
  }
  return path;
}
