/**
 * Fault injection for tests (`POST /_emulator/faults`): rules matched against `/v1` requests before
 * anything else, first match wins. A rule may delay the request, answer it with a status (and body,
 * and Retry-After), or destroy the connection (`reset`). `times` counts down; absent, it is forever.
 * A rule that only delays lets the request go on to the normal handling afterwards.
 *
 * `path` is a regular expression in RE2 syntax, run by RE2JS: matching takes time linear in the
 * path's length whatever the pattern (no backtracking), so a rule like `^/v1/(a+)+$` cannot stall
 * the emulator. Forms RE2 does not have (back-references, look-around) are refused with a 400, and so
 * is a pattern longer than MAX_FAULT_PATTERN characters (RE2 also refuses huge repetition counts).
 */
import { Ajv } from 'ajv';
import { RE2JS } from 're2js';
import { badRequest } from './http-error.js';

/** Longest `path` pattern accepted; enough for any path template the API has, with room to spare. */
export const MAX_FAULT_PATTERN = 512;

export interface FaultRule {
  method?: string;
  /** Regular expression (RE2 syntax) searched for in the request path (without the query string). */
  path: string;
  status?: number;
  /** Answered as JSON; a string is sent as it is (e.g. to answer malformed JSON). */
  body?: unknown;
  delay_ms?: number;
  reset?: boolean;
  retry_after?: number;
  times?: number;
}

interface ActiveRule {
  rule: FaultRule;
  pattern: RE2JS;
  remaining: number | undefined;
}

const ruleSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['path'],
  properties: {
    method: { type: 'string', enum: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'get', 'post', 'put', 'patch', 'delete'] },
    path: { type: 'string', minLength: 1, maxLength: MAX_FAULT_PATTERN },
    status: { type: 'integer', minimum: 100, maximum: 599 },
    body: {},
    delay_ms: { type: 'integer', minimum: 0, maximum: 600_000 },
    reset: { type: 'boolean' },
    retry_after: { type: 'integer', minimum: 0 },
    times: { type: 'integer', minimum: 1 },
  },
};
const validateRule = new Ajv({ logger: false }).compile<FaultRule>(ruleSchema);

export class Faults {
  private rules: ActiveRule[] = [];

  /** Adds rules (a list or a single rule) after the existing ones; throws HttpError(400). */
  add(input: unknown): void {
    const list = Array.isArray(input) ? input : [input];
    const parsed: ActiveRule[] = list.map((rule: unknown, i) => {
      if (!validateRule(rule)) {
        const e = validateRule.errors?.[0];
        throw badRequest(`fault ${i}${e?.instancePath ?? ''}: ${e?.message ?? 'is invalid'}`);
      }
      if (rule.status === undefined && !rule.reset && rule.delay_ms === undefined) {
        throw badRequest(`fault ${i}: give at least one of status, reset, delay_ms`);
      }
      let pattern: RE2JS;
      try {
        pattern = RE2JS.compile(rule.path);
      } catch (err) {
        throw badRequest(`fault ${i}/path: ${(err as Error).message} (RE2 syntax: no back-references or look-around)`);
      }
      return { rule: { ...rule, method: rule.method?.toUpperCase() }, pattern, remaining: rule.times };
    });
    this.rules.push(...parsed);
  }

  /** The first rule matching the request, counted as used. */
  take(method: string, path: string): FaultRule | undefined {
    if (this.rules.length === 0) return undefined;
    const index = this.rules.findIndex((r) => (!r.rule.method || r.rule.method === method) && r.pattern.test(path));
    if (index < 0) return undefined;
    const active = this.rules[index]!;
    if (active.remaining !== undefined) {
      active.remaining -= 1;
      if (active.remaining <= 0) this.rules.splice(index, 1);
    }
    return active.rule;
  }

  list(): (FaultRule & { remaining?: number })[] {
    return this.rules.map((r) => (r.remaining === undefined ? { ...r.rule } : { ...r.rule, remaining: r.remaining }));
  }

  clear(): void {
    this.rules = [];
  }
}
