/**
 * Pattern audit (issue 13, item 5): every `pattern` and `format` in the generated config.schema.json
 * runs on text a pull request writes, so each must be linear. Two proofs:
 *   1. recheck (a ReDoS analyser) says each pattern, and each regular-expression format of
 *      ajv-formats the schema uses, is safe;
 *   2. the real validator (the build's, as the CLI runs it) gets adversarial values near the size
 *      limit (1 MiB, LIMITS.fileBytes) at every place a pattern or format applies, in a child
 *      process that is killed when one case takes longer than a generous bound, so that a
 *      backtracking pattern fails this test instead of stalling the suite. The adversarial values
 *      are recheck's attack strings for the spec's original patterns plus generic pumps.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createRequire } from 'node:module';
import { check, type Diagnostics } from 'recheck';
import { describe, expect, it } from 'vitest';
import { SAFE_PATTERNS } from '../../scripts/gen-schema.js';
import { LIMITS } from '../../src/config/limits.js';
import { PATTERN_MESSAGES } from '../../src/config/messages.js';
import { ROOT } from '../helpers/cli.js';

const require = createRequire(import.meta.url);
const CHILD = join(ROOT, 'test/reliability/support/pattern-audit-child.mjs');
/** Not a speed target: a linear check of 1 MiB takes milliseconds; a backtracking one, hours. */
const CASE_BOUND_MS = 5_000;
const START_BOUND_MS = 20_000;
/** Room for the key and indentation of a YAML file holding the value, within the file limit. */
const VALUE_BYTES = LIMITS.fileBytes - 64;

type Segment = string | number | { key: true };
interface Place {
  pointer: string;
  path: Segment[];
}

/** Every pattern and format of the schema, with the data path of each place it applies. */
function schemaChecks(): { patterns: Map<string, Place[]>; formats: Map<string, Place[]> } {
  const schema = JSON.parse(readFileSync(join(ROOT, 'config.schema.json'), 'utf8')) as unknown;
  const patterns = new Map<string, Place[]>();
  const formats = new Map<string, Place[]>();
  const add = (map: Map<string, Place[]>, name: string, place: Place) => map.set(name, [...(map.get(name) ?? []), place]);
  const walk = (node: unknown, pointer: string, path: Segment[]): void => {
    if (!node || typeof node !== 'object') return;
    const s = node as Record<string, unknown>;
    if (typeof s.pattern === 'string') add(patterns, s.pattern, { pointer, path });
    if (typeof s.format === 'string') add(formats, s.format, { pointer, path });
    for (const [name, sub] of Object.entries((s.properties as Record<string, unknown>) ?? {})) walk(sub, `${pointer}/properties/${name}`, [...path, name]);
    if (s.items) walk(s.items, `${pointer}/items`, [...path, 0]);
    if (s.propertyNames) walk(s.propertyNames, `${pointer}/propertyNames`, [...path, { key: true }]);
    if (s.additionalProperties && typeof s.additionalProperties === 'object') walk(s.additionalProperties, `${pointer}/additionalProperties`, [...path, 'x']);
    for (const k of ['oneOf', 'anyOf', 'allOf'] as const) (s[k] as unknown[] | undefined)?.forEach((sub, i) => walk(sub, `${pointer}/${k}/${i}`, path));
  };
  walk(schema, '#', []);
  return { patterns, formats };
}

const { patterns, formats } = schemaChecks();
const originalsOf = (pattern: string) => Object.entries(SAFE_PATTERNS).filter(([, safe]) => safe === pattern).map(([original]) => original);

/** recheck with the automaton checker (a proof) where it applies, else its default (fuzzing). */
async function recheck(source: string, flags: string): Promise<Diagnostics> {
  const proof = await check(source, flags, { checker: 'automaton', timeout: 30_000 });
  return proof.status === 'unknown' ? check(source, flags, { timeout: 30_000 }) : proof;
}

/** A regular-expression format of ajv-formats (full mode, as src/config/validate.ts adds them), or undefined for a function. */
function formatRegExp(name: string): RegExp | undefined {
  const { fullFormats } = require('ajv-formats/dist/formats') as { fullFormats: Record<string, unknown> };
  const format = fullFormats[name];
  if (format instanceof RegExp) return format;
  const validate = (format as { validate?: unknown } | undefined)?.validate;
  return validate instanceof RegExp ? validate : undefined;
}
/**
 * Formats implemented as functions; bounded by the timed run below (date-time's own regexes are
 * anchored and fixed-width; int64, storage's fileSizeLimit, is Number.isInteger on numbers only).
 */
const FUNCTION_FORMATS = new Set(['date-time', 'int64']);

interface Family {
  prefix: string;
  pump: string;
  suffix: string;
}

const GENERIC_PUMPS = ['a', 'Z', '0', '9', '_', '-', ' ', '\t', '\u00a0', ',', '=', '.', '@', ':', 'a,', 'a ,', ' ,', ', ', ',,', '0=', '0,', '0=0', '00=0,', '0=00', 'a.', 'a@', 'a-', '-a', 'a.a', '0.', '1s', 'SUPABASE_', 'T0'];
const GENERIC_PREFIXES = ['', 'a', 'a@', '0=', 'a,', '2024-01-01T', '-1'];
const SUFFIXES = ['!', '\u0000'];

function families(attacks: Family[]): Family[] {
  const out = [...attacks];
  for (const prefix of GENERIC_PREFIXES) for (const pump of GENERIC_PUMPS) for (const suffix of SUFFIXES) out.push({ prefix, pump, suffix });
  return out;
}

