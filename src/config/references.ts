/**
 * The reference grammar of string values, as a token list: literal text, `$${` (a literal `${`),
 * and `${...}` references. Linear in the input. The loader uses it to tell the references resolved
 * per project after merging (`${var:NAME}`, `${project}`) from those resolved while reading
 * (`${VAR}`, `${VAR:-default}`, `${file:/path}`, see ./interpolate.ts, which follows the same grammar).
 */

export type ReferenceToken =
  | { kind: 'text'; text: string }
  /** `raw` is the reference as written; `occurrence` counts earlier identical references in the value. */
  | { kind: 'reference'; raw: string; body: string; occurrence: number }
  | { kind: 'unterminated'; raw: string; occurrence: number };

/** `${var:NAME}` and `${project}`: they need the project, so they wait until after merging. */
export type ProjectReference = { kind: 'var'; name: string } | { kind: 'project' };

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function scanReferences(input: string): ReferenceToken[] {
  const tokens: ReferenceToken[] = [];
  const seen = new Map<string, number>();
  const occurrence = (raw: string): number => {
    const n = seen.get(raw) ?? 0;
    seen.set(raw, n + 1);
    return n;
  };
  let text = '';
  let i = 0;
  while (i < input.length) {
    const open = input.indexOf('$', i);
    if (open < 0) {
      text += input.slice(i);
      break;
    }
    if (input.startsWith('$${', open)) {
      text += `${input.slice(i, open)}\${`;
      i = open + 3;
      continue;
    }
    if (!input.startsWith('${', open)) {
      text += input.slice(i, open + 1);
      i = open + 1;
      continue;
    }
    text += input.slice(i, open);
    if (text) tokens.push({ kind: 'text', text });
    text = '';
    const close = input.indexOf('}', open + 2);
    if (close < 0) {
      const raw = input.slice(open);
      tokens.push({ kind: 'unterminated', raw, occurrence: occurrence(raw) });
      return tokens;
    }
    const raw = input.slice(open, close + 1);
    tokens.push({ kind: 'reference', raw, body: input.slice(open + 2, close), occurrence: occurrence(raw) });
    i = close + 1;
  }
  if (text) tokens.push({ kind: 'text', text });
  return tokens;
}

/**
 * What a reference body means when it is a per-project reference; `undefined` for the others.
 * A body that starts like one but is malformed (`${var:}`, `${project:-x}`) is still claimed here,
 * so that it is reported as such rather than read as an environment variable named `project`.
 */
export function projectReference(body: string): ProjectReference | { kind: 'invalid'; message: string } | undefined {
  if (body === 'project') return { kind: 'project' };
  if (body.startsWith('project:')) return { kind: 'invalid', message: '${project} takes no default or argument' };
  if (!body.startsWith('var:')) return undefined;
  const name = body.slice('var:'.length);
  if (!VARIABLE_NAME.test(name)) {
    return { kind: 'invalid', message: 'invalid variable reference (expected ${var:NAME}, NAME of letters, digits and _)' };
  }
  return { kind: 'var', name };
}

/** Whether a string holds a `${var:...}` or `${project...}` reference (escaped `$${` ones do not count). */
export function hasProjectReference(input: string): boolean {
  if (!input.includes('${var:') && !input.includes('${project')) return false;
  return scanReferences(input).some((t) => t.kind === 'reference' && projectReference(t.body) !== undefined);
}
