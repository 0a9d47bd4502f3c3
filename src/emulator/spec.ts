/**
 * The vendored OpenAPI spec, turned once per process into ajv validators for the request bodies
 * (and, for the contract tests, the response bodies) of the operations the emulator answers.
 * Validators are compiled eagerly at start; no request ever walks the spec.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS; its default export arrives wrapped under NodeNext resolution.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/** Same depth from src/emulator and dist/emulator; `vendor/openapi` ships in the npm package. */
const SPEC_URL = new URL('../../vendor/openapi/supabase-management-api.json', import.meta.url);

export type JsonSchema = Record<string, unknown>;

export interface OpenApiOperation {
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: JsonSchema }> }>;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, JsonSchema> };
}

const SKIP_KEYS = new Set(['example', 'examples']);

/**
 * OpenAPI 3.0 → JSON Schema, in place: `nullable: true` becomes a `null` type (and a `null` enum
 * member, since ajv would otherwise still reject null against the enum); `example` is left alone.
 */
export function openApiToJsonSchema(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) openApiToJsonSchema(item);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const obj = node as Record<string, unknown>;
  if (obj.nullable === true) {
    delete obj.nullable;
    if (typeof obj.type === 'string') {
      obj.type = [obj.type, 'null'];
      if (Array.isArray(obj.enum) && !obj.enum.includes(null)) obj.enum = [...obj.enum, null];
    } else if (obj.$ref !== undefined || obj.allOf !== undefined || obj.oneOf !== undefined || obj.anyOf !== undefined) {
      const inner = { ...obj };
      for (const key of Object.keys(obj)) delete obj[key];
      obj.anyOf = [inner, { type: 'null' }];
    }
    // `{nullable: true}` alone already accepts anything, null included.
  }
  for (const [key, value] of Object.entries(obj)) {
    if (!SKIP_KEYS.has(key)) openApiToJsonSchema(value);
  }
}

let cached: { spec: OpenApiDocument; ajv: Ajv } | undefined;

/** The spec (converted to JSON Schema) and an ajv instance that knows it as `spec`. */
export function loadSpec(): { spec: OpenApiDocument; ajv: Ajv } {
  if (cached) return cached;
  const spec = JSON.parse(readFileSync(SPEC_URL, 'utf8')) as OpenApiDocument;
  openApiToJsonSchema(spec);
  // strict: false — the spec carries OpenAPI-only keywords (example, discriminator, deprecated).
  // validateSchema: false and code.optimize: false roughly halve the start-up cost of compiling
  // (the auth config body alone has 234 properties); validation itself stays as strict.
  const ajv = new Ajv({
    strict: false,
    allErrors: false,
    verbose: true,
    logger: false,
    validateSchema: false,
    code: { optimize: false },
  });
  addFormats(ajv);
  ajv.addSchema(spec as unknown as JsonSchema, 'spec');
  cached = { spec, ajv };
  return cached;
}

function pointerSegment(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function findOperation(method: string, template: string): OpenApiOperation | undefined {
  return loadSpec().spec.paths[template]?.[method.toLowerCase()];
}

function validatorAt(pointer: string): ValidateFunction {
  const { ajv } = loadSpec();
  const validate = ajv.getSchema(`spec#${pointer}`);
  if (!validate) throw new Error(`no schema at ${pointer}`);
  return validate;
}

/** The validator of an operation's JSON request body, or undefined when the operation has none. */
export function requestBodyValidator(method: string, template: string): ValidateFunction | undefined {
  const op = findOperation(method, template);
  if (!op) throw new Error(`the spec has no operation ${method} ${template}`);
  if (!op.requestBody?.content?.['application/json']?.schema) return undefined;
  return validatorAt(
    `/paths/${pointerSegment(template)}/${method.toLowerCase()}/requestBody/content/application~1json/schema`,
  );
}

/** The validator of an operation's JSON response for a status, or undefined when the spec gives none. */
export function responseBodyValidator(method: string, template: string, status: number): ValidateFunction | undefined {
  const op = findOperation(method, template);
  if (!op?.responses?.[String(status)]?.content?.['application/json']?.schema) return undefined;
  return validatorAt(
    `/paths/${pointerSegment(template)}/${method.toLowerCase()}/responses/${status}/content/application~1json/schema`,
  );
}

function fieldName(instancePath: string, child?: string): string {
  const parts = instancePath.split('/').slice(1);
  if (child !== undefined) parts.push(child);
  return parts.join('.');
}

/**
 * One validation error as the message of a 400, naming the field. The wording follows the real
 * API's validator where it is known (`property X should not exist` for forbidden fields).
 */
export function describeValidationError(err: ErrorObject): string {
  const field = fieldName(err.instancePath);
  switch (err.keyword) {
    case 'additionalProperties':
      return `property ${fieldName(err.instancePath, String(err.params.additionalProperty))} should not exist`;
    case 'required':
      return `${fieldName(err.instancePath, String(err.params.missingProperty))} is required`;
    case 'pattern': {
      const description = (err.parentSchema as { description?: unknown } | undefined)?.description;
      if (typeof description === 'string') return `${field}: ${description}`;
      return `${field} ${err.message ?? 'is invalid'}`;
    }
    case 'type': {
      const types = String(err.params.type).split(',');
      return `${field || 'body'} must be ${types.join(' or ')}`;
    }
    case 'enum':
      return `${field} must be one of ${((err.params.allowedValues as unknown[]) ?? []).map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return `${field || 'body'} ${err.message ?? 'is invalid'}`;
  }
}

/** Validates a value; returns the message of the first error, or undefined when valid. */
export function firstError(validate: ValidateFunction, value: unknown): string | undefined {
  if (validate(value)) return undefined;
  const err = validate.errors?.[0];
  return err ? describeValidationError(err) : 'body is invalid';
}
