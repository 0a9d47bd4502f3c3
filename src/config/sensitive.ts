/**
 * Which values must never be printed: values of the providers' secret fields, and anything read
 * from a `${file:...}` reference. Messages are built without values in the first place; redaction
 * of these values (and of the forms they may take, see src/redact.ts) from every message, plan,
 * log line and API error is the second line of defence.
 */
import { createHash } from 'node:crypto';
import { providerBySection } from '../providers/index.js';
import { Redactor, type SensitiveText } from '../redact.js';
import { LIMITS } from './limits.js';
import type { ValuePath } from './types.js';

/** Shorter values would redact ordinary words from messages; none of them is a real secret. */
const SHORTEST_REDACTED = 4;

function secretFields(section: string): readonly string[] {
  return providerBySection.get(section)?.schema.secretFields ?? [];
}

const joined = (path: ValuePath): string => path.map(String).join('/');

/**
 * The redactor of the last configuration loaded, by the values it was built from: the daemon
 * reloads the same configuration every cycle, and the automaton need not be built again.
 */
let lastBuilt: { fingerprint: string; redactor: Redactor } | undefined;

export class SensitiveValues implements SensitiveText {
  /** Each value with the project ref it belongs to (the API's HMAC digests are keyed by the ref). */
  private readonly entries: Array<[value: string, ref: string | undefined]> = [];
  private redactor: Redactor | undefined;

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
   * Records the sensitive values of one document: `fileTexts`, what its `${file:}` references read,
   * and the values at `fromFile` and in secret fields. Unresolved values are skipped: they still
   * hold the reference as written (`${file:/x}`), which is no secret, and which messages quote.
   */
  addDocument(data: unknown, fromFile: readonly ValuePath[], unresolved: readonly ValuePath[], fileTexts: readonly string[] = []): void {
    const skip = new Set(unresolved.map(joined));
    const project = data && typeof data === 'object' ? (data as Record<string, unknown>).project : undefined;
    const ref = typeof project === 'string' ? project : undefined;
    // The files' contents themselves (a value may embed one: `https://${file:/s/host}/cb`), and the values holding them.
    for (const text of fileTexts) this.addValue(text, new Set(), '', ref);
    for (const path of fromFile) this.addValue(valueAt(data, path), skip, joined(path), ref);
    if (!data || typeof data !== 'object') return;
    for (const [section, body] of Object.entries(data)) {
      if (!body || typeof body !== 'object') continue;
      for (const field of secretFields(section)) {
        if (Object.hasOwn(body, field)) this.addValue((body as Record<string, unknown>)[field], skip, `${section}/${field}`, ref);
      }
    }
  }

  private addValue(value: unknown, skip: ReadonlySet<string>, path: string, ref: string | undefined, depth = 0): void {
    if (skip.has(path)) return;
    // A secret field may hold a map or list of secrets (e.g. Edge Function secrets by name).
    if (value && typeof value === 'object' && depth < LIMITS.depth) {
      for (const [key, item] of Object.entries(value)) this.addValue(item, skip, `${path}/${key}`, ref, depth + 1);
      return;
    }
    if (typeof value === 'string' || typeof value === 'number') {
      this.entries.push([String(value), ref]);
      this.redactor = undefined;
    }
  }

  private built(): Redactor {
    if (this.redactor) return this.redactor;
    const hash = createHash('sha256');
    for (const [value, ref] of this.entries) hash.update(`${value.length}:${value}${ref ?? ''}\0`);
    const fingerprint = hash.digest('hex');
    if (lastBuilt?.fingerprint !== fingerprint) {
      const redactor = new Redactor();
      for (const [value, ref] of this.entries) redactor.add(value, { minLength: SHORTEST_REDACTED, ...(ref ? { hmacKeys: [ref] } : {}) });
      lastBuilt = { fingerprint, redactor };
    }
    this.redactor = lastBuilt.redactor;
    return this.redactor;
  }

  /** More secret material than the redactor can index: the configuration must be refused. */
  get tooLarge(): boolean {
    return this.built().tooLarge;
  }

  redact(message: string): string {
    return this.built().redact(message);
  }

  reveals(message: string): boolean {
    return this.built().reveals(message);
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
