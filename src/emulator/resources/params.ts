/** Path parameters beyond the project ref, checked as the spec declares them. */
import { badRequest } from '../http-error.js';
import type { HandlerContext } from '../types.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);

/**
 * A path parameter the spec declares `format: uuid`, lower-cased. Assumption: a malformed one answers
 * 400 "Validation failed (uuid is expected)", NestJS's ParseUUIDPipe message (the SSO routes keep
 * their recorded 404 instead).
 */
export function uuidParam(ctx: HandlerContext, name: string): string {
  const value = ctx.params[name] ?? '';
  if (!UUID.test(value)) throw badRequest('Validation failed (uuid is expected)');
  return value.toLowerCase();
}
