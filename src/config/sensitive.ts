/**
 * Which values must never be printed: values of the providers' secret fields, and anything read
 * from a `${file:...}` reference. Messages are built without values in the first place; redaction
 * of these values from every message is the second line of defence.
 */
import { providerBySection } from '../providers/index.js';
import { LIMITS } from './limits.js';
import type { ValuePath } from './types.js';

const REDACTED = '[redacted]';
/** Shorter values would redact ordinary words from messages; none of them is a real secret. */
const SHORTEST_REDACTED = 4;

function secretFields(section: string): readonly string[] {
  return providerBySection.get(section)?.schema.secretFields ?? [];
}

const joined = (path: ValuePath): string => path.map(String).join('/');

export class SensitiveValues {
  private readonly values = new Set<string>();

  /** Whether the value at `path` of a document (section first) is sensitive. */
  static isSensitivePath(path: ValuePath, fromFile: readonly ValuePath[]): boolean {
    const [section, field] = path;
    if (typeof section === 'string' && typeof field === 'string' && secretFields(section).includes(field)) return true;
    const text = joined(path);
    return fromFile.some((p) => {
      const q = joined(p);
      return text === q || text.startsWith(`${q}/`);
    });
  }

  /**
   * Records the sensitive values of one document. Unresolved values are skipped: they still hold
   * the reference as written (`${file:/x}`), which is no secret, and which messages quote.
   */
  addDocument(data: unknown, fromFile: readonly ValuePath[], unresolved: readonly ValuePath[]): void {
    const skip = new Set(unresolved.map(joined));
    for (const path of fromFile) this.addValue(valueAt(data, path), skip, joined(path));
    if (!data || typeof data !== 'object') return;
    for (const [section, body] of Object.entries(data)) {
      if (!body || typeof body !== 'object') continue;
      for (const field of secretFields(section)) {
        if (Object.hasOwn(body, field)) this.addValue((body as Record<string, unknown>)[field], skip, `${section}/${field}`);
      }
    }
  }

  private addValue(value: unknown, skip: ReadonlySet<string>, path: string, depth = 0): void {
    if (skip.has(path)) return;
    // A secret field may hold a map or list of secrets (e.g. Edge Function secrets by name).
    if (value && typeof value === 'object' && depth < LIMITS.depth) {
      for (const [key, item] of Object.entries(value)) this.addValue(item, skip, `${path}/${key}`, depth + 1);
      return;
    }
    if (typeof value === 'string' || typeof value === 'number') {
      const text = String(value);
      if (text.length >= SHORTEST_REDACTED) this.values.add(text);
      // A secret may also surface trimmed or line by line (e.g. inside a provider's message).
      for (const part of text.split(/\r?\n/)) if (part.trim().length >= SHORTEST_REDACTED) this.values.add(part.trim());
    }
  }

  redact(message: string): string {
    let out = message;
    // Longest first, so a value containing another is replaced whole.
    for (const value of [...this.values].sort((a, b) => b.length - a.length)) out = out.split(value).join(REDACTED);
    return out;
  }
}

function valueAt(data: unknown, path: ValuePath): unknown {
  let current = data;
  for (const segment of path) {
    if (!current || typeof current !== 'object' || !Object.hasOwn(current, segment)) return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}
