/**
 * Schema validation of one document against config.schema.json with ajv (strict, all errors,
 * formats). The validator is compiled once per process and reused: the daemon validates on every
 * cycle, and compiling costs more than validating.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import formats from 'ajv-formats';
import type { ConfigIssue } from '../errors.js';
import type { PositionMap } from './locate.js';
import { schemaIssues } from './messages.js';
import type { ValuePath } from './types.js';

/** config.schema.json sits at the package root, two levels above src/config and dist/config alike. */
const SCHEMA_URL = new URL('../../config.schema.json', import.meta.url);

export type ConfigSchema = { properties: Record<string, { properties?: Record<string, unknown> }> } & Record<string, unknown>;

let cached: { schema: ConfigSchema; validate: ValidateFunction } | undefined;

function compiled(): { schema: ConfigSchema; validate: ValidateFunction } {
  if (!cached) {
    const schema = JSON.parse(readFileSync(SCHEMA_URL, 'utf8')) as ConfigSchema;
    // verbose: errors carry their schema, for "did you mean" over the allowed keys.
    const ajv = new Ajv({ strict: true, allErrors: true, allowUnionTypes: true, verbose: true });
    formats.default(ajv);
    cached = { schema, validate: ajv.compile(schema) };
  }
  return cached;
}

/** The document schema (for the names of sections and keys). */
export function configSchema(): ConfigSchema {
  return compiled().schema;
}

export interface ValidationInput {
  data: unknown;
  positions: PositionMap;
  /** Paths already reported (unresolved references); errors at or below them are not repeated. */
  unresolved: readonly ValuePath[];
  isSensitive(path: ValuePath): boolean;
}

const below = (path: string, prefix: string): boolean => path === prefix || path.startsWith(`${prefix}/`);
const pointer = (path: ValuePath): string =>
  path.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');

export function validateDocument(input: ValidationInput): ConfigIssue[] {
  const { validate } = compiled();
  if (validate(input.data)) return [];
  const skip = input.unresolved.map(pointer);
  const errors = (validate.errors ?? []).filter((e) => !skip.some((p) => below(e.instancePath, p)));
  return schemaIssues(errors, input);
}
