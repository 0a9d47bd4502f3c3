/**
 * Where each key of a TOML file stands (line and column), for located messages: smol-toml gives
 * values only. One pass over the lines: table headers (`[a.b]`, `[[a]]`) set the current table, and
 * a line starting with a key (bare, quoted, dotted) and `=` records that key's full path. Lines
 * inside multi-line strings are skipped. Best effort by design: a key it cannot place falls back to
 * the file's first line; it never fails and never reads a value.
 */
import type { SourceLocation } from '../errors.js';

const BARE = /[A-Za-z0-9_-]/;

/** Reads a dotted key at `i`: its parts and the index after it, or undefined. */
function readKey(line: string, start: number): { parts: string[]; end: number } | undefined {
  const parts: string[] = [];
  let i = start;
  for (;;) {
    while (line[i] === ' ' || line[i] === '\t') i++;
    const c = line[i];
    if (c === '"' || c === "'") {
      let part = '';
      i++;
      while (i < line.length && line[i] !== c) {
        // A basic string's escapes: keep the escaped character (enough to match plain keys).
        if (c === '"' && line[i] === '\\' && i + 1 < line.length) i++;
        part += line[i];
        i++;
      }
      if (line[i] !== c) return undefined;
      i++;
      parts.push(part);
    } else {
      const from = i;
      while (i < line.length && BARE.test(line[i]!)) i++;
      if (i === from) return undefined;
      parts.push(line.slice(from, i));
    }
    while (line[i] === ' ' || line[i] === '\t') i++;
    if (line[i] !== '.') return { parts, end: i };
    i++;
  }
}

/** How many times `needle` occurs in `text` (non-overlapping). */
function count(text: string, needle: string): number {
  let n = 0;
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length)) n++;
  return n;
}

export class TomlLocator {
  private readonly positions = new Map<string, SourceLocation>();

  constructor(file: string, text: string) {
    let table: string[] = [];
    let openString: string | undefined;
    const lines = text.split('\n');
    for (let n = 0; n < lines.length; n++) {
      const line = lines[n]!;
      if (openString) {
        if (count(line, openString) % 2 === 1) openString = undefined;
        continue;
      }
      let i = 0;
      while (line[i] === ' ' || line[i] === '\t') i++;
      if (line[i] === '[') {
        const array = line[i + 1] === '[';
        const key = readKey(line, i + (array ? 2 : 1));
        if (key) {
          table = key.parts;
          this.record(table, { file, line: n + 1, col: i + 1 });
        }
        continue;
      }
      const key = readKey(line, i);
      if (!key || line[key.end] !== '=') continue;
      this.record([...table, ...key.parts], { file, line: n + 1, col: i + 1 });
      const rest = line.slice(key.end + 1);
      for (const quote of ['"""', "'''"]) if (count(rest, quote) % 2 === 1) openString = quote;
    }
  }

  private record(path: string[], at: SourceLocation): void {
    const key = path.join('.');
    if (!this.positions.has(key)) this.positions.set(key, at);
  }

  /** The key's position, else its nearest table's; undefined when neither is known. */
  find(path: string): SourceLocation | undefined {
    const parts = path.split('.');
    for (let n = parts.length; n > 0; n--) {
      const at = this.positions.get(parts.slice(0, n).join('.'));
      if (at) return at;
    }
    return undefined;
  }
}
