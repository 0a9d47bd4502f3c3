/**
 * ajv errors → located, human messages. Messages are built from the schema only (allowed values,
 * limits, key names), never from the data, so a secret value cannot end up in one.
 */
import type { ErrorObject } from 'ajv';
import type { ConfigIssue } from '../errors.js';
import type { PositionMap } from './locate.js';
import { formatPath, pointerToPath } from './locate.js';
import { didYouMean } from './suggest.js';
import type { ValuePath } from './types.js';

export interface MessageContext {
  data: unknown;
  positions: PositionMap;
  /** Whether the value at a path must not be hinted at (secret field, or read from a file). */
  isSensitive(path: ValuePath): boolean;
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
  null: 'null',
};

function oneOfWords(words: readonly string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

export function describeTypes(types: unknown): string {
  const list = (Array.isArray(types) ? types : [types]).map((t) => TYPE_NAMES[String(t)] ?? String(t));
  return oneOfWords([...new Set(list)]);
}

const PLAIN_VALUE = /^[A-Za-z0-9_.:/@+-]+$/;
const LONGEST_LISTED_VALUE = 40;

function showValue(value: unknown): string {
  return typeof value === 'string' && PLAIN_VALUE.test(value) ? value : JSON.stringify(value);
}

function describeEnum(values: readonly unknown[]): string {
  const listed = values.filter((v) => typeof v !== 'string' || v.length <= LONGEST_LISTED_VALUE);
  const hidden = values.length - listed.length;
  const more = hidden ? ` (or one of ${hidden} longer API values, see config.schema.json)` : '';
  return `must be one of: ${listed.map(showValue).join(', ')}${more}`;
}

/**
 * Patterns whose meaning is worth saying in words; others are shown as they are. Keyed by the
 * pattern as config.schema.json has it (the linear replacements of scripts/gen-schema.ts SAFE_PATTERNS).
 */
export const PATTERN_MESSAGES: Readonly<Record<string, string>> = {
  '^[a-z]{20}$': 'must be a project ref: 20 lowercase letters',
  '^[^,]+$': 'must be non-empty and contain no comma',
  '^[a-z_]+(\\.[A-Za-z0-9_]+)?$': 'must be a section or section.key, e.g. auth.password_min_length',
  '^[a-z_]+(\\.[A-Za-z0-9_]+|\\[.+\\])?$': 'must be a section, section.key or section[item], e.g. auth.password_min_length or "secrets[OLD_KEY]"',
  '^[A-Za-z0-9][A-Za-z0-9_.-]*$': 'must be a template name: letters, digits, _, . and - (starting with a letter or digit)',
  '^[A-Za-z_][A-Za-z0-9_]*$': 'must be letters, digits and _ (not starting with a digit)',
  '^(-?[0-9]+(?:\\.[0-9]+)?)(us|ms|s|min|h|d)?$': 'must be a duration such as 60000, 60s or 5min (units: us, ms, s, min, h, d)',
  '^(-?[0-9]+(?:\\.[0-9]+)?)(B|kB|MB|GB|TB)?$': 'must be a memory size such as 4096, 64MB or 1GB (units: B, kB, MB, GB, TB)',
  '^(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$': 'must be a time of day in UTC, HH:MM:SS (e.g. 04:00:00)',
  '^(?:[0-9]{1,15}(?:=[0-9]{2,})*=[0-9]+(?:,[0-9]{1,15}(?:=[0-9]{2,})*=[0-9]+)*,?)?$':
    'must be phone=code pairs separated by commas, e.g. 14155550100=123456',
  '^[0-9]{1,15}(?:=[0-9]{2,})*=[0-9]+$': 'must be a phone=code pair, e.g. 14155550100=123456',
  '^(?!SUPABASE_)[A-Za-z_][A-Za-z0-9_]*$':
    'must be letters, digits and _ (not starting with a digit), and must not start with SUPABASE_ (reserved)',
  '^\\s*(?:[a-zA-Z0-9_-]+(?:\\s*,+\\s*[a-zA-Z0-9_-]+)*\\s*(?:,+\\s*)?)?$':
    'must be tags (letters, digits, _ and -) separated by commas',
  '^[a-z_][a-z0-9_]+$': 'must be lower-case letters, digits and _ (not starting with a digit)',
};

const FORMAT_MESSAGES: Record<string, string> = {
  email: 'must be an email address',
  'date-time': 'must be a date and time such as 2025-01-31T12:00:00Z',
  uri: 'must be an absolute URI',
  hostname: 'must be a host name',
  uuid: 'must be a UUID (e.g. 0b9e5bd4-7bb8-4c43-9a22-5e6f1d2c3a4b)',
};

function messageFor(error: ErrorObject, path: ValuePath, ctx: MessageContext): string {
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'type':
      return `must be ${describeTypes(p.type)}`;
    case 'enum': {
      const value = error.data;
      const hint = typeof value === 'string' && !ctx.isSensitive(path) ? didYouMean(value, (p.allowedValues as unknown[]).filter((v): v is string => typeof v === 'string')) : '';
      return `${describeEnum(p.allowedValues as unknown[])}${hint}`;
    }
    case 'const':
      return `must be ${showValue(p.allowedValue)}`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `must be ${String(p.comparison)} ${String(p.limit)}`;
    case 'pattern':
      return PATTERN_MESSAGES[String(p.pattern)] ?? `must match the pattern ${String(p.pattern)}`;
    case 'format':
      return FORMAT_MESSAGES[String(p.format)] ?? `must be a valid ${String(p.format)}`;
    case 'minItems':
      return `must have at least ${String(p.limit)} item${p.limit === 1 ? '' : 's'}`;
    case 'maxItems':
      return `must have at most ${String(p.limit)} item${p.limit === 1 ? '' : 's'}`;
    case 'minLength':
      return `must be at least ${String(p.limit)} character${p.limit === 1 ? '' : 's'} long`;
    case 'maxLength':
      return `must be at most ${String(p.limit)} character${p.limit === 1 ? '' : 's'} long`;
    case 'uniqueItems':
      return `must not list the same item twice (items ${String(p.j)} and ${String(p.i)} are equal)`;
    default:
      return error.message ?? `fails the ${error.keyword} rule`;
  }
}

