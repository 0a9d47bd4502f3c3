/**
 * The engine's guard for secrets, generic over resources: whatever a provider marked, a change that
 * shows a known secret value (in its values, its path or its item label, in any form the redactor
 * finds) is sensitive, and a sensitive change leaves the engine without its values. Providers mark
 * precisely (a field holding a value read from a file); this catches the rest — a secret reused
 * in a plain field, a live value that happens to hold one.
 *
 * Order matters: `markSensitive` before the guardrails (which must judge the real values and know
 * not to quote them), `publicChange` after.
 */
import type { SensitiveText } from '../redact.js';
import type { Change, JsonValue, Problem } from './types.js';

/** Every string a value shows: its string leaves and its mapping keys. */
function strings(value: JsonValue | undefined, out: string[] = [], depth = 0): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out, depth + 1);
  else if (value && typeof value === 'object' && depth < 64) {
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      strings(v, out, depth + 1);
    }
  }
  return out;
}

function shows(change: Change, sensitive: SensitiveText): boolean {
  const texts = [change.path, ...(change.item === undefined ? [] : [change.item]), ...strings(change.before), ...strings(change.after)];
  // One scan over the texts joined; a match across a NUL could only mark one change too many.
  return sensitive.reveals(texts.join('\u0000'));
}

const isSet = (v: JsonValue | undefined): boolean =>
  v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0);

/** The change, marked sensitive when it shows a known secret. Values are kept: the guardrails need them. */
export function markSensitive(change: Change, sensitive: SensitiveText): Change {
  if (change.sensitive || !shows(change, sensitive)) return change;
  return { ...change, sensitive: true, beforeSet: isSet(change.before) };
}

/**
 * Relabels items whose label shows a secret, consistently within one section (the same item keeps
 * one label; two items never share one).
 */
export class ItemLabels {
  private readonly labels = new Map<string, string>();
  private readonly used = new Set<string>();

  constructor(private readonly sensitive: SensitiveText) {}

  label(item: string): string {
    let label = this.labels.get(item);
    if (label !== undefined) return label;
    label = this.sensitive.redact(item);
    if (label !== item) {
      const base = label;
      for (let n = 2; this.used.has(label); n++) label = `${base} (${n})`;
    }
    this.labels.set(item, label);
    this.used.add(label);
    return label;
  }
}

/** The change as the Plan may hold it: a sensitive change without values, no label showing a secret, a risk that quotes nothing. */
export function publicChange(change: Change, sensitive: SensitiveText, labels: ItemLabels): Change {
  const out: Change = { ...change };
  if (out.sensitive) {
    delete out.before;
    delete out.after;
    out.beforeSet ??= isSet(change.before);
  }
  if (out.item !== undefined) {
    const label = labels.label(out.item);
    if (label !== out.item) {
      out.path = out.path.split(out.item).join(label);
      out.item = label;
    }
  }
  out.path = sensitive.redact(out.path);
  if (out.risk) {
    // The key names the item, and an item's name may show a secret: then only the whole section,
    // which names nothing, can be suggested.
    const key = sensitive.reveals(out.risk.key) ? out.risk.key.split(/[.[]/, 1)[0]! : out.risk.key;
    out.risk = { ...out.risk, key, reason: sensitive.redact(out.risk.reason) };
  }
  return out;
}

export function publicProblem(problem: Problem, sensitive: SensitiveText): Problem {
  return { ...problem, message: sensitive.redact(problem.message) };
}
