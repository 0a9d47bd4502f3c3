/**
 * Field-agnostic normalisation for flat settings objects (auth, postgres, pooler, postgrest,
 * realtime...): the rules that make a converged project show no changes. They derive from the
 * provider's schema descriptor (`flatRules`), so a field's form is declared once; nothing here
 * names a field.
 */
import { createHmac, createHash } from 'node:crypto';
import { fromFileAtOrBelow } from '../config/from-file.js';
import type { Change, JsonValue } from '../reconcile/types.js';
import { sameFormatted, takesNumber, type ValueFormat } from './formats.js';
import type { ExportContext, SectionExport, SectionSchema } from './types.js';

/** The diff rules of a flat section, as sets: derived from its SectionSchema by `flatRules`. */
export interface FlatRules {
  /** API strings holding comma-separated lists; compared as sets, shown as lists. */
  commaLists?: ReadonlySet<string>;
  /** Comma lists whose order carries meaning (schema search order): compared in order. */
  orderedLists?: ReadonlySet<string>;
  /** field → alias → API value. */
  aliases?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** API strings that hold a number (the YAML may give a number). */
  numericStrings?: ReadonlySet<string>;
  /** Secret fields: the API returns HMAC-SHA256(key = project ref) hex of the value. */
  secrets?: ReadonlySet<string>;
  /** Fields whose change takes effect only after a restart. */
  restart?: ReadonlySet<string>;
  /** Formatted values (quantities with units...): compared by what they mean (`1GB` = `1024MB`). */
  formats?: Readonly<Record<string, ValueFormat>>;
}

/**
 * The diff rules a descriptor implies. Quantity fields are numeric strings too (the YAML may give a
 * number, which is sent as the API's string).
 */
export function flatRules(schema: SectionSchema): FlatRules {
  const set = (list: readonly string[] | undefined) => (list?.length ? new Set(list) : undefined);
  const formats = schema.formats && Object.keys(schema.formats).length ? schema.formats : undefined;
  const rules: FlatRules = {
    commaLists: set(schema.commaLists),
    orderedLists: set(schema.orderedLists),
    aliases: schema.aliases,
    numericStrings: set([...(schema.numericStrings ?? []), ...Object.entries(formats ?? {}).filter(([, f]) => takesNumber(f)).map(([name]) => name)]),
    secrets: set(schema.secretFields),
    restart: set(schema.restartFields),
    formats,
  };
  return Object.fromEntries(Object.entries(rules).filter(([, v]) => v !== undefined)) as FlatRules;
}

/** HMAC-SHA256 hex of `value` keyed by the project ref: how the API returns auth secrets. */
export function hmacHex(ref: string, value: string): string {
  return createHmac('sha256', ref).update(value).digest('hex');
}