/** Memoised per schema object: a document with 90k unknown keys asks 90k times. */
const namesOf = new WeakMap<object, readonly string[]>();

function propertyNames(schema: unknown): readonly string[] {
  if (!schema || typeof schema !== 'object') return [];
  let names = namesOf.get(schema);
  if (!names) {
    const props = (schema as { properties?: Record<string, unknown> }).properties;
    namesOf.set(schema, (names = props ? Object.keys(props) : []));
  }
  return names;
}

function toIssue(error: ErrorObject, ctx: MessageContext): ConfigIssue {
  const path = pointerToPath(error.instancePath, ctx.data);
  if (error.keyword === 'additionalProperties') {
    const key = String((error.params as { additionalProperty: string }).additionalProperty);
    return {
      location: ctx.positions.key([...path, key]),
      path: formatPath(path),
      message: `unknown key "${key}"${didYouMean(key, propertyNames(error.parentSchema))}`,
    };
  }
  // Errors about a key's name (propertyNames) carry the key; the wrapper error adds nothing.
  const propertyName = (error as ErrorObject & { propertyName?: string }).propertyName;
  if (propertyName !== undefined) {
    return {
      location: ctx.positions.key([...path, propertyName]),
      path: formatPath(path),
      message: `key "${propertyName}" ${messageFor(error, path, ctx)}`,
    };
  }
  if (error.keyword === 'required') {
    const key = String((error.params as { missingProperty: string }).missingProperty);
    return {
      location: path.length ? ctx.positions.key(path) : ctx.positions.root,
      path: formatPath(path),
      message: `missing required key "${key}"`,
    };
  }
  return { location: ctx.positions.value(path), path: formatPath(path), message: messageFor(error, path, ctx) };
}

/**
 * A failed oneOf/anyOf comes with one error per branch. When the value has the type of some branch,
 * that branch's own errors say what is wrong; otherwise one message lists the accepted types.
 */
function collapseAlternatives(errors: readonly ErrorObject[]): ErrorObject[] {
  const dropped = new Set<ErrorObject>();
  const replaced = new Map<ErrorObject, ErrorObject>();
  errors.forEach((error, index) => {
    if (error.keyword !== 'oneOf' && error.keyword !== 'anyOf') return;
    const branches = branchErrors(errors, index);
    const typeMisses = branches.filter((e) => e.keyword === 'type' && e.instancePath === error.instancePath);
    typeMisses.forEach((e) => dropped.add(e));
    if (typeMisses.length < branches.length) {
      dropped.add(error); // some branch has errors more specific than its type
      return;
    }
    const types = (Array.isArray(error.schema) ? error.schema : []).flatMap((s: { type?: unknown }) => s.type ?? []);
    const passing = (error.params as { passingSchemas?: unknown }).passingSchemas;
    replaced.set(
      error,
      passing
        ? { ...error, message: 'matches more than one of the accepted forms' }
        : { ...error, keyword: 'type', params: { type: types } },
    );
  });
  return errors.filter((e) => !dropped.has(e)).map((e) => replaced.get(e) ?? e);
}

const atOrBelow = (path: string, parent: string): boolean => path === parent || path.startsWith(`${parent}/`);

/**
 * The errors of the branches of the oneOf/anyOf error at `index`: ajv reports them just before it,
 * one contiguous run. Found by walking back over that run only, so that 30k failed alternatives
 * cost 30k steps, not 30k × all errors.
 */
function branchErrors(errors: readonly ErrorObject[], index: number): ErrorObject[] {
  const alternative = errors[index]!;
  const prefix = `${alternative.schemaPath}/`;
  const out: ErrorObject[] = [];
  for (let j = index - 1; j >= 0; j--) {
    const e = errors[j]!;
    if (!e.schemaPath.startsWith(prefix) || !atOrBelow(e.instancePath, alternative.instancePath)) break;
    out.push(e);
  }
  return out;
}

/** Wrappers whose own error adds nothing: the errors of the keys (propertyNames) and branch (if/else) say what is wrong. */
const WRAPPERS = new Set(['propertyNames', 'if']);

/** Errors converted between two chances to pause. */
const STEP = 2048;

/** ajv errors → issues, with a `yield` every few thousand errors (see slicer.ts). */
export function* schemaIssueSteps(errors: readonly ErrorObject[], ctx: MessageContext): Generator<void, ConfigIssue[]> {
  const collapsed = collapseAlternatives(errors.filter((e) => !WRAPPERS.has(e.keyword)));
  const issues: ConfigIssue[] = [];
  for (const [i, error] of collapsed.entries()) {
    if (i % STEP === STEP - 1) yield;
    issues.push(toIssue(error, ctx));
  }
  return issues;
}
