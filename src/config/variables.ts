/**
 * Resolution of a deferred string for one project: `${var:NAME}` from the project's variables,
 * `${project}` as its ref, and the other references (`${VAR}`, `${VAR:-d}`, `${file:...}`) through
 * ./interpolate.ts exactly as while reading — or, in `keep` mode, left as written. One pass over
 * the value: what a reference expands to is never read again as a reference.
 */
import { interpolate, retypePlain, type InterpolationError, type InterpolationSources } from './interpolate.js';
import { projectReference, scanReferences } from './references.js';
import type { ValuePath } from './types.js';

export interface VariableBinding {
  /** The variable's value for this project (its own references already resolved). */
  value: unknown;
  /** Paths inside the value that came from a `${file:...}` reference; `[]` is the whole value. */
  fromFile: readonly ValuePath[];
}

export type ExternalReferences = { kind: 'resolve'; sources: InterpolationSources } | { kind: 'keep' };

export interface ResolveContext {
  project: string;
  /** The project's variable, looked up by name; undefined when not set. */
  variable(name: string): VariableBinding | undefined;
  external: ExternalReferences;
  /** The string is (part of) a variable's value: `${var:...}` is refused there. */
  inVariable?: boolean;
  /** The string is a secret field's value (an unset variable's hint then offers no default). */
  secret?: boolean;
}

export interface ResolveError extends InterpolationError {
  /** Set for a variable that is not set: the caller names the project(s) in the message. */
  unsetVariable?: string;
}

export interface Resolved {
  value: unknown;
  /** Paths inside the value that came from a file (`[]`: the whole value). */
  fromFile: ValuePath[];
  errors: ResolveError[];
}

/** A deep copy of plain data, own properties only (a `__proto__` key stays data). */
export function copyData(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copyData);
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    Object.defineProperty(out, key, { value: copyData(item), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

const kindOf = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? 'a list' : 'a mapping');

export function resolveDeferred(raw: string, plain: boolean, ctx: ResolveContext): Resolved {
  const tokens = scanReferences(raw);
  const single = tokens.length === 1 && tokens[0]!.kind === 'reference';
  const errors: ResolveError[] = [];
  let text = '';
  let fromFile = false;
  let whole: Resolved | undefined;

  for (const token of tokens) {
    if (token.kind === 'text') {
      // Kept as written, a literal `${` stays escaped: `$${X}` must not compare equal to `${X}`.
      text += ctx.external.kind === 'keep' ? token.text.replaceAll('${', () => '$${') : token.text;
      continue;
    }
    const fail = (message: string, unsetVariable?: string) =>
      errors.push({ raw: token.raw, occurrence: token.occurrence, message, ...(unsetVariable ? { unsetVariable } : {}) });
    const own = token.kind === 'reference' ? projectReference(token.body) : undefined;
    if (!own) {
      // ${VAR}, ${VAR:-d}, ${file:...} (and an unterminated "${"): the reader's own rules.
      if (ctx.external.kind === 'keep') {
        text += token.raw;
        continue;
      }
      const result = interpolate(token.raw, ctx.external.sources, { secret: ctx.secret === true });
      for (const e of result.errors) fail(e.message);
      if (result.errors.length) continue;
      fromFile ||= result.fromFile;
      text += result.value;
      if (single) {
        const value = result.fromFile || !plain ? result.value : retypePlain(result.value);
        whole = { value, fromFile: result.fromFile ? [[]] : [], errors };
      }
      continue;
    }
    if (own.kind === 'invalid') {
      fail(own.message);
      continue;
    }
    if (own.kind === 'project') {
      text += ctx.project;
      continue;
    }
    if (ctx.inVariable) {
      fail(`a variable's value cannot refer to another variable (\${var:${own.name}})`);
      continue;
    }
    const binding = ctx.variable(own.name);
    if (!binding) {
      fail(`variable "${own.name}" is not set`, own.name);
      continue;
    }
    if (single) {
      // The whole value: the variable's value, whatever its type (a quoted reference makes a scalar a string).
      const value = !plain && binding.value !== null && typeof binding.value !== 'object' ? String(binding.value) : copyData(binding.value);
      whole = { value, fromFile: [...binding.fromFile], errors };
      continue;
    }
    if (binding.value === null || typeof binding.value === 'object') {
      fail(`variable "${own.name}" is ${kindOf(binding.value)}: only a value that is exactly \${var:${own.name}} can take it`);
      continue;
    }
    text += String(binding.value);
    fromFile ||= binding.fromFile.length > 0;
  }
  if (errors.length) return { value: raw, fromFile: [], errors };
  return whole ?? { value: text, fromFile: fromFile ? [[]] : [], errors };
}
