/** Only a 401 is a token problem; a 403 is the token being accepted but not allowed (scope, or the project's plan). */
import { describe, expect, it } from 'vitest';
import { classifyOutcome } from '../../../src/daemon/cycle-result.js';
import { ApiError } from '../../../src/errors.js';
import { toProblem } from '../../../src/reconcile/problem.js';

const apiError = (status: number, apiMessage: string) =>
  new ApiError({ code: 'E_API_STATUS', method: 'PATCH', path: '/v1/projects/aaaaaaaaaaaaaaaaaaaa/config/storage', status, apiMessage, retryable: false });

describe('toProblem: 401 and 403', () => {
  it('401: auth', () => {
    expect(toProblem(apiError(401, 'Unauthorized'))).toEqual({
      kind: 'auth',
      code: 'E_API_STATUS',
      status: 401,
      message: 'PATCH /v1/projects/aaaaaaaaaaaaaaaaaaaa/config/storage failed 401: Unauthorized',
    });
  });

  it.each([
    ['a feature the plan lacks', 'Image transformations are not available on the free plan'],
    ['a limit above the plan', 'fileSizeLimit cannot exceed 52428800 bytes on the free plan'],
    ['a project outside the token\'s reach', 'Forbidden resource'],
  ])('403 for %s: forbidden, with the API\'s message, never auth', (_label, said) => {
    const problem = toProblem(apiError(403, said));
    expect(problem).toEqual({ kind: 'forbidden', code: 'E_API_STATUS', status: 403, message: `PATCH /v1/projects/aaaaaaaaaaaaaaaaaaaa/config/storage failed 403: ${said}` });
  });

  it('the daemon counts a 403 as an error, a 401 as an auth_error', () => {
    const outcome = (status: number) => ({
      projects: [{ ref: 'aaaaaaaaaaaaaaaaaaaa', status: 'error' as const, sections: [{ section: 'storage', status: 'error' as const, changes: 1, requests: 1, warnings: [], error: toProblem(apiError(status, 'x')) }] }],
    });
    expect(classifyOutcome(outcome(403)).result).toBe('error');
    expect(classifyOutcome(outcome(401)).result).toBe('auth_error');
  });
});
