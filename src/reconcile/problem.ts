/** Turns any failure into a Problem: the serialisable, secret-free form plans and outcomes carry. */
import { ApiError, ConfigError, SupasyncError, UnsupportedError } from '../errors.js';
import type { Problem } from './types.js';

export function toProblem(err: unknown): Problem {
  if (err instanceof ApiError) {
    return {
      kind: err.isAuthFailure ? 'auth' : err.isForbidden ? 'forbidden' : 'api',
      code: err.code,
      message: err.message,
      ...(err.status === undefined ? {} : { status: err.status }),
    };
  }
  if (err instanceof ConfigError) return { kind: 'config', code: err.code, message: err.message };
  if (err instanceof UnsupportedError) return { kind: 'unsupported', code: err.code, message: err.message };
  if (err instanceof SupasyncError) return { kind: 'api', code: err.code, message: err.message };
  // An unexpected error is a bug; its message is ours (never built from secrets), so keep it.
  return { kind: 'api', code: 'E_INTERNAL', message: err instanceof Error ? err.message : String(err) };
}