/** SHA-256 hex of `value`: how the API returns Edge Function secret digests. */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export function splitCommaList(value: string): string[] {
  const seen = new Set<string>();
  for (const part of value.split(',')) {
    const item = part.trim();
    if (item) seen.add(item);
  }
  return [...seen];
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

/** The value as the API wants it sent: lists joined with commas, aliases resolved, numbers as strings. */
export function toApiValue(field: string, value: unknown, rules: FlatRules): unknown {
  if (value === null || value === undefined) return null;
  if (rules.commaLists?.has(field) || rules.orderedLists?.has(field)) {
    const items = Array.isArray(value) ? value.map(String) : splitCommaList(String(value));
    return items.join(',');
  }
  const alias = rules.aliases?.[field];
  if (alias && typeof value === 'string' && Object.hasOwn(alias, value)) return alias[value];
  if (rules.numericStrings?.has(field) && typeof value === 'number') return String(value);
  return value;
}

/** Canonical comparable form of an API value: null for unset, lists for comma strings. */
export function canonical(field: string, apiValue: unknown, rules: FlatRules): JsonValue {
  if (isEmpty(apiValue)) return null;
  if (rules.commaLists?.has(field) || rules.orderedLists?.has(field)) {
    return Array.isArray(apiValue) ? apiValue.map(String) : splitCommaList(String(apiValue));
  }
  if (rules.numericStrings?.has(field) && typeof apiValue === 'number') return String(apiValue);
  return apiValue as JsonValue;
}

/** Whether the canonical values of `field` on both sides mean the same to the API. */
export function sameFlat(field: string, a: JsonValue, b: JsonValue, rules: FlatRules): boolean {
  const format = rules.formats && Object.hasOwn(rules.formats, field) ? rules.formats[field] : undefined;
  if (format && a !== null && b !== null) return sameFormatted(a, b, format);
  return sameValue(a, b, rules.orderedLists?.has(field));
}

export function sameValue(a: JsonValue, b: JsonValue, ordered = false): boolean {
  if (Array.isArray(a) && Array.isArray(b) && !ordered) {
    // Comma lists are sets: order and duplicates carry no meaning to the API.
    const sa = [...new Set(a.map((v) => JSON.stringify(v)))].sort();
    const sb = [...new Set(b.map((v) => JSON.stringify(v)))].sort();
    return sa.length === sb.length && sa.every((v, i) => v === sb[i]);
  }
  return JSON.stringify(a) === JSON.stringify(b);
}

export interface FlatDiff {
  changes: Change[];
  /** Changed fields with their API values (secrets in plain text: request body only). */
  patch: Record<string, unknown>;
}

/**
 * Compares the keys present in `desired` with `live`. Only desired keys are looked at: an absent
 * key is unmanaged. Secrets compare HMAC(ref, desired) with the live hex and never surface a value.
 * A field holding anything read from a file (`fromFile`: the field itself, a list item) is
 * sensitive: its change carries the values for the guardrails, and the engine strips them from the
 * plan (src/reconcile/plan.ts).
 */
export function diffFlat(
  desired: Record<string, unknown>,
  live: Record<string, unknown>,
  rules: FlatRules,
  ref: string,
  fromFile: ReadonlySet<string> = new Set(),
): FlatDiff {
  const changes: Change[] = [];
  const patch: Record<string, unknown> = {};
  for (const field of Object.keys(desired).sort()) {
    const want = toApiValue(field, desired[field], rules);
    const have = live[field];
    if (rules.secrets?.has(field)) {
      const wantSet = !isEmpty(want);
      const haveSet = !isEmpty(have);
      const same = wantSet ? haveSet && String(have) === hmacHex(ref, String(want)) : !haveSet;
      if (!same) {
        changes.push({ path: field, action: 'update', sensitive: true, beforeSet: haveSet });
        patch[field] = want;
      }
      continue;
    }
    const after = canonical(field, want, rules);
    const before = canonical(field, have, rules);
    if (sameFlat(field, before, after, rules)) continue;
    patch[field] = want;
    const change: Change = fromFileAtOrBelow(fromFile, field)
      ? { path: field, action: 'update', before, after, sensitive: true, beforeSet: before !== null }
      : { path: field, action: 'update', before, after, sensitive: false };
    if (rules.restart?.has(field)) change.restart = true;
    changes.push(change);
  }
  return { changes, patch };
}

/** `${NAME}` reference text for an exported secret. */
export const reference = (name: string): string => `\${${name}}`;

/** The environment variable name an exported secret field is read from: `AUTH_SMTP_PASS`. */
export const variableName = (section: string, field: string): string => `${section}_${field}`.toUpperCase();

/**
 * Live flat settings → YAML values: comma strings as lists, enum values as their alias, secrets as
 * `${SECTION_FIELD}` references. Unset values are left out; so are defaults unless `ctx.all`.
 */
export function exportFlat(
  section: string,
  live: Record<string, unknown>,
  defaults: Readonly<Record<string, unknown>>,
  rules: FlatRules,
  ctx: ExportContext,
): SectionExport | undefined {
  const values: Record<string, unknown> = {};
  const variables: SectionExport['variables'] = [];
  for (const field of Object.keys(live).sort()) {
    if (!ctx.allowedKeys.has(field)) continue;
    const value = canonical(field, live[field], rules);
    if (value === null) continue;
    if (rules.secrets?.has(field)) {
      const name = variableName(section, field);
      values[field] = reference(name);
      variables.push({ name, field: `${section}.${field}` });
      continue;
    }
    if (!ctx.all && sameFlat(field, value, canonical(field, defaults[field], rules), rules)) continue;
    const alias = Object.entries(rules.aliases?.[field] ?? {}).find(([, api]) => api === value)?.[0];
    values[field] = alias ?? value;
  }
  return Object.keys(values).length ? { values, variables } : undefined;
}
