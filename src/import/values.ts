/**
 * One TOML value → the value the CLI sends for it, by the field's kind (./model.ts). Written
 * secrets and `env(NAME)` become references; a content_path becomes an included file. Messages
 * never quote the value: a config.toml holds secrets.
 */
import { isAbsolute, resolve } from 'node:path';
import { envReference, isEncrypted } from './env-ref.js';
import { float32Hours, parseGoDuration, parseGoSize, wholeSeconds } from './go-values.js';
import { Included, Reference, type FieldRule } from './model.js';

export type Converted =
  | { kind: 'value'; value: unknown }
  /** Nothing to send (an empty value the CLI leaves out). */
  | { kind: 'skip' }
  /** A value the import cannot carry over: listed, not imported. */
  | { kind: 'unconverted'; reason: string }
  /** A wrong type or form: an error at the key. */
  | { kind: 'invalid'; message: string };

export interface ValueContext {
  /** The section field, `auth.smtp_pass`. */
  target: string;
  /** The TOML key as written (for references and included files). */
  tomlPath: string;
  /** Directories relative content paths start from. */
  dirs: { repo: string; supabase: string };
}

const value = (v: unknown): Converted => ({ kind: 'value', value: v });
const invalid = (message: string): Converted => ({ kind: 'invalid', message });
const isTable = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

/** `env(NAME)` where a converted value is needed: the conversion cannot be written as a reference. */
const noEnv = (what: string): Converted => ({
  kind: 'unconverted',
  reason: `env() cannot be imported here: the CLI sends ${what}, which a \${VAR} reference cannot express; write the value`,
});

function envOrInvalid(raw: string, rule: FieldRule, ctx: ValueContext, typed: boolean): Converted | undefined {
  const env = envReference(raw);
  if (env.kind === 'none') return undefined;
  if (env.kind === 'invalid') return invalid('env(...) names a variable supasync cannot reference (names are letters, digits and _, not starting with a digit)');
  if (rule.negate) return noEnv('the opposite of the value');
  return value(new Reference('env', ctx.target, ctx.tomlPath, typed, env.name));
}

function convertString(raw: unknown, rule: FieldRule, ctx: ValueContext): Converted {
  if (typeof raw !== 'string') return invalid('expected a string');
  const env = envOrInvalid(raw, rule, ctx, false);
  if (env) return env;
  if (rule.onlyIfSet && raw === '') return { kind: 'skip' };
  if (rule.secret && raw !== '') return value(new Reference(isEncrypted(raw) ? 'encrypted' : 'plain', ctx.target, ctx.tomlPath, false, undefined, raw));
  return value(rule.rename && Object.hasOwn(rule.rename, raw) ? rule.rename[raw] : raw);
}

function convertInteger(raw: unknown, rule: FieldRule, ctx: ValueContext, integer: boolean): Converted {
  if (typeof raw === 'string') {
    const env = envOrInvalid(raw, rule, ctx, true);
    if (env) return env;
    // The CLI decodes weakly: a string of digits fills a number.
    if (!/^[0-9]+$/.test(raw)) return invalid(integer ? 'expected an integer' : 'expected a number');
    raw = Number(raw);
  }
  if (typeof raw !== 'number' || !Number.isFinite(raw) || (integer && !Number.isInteger(raw))) return invalid(integer ? 'expected an integer' : 'expected a number');
  if (integer && raw < 0) return invalid('expected a non-negative integer');
  if (rule.onlyIfSet && raw <= 0) return { kind: 'skip' };
  return value(raw);
}

function convertBoolean(raw: unknown, rule: FieldRule, ctx: ValueContext): Converted {
  if (typeof raw === 'string') return envOrInvalid(raw, rule, ctx, true) ?? invalid('expected true or false');
  if (typeof raw !== 'boolean') return invalid('expected true or false');
  return value(rule.negate ? !raw : raw);
}

