/**
 * `${VAR}`, `${VAR:-default}` and `${file:/path}` references inside string values; `$${` is a
 * literal `${`. Pure: the environment and the file reader are passed in. Messages name variables
 * and paths, never values or defaults (a default may be a placeholder secret).
 */

export type FileReadResult = { ok: true; text: string } | { ok: false; message: string };

export interface InterpolationSources {
  env: Readonly<Record<string, string | undefined>>;
  /** Reads a `${file:...}` reference, enforcing the secrets-directory rules. */
  readFile(path: string): FileReadResult;
}

export interface InterpolationError {
  /** The reference as written, e.g. `${SMTP_PASSWORD}`, to find it in the source. */
  raw: string;
  /** How many times `raw` occurred earlier in the same value (0 for the first). */
  occurrence: number;
  message: string;
}

export interface Interpolated {
  value: string;
  /** The whole input is exactly one reference (so a plain YAML scalar may be re-typed). */
  single: boolean;
  /** Some part of the value was read from a file. */
  fromFile: boolean;
  errors: InterpolationError[];
}

const ENV_REFERENCE = /^([A-Za-z_][A-Za-z0-9_]*)(?::-([\s\S]*))?$/;
const SYNTAX_HELP = 'expected ${NAME}, ${NAME:-default} or ${file:/absolute/path}';

export function hasReference(input: string): boolean {
  return input.includes('${');
}

export interface InterpolateOptions {
  /**
   * The value is a secret field: an unset variable's hint does not suggest `${VAR:-default}`,
   * since a default for a secret is a secret committed to git.
   */
  secret?: boolean;
}

/** What to say about an unset `${name}`. */
export function unsetVariableMessage(name: string, secret: boolean): string {
  return secret
    ? `environment variable ${name} is not set (this is a secret field: set ${name} in the environment, or read the secret from a file with \${file:/path}; a default would put the secret in git)`
    : `environment variable ${name} is not set (give it a value, or a default: \${${name}:-default})`;
}

export function interpolate(input: string, sources: InterpolationSources, options: InterpolateOptions = {}): Interpolated {
  let value = '';
  let references = 0;
  let literal = false;
  let fromFile = false;
  const errors: InterpolationError[] = [];
  const seen = new Map<string, number>();
  const fail = (raw: string, message: string) => {
    const occurrence = seen.get(raw) ?? 0;
    seen.set(raw, occurrence + 1);
    errors.push({ raw, occurrence, message });
  };

  let i = 0;
  while (i < input.length) {
    if (input.startsWith('$${', i)) {
      value += '${';
      literal = true;
      i += 3;
      continue;
    }
    if (!input.startsWith('${', i)) {
      value += input[i];
      literal = true;
      i += 1;
      continue;
    }
    const close = input.indexOf('}', i + 2);
    if (close < 0) {
      fail(input.slice(i), `unterminated reference: "\${" without a closing "}" (${SYNTAX_HELP}; write $\${ for a literal \${)`);
      break;
    }
    const raw = input.slice(i, close + 1);
    const body = input.slice(i + 2, close);
    i = close + 1;
    references += 1;
    if (body.includes('${')) {
      fail(raw, 'nested references are not supported');
      continue;
    }
    if (body.startsWith('file:')) {
      const path = body.slice('file:'.length);
      const read = sources.readFile(path);
      if (read.ok) {
        value += read.text;
        fromFile = true;
      } else fail(raw, read.message);
      continue;
    }
    if (body.startsWith('include:')) {
      // Includes are read with the file that names them (./includes.ts), as a string's whole value.
      fail(raw, `${raw.length > 200 ? '${include:...}' : raw} must be the whole value of a string in a configuration file`);
      continue;
    }
    const match = ENV_REFERENCE.exec(body);
    if (!match) {
      fail(raw, `invalid reference (${SYNTAX_HELP})`);
      continue;
    }
    const [, name, fallback] = match as unknown as [string, string, string | undefined];
    // Own properties only: `${toString}` must be unset, not Object.prototype.toString.
    const set = Object.hasOwn(sources.env, name) ? sources.env[name] : undefined;
    if (fallback !== undefined && (set === undefined || set === '')) value += fallback;
    else if (set !== undefined) value += set;
    else fail(raw, unsetVariableMessage(name, options.secret === true));
  }
  return { value, single: references === 1 && !literal, fromFile, errors };
}

// YAML 1.2 core schema resolution for plain scalars (https://yaml.org/spec/1.2.2/#1032-tag-resolution).
const CORE_BOOL = /^(?:true|True|TRUE|false|False|FALSE)$/;
const CORE_INT = /^[-+]?[0-9]+$/;
const CORE_OCT = /^0o[0-7]+$/;
const CORE_HEX = /^0x[0-9a-fA-F]+$/;
const CORE_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
const CORE_INF = /^[-+]?\.(?:inf|Inf|INF)$/;
const CORE_NAN = /^\.(?:nan|NaN|NAN)$/;

/**
 * Re-types the result of a plain scalar that was exactly one reference, as YAML would have typed
 * the text written in its place: booleans and numbers. Null is deliberately not produced: an empty
 * or "null" variable must not silently unset a setting (write `null` in the YAML to do that).
 */
export function retypePlain(text: string): string | number | boolean {
  if (CORE_BOOL.test(text)) return text.toLowerCase() === 'true';
  const int = CORE_INT.test(text)
    ? Number.parseInt(text, 10)
    : CORE_OCT.test(text)
      ? Number.parseInt(text.slice(2), 8)
      : CORE_HEX.test(text)
        ? Number.parseInt(text.slice(2), 16)
        : undefined;
  // An integer beyond 2^53 would lose digits; the text is kept (and the schema judges it).
  if (int !== undefined) return Number.isSafeInteger(int) ? int : text;
  if (CORE_FLOAT.test(text)) return Number.parseFloat(text);
  if (CORE_INF.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  if (CORE_NAN.test(text)) return Number.NaN;
  return text;
}
