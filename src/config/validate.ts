/**
 * Schema validation of one document against config.schema.json with ajv (strict, all errors,
 * formats). config.schema.json is the source; `npm run build` turns it into standalone validation
 * code (dist/config/schema-validator.cjs, see ./validator-source.ts), so that a one-shot command
 * does not pay for compiling it (~100+ ms and tens of MB) or even load ajv's compiler. The standalone
 * module records a digest of the schema it was built from; when it is missing (running from src/)
 * or was built from another schema, the schema is compiled here instead, with the same options.
 * Either way the validator is built once per process and reused (the daemon validates every cycle).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Ajv, ValidateFunction } from 'ajv';
import type { ConfigIssue } from '../errors.js';
import type { PositionMap } from './locate.js';
import { schemaIssueSteps } from './messages.js';
import { runAtOnce, runSliced, type Pause } from './slicer.js';
import type { ValuePath } from './types.js';

/** config.schema.json sits at the package root, two levels above src/config and dist/config alike. */
const SCHEMA_URL = new URL('../../config.schema.json', import.meta.url);
/** The build writes the standalone validator next to this module (dist/config/). */
export const STANDALONE_VALIDATOR_FILE = 'schema-validator.cjs';
const STANDALONE_URL = new URL(`./${STANDALONE_VALIDATOR_FILE}`, import.meta.url);

/**
 * The one set of ajv options, for the build and the fallback alike. verbose: errors carry their
 * schema and parent schema (for "did you mean" over the allowed keys, and the accepted types of a
 * failed oneOf) and the data.
 */
export const AJV_OPTIONS = Object.freeze({ strict: true, allErrors: true, allowUnionTypes: true, verbose: true });

export type ConfigSchema = { properties: Record<string, { properties?: Record<string, unknown> }> } & Record<string, unknown>;

// ajv and ajv-formats are CommonJS: required on demand, so a process with the standalone validator
// never loads them.
const require = createRequire(import.meta.url);

/** sha256 of the schema text: ties a standalone validator to the schema it was generated from. */
export function schemaDigest(schemaText: string): string {
  return createHash('sha256').update(schemaText).digest('hex');
}

/** Compiles the schema with ajv (`source: true` keeps the code, for standalone generation). */
export function compileSchemaValidator(schema: unknown, opts: { source?: boolean } = {}): { ajv: Ajv; validate: ValidateFunction } {
  const { Ajv: AjvClass } = require('ajv') as typeof import('ajv');
  const addFormats = (require('ajv-formats') as { default: (ajv: Ajv) => Ajv }).default;
  const ajv = new AjvClass({ ...AJV_OPTIONS, ...(opts.source ? { code: { source: true } } : {}) });
  addFormats(ajv);
  return { ajv, validate: ajv.compile(schema as object) };
}

/** The build's standalone validator, when it exists and was generated from this very schema text. */
function loadStandalone(schemaText: string): ValidateFunction | undefined {
  if (!existsSync(STANDALONE_URL)) return undefined;
  const mod = require(STANDALONE_URL.pathname) as { default: ValidateFunction; schemaSha256?: string };
  return mod.schemaSha256 === schemaDigest(schemaText) ? mod.default : undefined;
}

let cached: { schema: ConfigSchema; validate: ValidateFunction; standalone: boolean } | undefined;

function compiled(): { schema: ConfigSchema; validate: ValidateFunction; standalone: boolean } {
  if (!cached) {
    const text = readFileSync(SCHEMA_URL, 'utf8');
    const schema = JSON.parse(text) as ConfigSchema;
    const standalone = loadStandalone(text);
    cached = standalone
      ? { schema, validate: standalone, standalone: true }
      : { schema, validate: compileSchemaValidator(schema).validate, standalone: false };
  }
  return cached;
}

/** The document schema (for the names of sections and keys). */
export function configSchema(): ConfigSchema {
  return compiled().schema;
}

/** Whether this process validates with the build's standalone code (for tests and benchmarks). */
export function usesStandaloneValidator(): boolean {
  return compiled().standalone;
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

function* validationSteps(input: ValidationInput): Generator<void, ConfigIssue[]> {
  const { validate } = compiled();
  if (validate(input.data)) return [];
  const skip = input.unresolved.map(pointer);
  const errors = (validate.errors ?? []).filter((e) => !skip.some((p) => below(e.instancePath, p)));
  yield;
  return yield* schemaIssueSteps(errors, input);
}

export function validateDocument(input: ValidationInput): ConfigIssue[] {
  return runAtOnce(validationSteps(input));
}

/** validateDocument, giving the event loop a turn whenever `pause` decides (a document may have 100k errors). */
export function validateDocumentSliced(input: ValidationInput, pause: Pause): Promise<ConfigIssue[]> {
  return runSliced(validationSteps(input), pause);
}
