/** Request bodies checked against the spec's own request schemas; validators compiled once. */
import type { ValidateFunction } from 'ajv';
import { badRequest } from './http-error.js';
import { firstError, requestBodyValidator } from './spec.js';

const validators = new Map<string, ValidateFunction | null>();

const key = (method: string, path: string): string => `${method} ${path}`;

/** Compiles (once per process) the request-body validator of an operation. */
export function compileBodyValidator(method: string, path: string): void {
  const k = key(method, path);
  if (!validators.has(k)) validators.set(k, requestBodyValidator(method, path) ?? null);
}

/** Whether the operation takes a JSON body at all. */
export function hasBody(method: string, path: string): boolean {
  compileBodyValidator(method, path);
  return validators.get(key(method, path)) !== null;
}

/**
 * The body when it matches the operation's request schema; otherwise HttpError(400) whose message
 * names the first offending field.
 */
export function validateBody<T = Record<string, unknown>>(method: string, path: string, body: unknown): T {
  compileBodyValidator(method, path);
  const validate = validators.get(key(method, path));
  if (validate) {
    const message = firstError(validate, body);
    if (message !== undefined) throw badRequest(message);
  }
  return body as T;
}