function convertList(raw: unknown, rule: FieldRule, ctx: ValueContext, join: boolean): Converted {
  let items: unknown[];
  if (typeof raw === 'string') {
    const env = envOrInvalid(raw, rule, ctx, false);
    if (env) return env;
    items = raw === '' ? [] : raw.split(','); // the CLI splits a string given for a list
  } else if (Array.isArray(raw)) {
    items = raw;
  } else {
    return invalid('expected a list of strings');
  }
  const out: unknown[] = [];
  for (const item of items) {
    if (typeof item !== 'string') return invalid('expected a list of strings');
    const env = envReference(item);
    if (env.kind === 'invalid') return invalid('env(...) names a variable supasync cannot reference');
    if (env.kind === 'env' && join) return noEnv('the list joined with commas');
    out.push(env.kind === 'env' ? new Reference('env', ctx.target, ctx.tomlPath, false, env.name) : item);
  }
  if (rule.onlyIfSet && out.length === 0) return { kind: 'skip' };
  return value(join ? out.join(',') : out);
}

function convertDuration(raw: unknown, rule: FieldRule, hours: boolean): Converted {
  let ns: number | undefined;
  if (typeof raw === 'string') {
    if (envReference(raw).kind !== 'none') return noEnv(hours ? 'the duration in hours' : 'the duration in seconds');
    ns = parseGoDuration(raw);
    if (ns === undefined) return invalid('expected a duration such as "30s", "5m" or "24h"');
  } else if (typeof raw === 'number' && Number.isInteger(raw)) {
    ns = raw; // a bare TOML integer is nanoseconds to the CLI's decoder
  } else {
    return invalid('expected a duration such as "30s", "5m" or "24h"');
  }
  return value(hours ? float32Hours(ns) : wholeSeconds(ns));
}

function convertBytes(raw: unknown): Converted {
  if (typeof raw === 'number' && Number.isInteger(raw) && raw >= 0) return value(raw);
  if (typeof raw !== 'string') return invalid('expected a size such as "50MiB"');
  if (envReference(raw).kind !== 'none') return noEnv('the size in bytes');
  const bytes = parseGoSize(raw);
  return bytes === undefined ? invalid('expected a size such as "50MiB" or "5MB"') : value(bytes);
}

function convertPairs(raw: unknown, rule: FieldRule): Converted {
  if (!isTable(raw)) return invalid('expected a table of `key = "value"` entries');
  const pairs: string[] = [];
  for (const [key, v] of Object.entries(raw)) {
    if (typeof v !== 'string' && typeof v !== 'number') return invalid('expected a table of `key = "value"` entries');
    if (typeof v === 'string' && envReference(v).kind !== 'none') return noEnv('key=value pairs');
    pairs.push(`${key}=${v}`);
  }
  if (rule.onlyIfSet && pairs.length === 0) return { kind: 'skip' };
  return value(pairs);
}

function convertInclude(raw: unknown, rule: FieldRule, ctx: ValueContext): Converted {
  if (typeof raw !== 'string') return invalid('expected a file path');
  if (envReference(raw).kind !== 'none') return noEnv("the file's text");
  if (raw === '') return { kind: 'skip' };
  const file = isAbsolute(raw) ? raw : resolve(rule.base === 'supabase' ? ctx.dirs.supabase : ctx.dirs.repo, raw);
  return value(new Included(file, ctx.tomlPath));
}

export function convertValue(raw: unknown, rule: FieldRule, ctx: ValueContext): Converted {
  switch (rule.kind) {
    case 'string':
      return convertString(raw, rule, ctx);
    case 'integer':
      return convertInteger(raw, rule, ctx, true);
    case 'number':
      return convertInteger(raw, rule, ctx, false);
    case 'boolean':
      return convertBoolean(raw, rule, ctx);
    case 'string_list':
      return convertList(raw, rule, ctx, false);
    case 'comma_string':
      return convertList(raw, rule, ctx, true);
    case 'seconds':
      return convertDuration(raw, rule, false);
    case 'hours':
      return convertDuration(raw, rule, true);
    case 'bytes':
      return convertBytes(raw);
    case 'pairs':
      return convertPairs(raw, rule);
    case 'include':
      return convertInclude(raw, rule, ctx);
  }
}
