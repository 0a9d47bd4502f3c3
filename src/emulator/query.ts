/**
 * Query parameters checked against the spec's own parameter list of each operation (the way NestJS's
 * pipes check them): booleans are `true` / `false`, integers are digits within the schema's bounds,
 * enums are one of their values, required ones must be there. Parameters the spec does not list are
 * ignored, as the real API ignores them (assumption). Compiled once per operation.
 */
import { badRequest } from './http-error.js';
import { findOperation, type JsonSchema } from './spec.js';

interface QueryParam {
  name: string;
  required: boolean;
  schema: JsonSchema;
}

const compiled = new Map<string, QueryParam[]>();

function queryParams(method: string, template: string): QueryParam[] {
  const key = `${method} ${template}`;
  let params = compiled.get(key);
  if (!params) {
    const op = findOperation(method, template) as { parameters?: { name: string; in: string; required?: boolean; schema?: JsonSchema }[] } | undefined;
    params = (op?.parameters ?? [])
      .filter((p) => p.in === 'query')
      .map((p) => ({ name: p.name, required: p.required === true, schema: p.schema ?? {} }));
    compiled.set(key, params);
  }
  return params;
}

/** Compiles (once per process) the query parameter list of an operation. */
export function compileQueryParams(method: string, template: string): void {
  queryParams(method, template);
}

function typeOf(schema: JsonSchema): string | undefined {
  const type = schema.type;
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) return type.find((t) => t !== 'null') as string | undefined;
  return undefined;
}

function convert(param: QueryParam, raw: string): unknown {
  const { name, schema } = param;
  switch (typeOf(schema)) {
    case 'boolean':
      if (raw === 'true') return true;
      if (raw === 'false') return false;
      throw badRequest(`${name} must be a boolean value ("true" or "false")`);
    case 'integer':
    case 'number': {
      if (!/^-?\d+(\.\d+)?$/.test(raw)) throw badRequest(`${name} must be a number`);
      const n = Number(raw);
      if (typeOf(schema) === 'integer' && !Number.isInteger(n)) throw badRequest(`${name} must be an integer`);
      if (typeof schema.minimum === 'number' && n < schema.minimum) throw badRequest(`${name} must not be less than ${schema.minimum}`);
      if (typeof schema.maximum === 'number' && n > schema.maximum) throw badRequest(`${name} must not be greater than ${schema.maximum}`);
      return n;
    }
    default:
      if (Array.isArray(schema.enum) && !schema.enum.includes(raw)) {
        throw badRequest(`${name} must be one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}`);
      }
      return raw;
  }
}

/**
 * The operation's query parameters, converted to their schema types; HttpError(400) naming the first
 * one that is missing or invalid. A parameter given twice counts by its first value.
 */
export function validateQuery(method: string, template: string, query: URLSearchParams): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const param of queryParams(method, template)) {
    const raw = query.get(param.name);
    if (raw === null) {
      if (param.required) throw badRequest(`${param.name} is required`);
      continue;
    }
    out[param.name] = convert(param, raw);
  }
  return out;
}