/** recheck's attack strings as families: the pumps of the attack, one at a time, up to the size limit. */
function attackFamilies(d: Diagnostics): Family[] {
  if (d.status !== 'vulnerable') return [];
  return d.attack.pumps.map((p) => ({ prefix: p.prefix, pump: p.pump, suffix: d.attack.suffix }));
}

interface Case extends Family {
  id: number;
  target: string;
  path: Segment[];
  bytes: number;
}

interface Outcome {
  standalone: boolean | undefined;
  slowest: Map<string, number>;
  /** Targets whose case passed the bound, with the case. */
  hung: Map<string, string>;
}

/** Runs the cases in child processes; a case over the bound kills the child and skips the rest of its target. */
async function runCases(cases: readonly Case[]): Promise<Outcome> {
  const outcome: Outcome = { standalone: undefined, slowest: new Map(), hung: new Map() };
  let next = 0;
  while (next < cases.length) {
    const pending = cases.slice(next).filter((c) => !outcome.hung.has(c.target));
    if (!pending.length) break;
    const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [CHILD], { cwd: ROOT, stdio: 'pipe' });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const nextLine = async (bound: number): Promise<string | undefined> => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), bound)));
      const line = lines.next().then((r) => (r.done ? undefined : r.value));
      try {
        return await Promise.race([line, timeout]);
      } finally {
        clearTimeout(timer);
      }
    };
    try {
      const hello = await nextLine(START_BOUND_MS);
      if (!hello) throw new Error(`the audit child did not start: ${stderr.slice(0, 2000)}`);
      outcome.standalone = (JSON.parse(hello) as { standalone: boolean }).standalone;
      for (const c of pending) {
        child.stdin.write(`${JSON.stringify(c)}\n`);
        const line = await nextLine(CASE_BOUND_MS);
        next = cases.indexOf(c) + 1;
        if (!line) {
          if (child.exitCode !== null) throw new Error(`the audit child died: ${stderr.slice(0, 2000)}`);
          outcome.hung.set(c.target, `${JSON.stringify(c.prefix)} + ${JSON.stringify(c.pump)} × n + ${JSON.stringify(c.suffix)} at ${JSON.stringify(c.path)}`);
          break;
        }
        const { ms } = JSON.parse(line) as { ms: number };
        outcome.slowest.set(c.target, Math.max(outcome.slowest.get(c.target) ?? 0, ms));
      }
      if (next >= cases.length) break;
    } finally {
      child.kill('SIGKILL');
    }
  }
  return outcome;
}

describe('pattern audit: every pattern and format of config.schema.json', () => {
  it('finds the patterns and formats to audit', () => {
    expect(patterns.size).toBeGreaterThanOrEqual(7);
    expect([...formats.keys()].sort()).toEqual(['date-time', 'email', 'int64', 'uuid']);
  });

  it('words every pattern for people (src/config/messages.ts PATTERN_MESSAGES is keyed by the schema pattern)', () => {
    expect([...patterns.keys()].filter((p) => !(p in PATTERN_MESSAGES))).toEqual([]);
  });

  it('recheck: every pattern (with ajv\'s u flag) and every regular-expression format is safe', async () => {
    const verdicts: string[] = [];
    for (const pattern of patterns.keys()) {
      const d = await recheck(pattern, 'u');
      verdicts.push(`${d.status} ${d.status === 'unknown' ? d.error.kind : d.complexity.type} ${pattern}`);
    }
    for (const name of formats.keys()) {
      const re = formatRegExp(name);
      if (!re) {
        verdicts.push(FUNCTION_FORMATS.has(name) ? `safe function format:${name}` : `unknown: format ${name} is not audited`);
        continue;
      }
      const d = await recheck(re.source, re.flags);
      verdicts.push(`${d.status} ${d.status === 'unknown' ? d.error.kind : d.complexity.type} format:${name}`);
    }
    expect(verdicts.filter((v) => !v.startsWith('safe '))).toEqual([]);
  }, 120_000);

  it(`the validator stays linear on adversarial values of ${VALUE_BYTES} bytes at every place (each case bounded at ${CASE_BOUND_MS / 1000} s, in a child that is killed)`, async () => {
    const cases: Case[] = [];
    const push = (target: string, places: Place[], attacks: Family[]) => {
      const [first, ...others] = places;
      // Every family at the first place the pattern applies; one at each other place.
      for (const f of families(attacks)) cases.push({ ...f, id: cases.length, target, path: first!.path, bytes: VALUE_BYTES });
      for (const place of others) cases.push({ ...(attacks[0] ?? { prefix: 'a', pump: 'a,', suffix: '!' }), id: cases.length, target, path: place.path, bytes: VALUE_BYTES });
    };
    for (const [pattern, places] of patterns) {
      const attacks: Family[] = [];
      for (const source of [pattern, ...originalsOf(pattern)]) attacks.push(...attackFamilies(await recheck(source, 'u')));
      push(pattern, places, attacks);
    }
    for (const [name, places] of formats) {
      const re = formatRegExp(name);
      push(`format:${name}`, places, re ? attackFamilies(await recheck(re.source, re.flags)) : []);
    }
    const outcome = await runCases(cases);
    expect(outcome.standalone, 'the child validates with the build\'s standalone validator').toBe(true);
    expect(Object.fromEntries(outcome.hung)).toEqual({});
    expect([...outcome.slowest.keys()].sort()).toEqual([...patterns.keys(), ...[...formats.keys()].map((f) => `format:${f}`)].sort());
  }, 600_000);
});
