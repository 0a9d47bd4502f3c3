/**
 * Which projects' effective desired state differs between two loads of a configuration (e.g. the
 * base of a pull request and its head), for `plan --changed-since`. It compares reference forms
 * (./reference-forms.ts): templates merged and `${var:...}` / `${project}` resolved, but
 * `${VAR}` and `${file:...}` as written — secret references, never resolved values, so the base
 * revision needs no secret at all. Whatever only moves or reformats files compares equal.
 * (The daemon's digest of the resolved state is another question: whether a live reconcile is due.)
 */
import type { ReferenceForms } from './reference-forms.js';
import type { DesiredProject } from './types.js';

export interface FleetComparison {
  /** In the head only. */
  added: string[];
  /** In both, with a different effective desired state. */
  changed: string[];
  unchanged: string[];
  /** In the base only: no longer managed. */
  removed: string[];
}

/** JSON with object keys sorted at every level: equal data, equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** What decides a project's plan: its sections (mode and values) and what it allows. */
export function effectiveFingerprint(project: DesiredProject): string {
  const sections: Record<string, unknown> = {};
  for (const [name, section] of project.sections) sections[name] = { mode: section.mode, values: section.values };
  const allowRisky = [...new Set(project.allowRisky.map((e) => e.key))].sort();
  return canonicalJson({ sections, allowRisky });
}

/**
 * Projects whose layers are the same on both sides are unchanged without composing them; the others
 * are composed (in reference form) and their effective states compared: a key moved from a template
 * into the project with the same value is no change.
 */
export function compareFleets(base: ReferenceForms, head: ReferenceForms): FleetComparison {
  const out: FleetComparison = { added: [], changed: [], unchanged: [], removed: [] };
  for (const ref of head.refs()) {
    if (!base.has(ref)) out.added.push(ref);
    else if (base.layers(ref) === head.layers(ref)) out.unchanged.push(ref);
    else if (effectiveFingerprint(base.project(ref)) === effectiveFingerprint(head.project(ref))) out.unchanged.push(ref);
    else out.changed.push(ref);
  }
  for (const ref of base.refs()) if (!head.has(ref)) out.removed.push(ref);
  for (const list of Object.values(out)) list.sort();
  return out;
}
