/**
 * The diff of a list of items that the API keys by a server-side id (SSO providers, third-party auth
 * integrations, API keys): each desired item, in order, is updated when the provider matched it to a
 * live one and created otherwise; a live item no desired one matched is deleted with `prune: true`
 * and only reported without. Matching, item contents and the order of the requests stay with each
 * provider; this holds what must not differ between them: labels that never reveal a value read from
 * a file, the change records and the prune rule.
 */
import type { ApiRequest } from '../api/types.js';
import { fromFileAtOrBelow } from '../config/from-file.js';
import type { DesiredSection } from '../config/types.js';
import type { Change, JsonValue } from '../reconcile/types.js';

/** Whether the item's field holds anything read from a file (no field: the item as a whole). */
export type Sensitivity<F extends string = string> = (field?: F) => boolean;

/** A matched desired item, for its provider's update logic. */
export interface DesiredItem<F extends string> {
  /** An `update` change of one field, sensitive when that field came from a file. */
  updated(field: F, before: JsonValue, after: JsonValue, beforeSet: boolean): Change;
}

/** One provider's part of the diff of its collection under `section.values[key]`. */
export interface CollectionRules<D, L extends { id: string }, F extends string> {
  key: string;
  /** The live item each desired position is, from the provider's own matching (it refuses ambiguity). */
  matches: ReadonlyMap<number, L>;
  /** The item's name in paths and plans; `byPosition` (`key[i]`) when its identity came from a file. */
  label(d: D, sensitive: Sensitivity<F>, byPosition: string): string;
  /** The changes of a matched item and the requests that make them (none when nothing changed). */
  update(d: D, l: L, item: DesiredItem<F>): { changes: Change[]; requests: ApiRequest[] };
  create(d: D): { after: JsonValue; request: ApiRequest };
  liveLabel(l: L): string;
  remove(l: L): { before: JsonValue; request: ApiRequest };
  /** What the plan says of a live item that is left alone because `prune` is not set. */
  untouched(l: L, label: string): string;
}

/** The changes in plan order; the requests by kind, for the provider to order as its API needs. */
export interface CollectionDiff {
  changes: Change[];
  notes: string[];
  updates: ApiRequest[];
  creates: ApiRequest[];
  deletes: ApiRequest[];
}

export function sensitivity<F extends string>(section: DesiredSection, key: string, i: number): Sensitivity<F> {
  return (field) => fromFileAtOrBelow(section.fromFile, field ? [key, i, field] : [key, i]);
}

/** `providers[acme.com].domains`; a label by position (`providers[0]`) is already a path. */
export const itemPath = (key: string, label: string, field?: string): string =>
  `${label.startsWith(`${key}[`) ? label : `${key}[${label}]`}${field ? `.${field}` : ''}`;

export function diffCollection<D, L extends { id: string }, F extends string>(
  section: DesiredSection,
  desired: readonly D[],
  live: readonly L[],
  rules: CollectionRules<D, L, F>,
): CollectionDiff {
  const { key } = rules;
  const out: CollectionDiff = { changes: [], notes: [], updates: [], creates: [], deletes: [] };
  desired.forEach((d, i) => {
    const sensitive = sensitivity<F>(section, key, i);
    const label = rules.label(d, sensitive, `${key}[${i}]`);
    const match = rules.matches.get(i);
    if (match) {
      const updated = (field: F, before: JsonValue, after: JsonValue, beforeSet: boolean): Change => {
        const hidden = sensitive(field);
        return { path: itemPath(key, label, field), item: label, action: 'update', before, after, sensitive: hidden, ...(hidden ? { beforeSet } : {}) };
      };
      const result = rules.update(d, match, { updated });
      out.changes.push(...result.changes);
      out.updates.push(...result.requests);
      return;
    }
    // A new item has no value before; one holding any file-sourced value is hidden as a whole.
    const hidden = sensitive();
    const { after, request } = rules.create(d);
    out.changes.push({ path: itemPath(key, label), item: label, action: 'create', after, sensitive: hidden, ...(hidden ? { beforeSet: false } : {}) });
    out.creates.push(request);
  });
  const matchedIds = new Set([...rules.matches.values()].map((l) => l.id));
  for (const l of live) {
    if (matchedIds.has(l.id)) continue;
    const label = rules.liveLabel(l);
    // Never a surprise delete: a live item the YAML does not list goes only when `prune: true` says so.
    if (section.values.prune === true) {
      const { before, request } = rules.remove(l);
      out.changes.push({ path: itemPath(key, label), item: label, action: 'delete', before, sensitive: false });
      out.deletes.push(request);
    } else {
      out.notes.push(rules.untouched(l, label));
    }
  }
  return out;
}
