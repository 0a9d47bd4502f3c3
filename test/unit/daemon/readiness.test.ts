import { describe, expect, it } from 'vitest';
import { classifyOutcome, errorSummary } from '../../../src/daemon/cycle-result.js';
import { ApiError, ConfigError, UsageError } from '../../../src/errors.js';
import { readiness, type ReadinessInput } from '../../../src/daemon/readiness.js';
import type { Outcome, Problem, ProjectOutcome } from '../../../src/reconcile/types.js';

const healthy: ReadinessInput = { hasValidConfig: true, lastCycle: { result: 'ok' }, shuttingDown: false };

describe('readiness', () => {
  it('is ready with a valid configuration and a last cycle that was not a config or auth failure', () => {
    expect(readiness(healthy)).toEqual({ ready: true, reason: 'ok' });
    expect(readiness({ ...healthy, lastCycle: { result: 'error', reason: 'API down' } }).ready).toBe(true);
    expect(readiness({ ...healthy, lastCycle: { result: 'refused' } }).ready).toBe(true);
  });

  it('is not ready before the first cycle has finished', () => {
    const { lastCycle: _, ...rest } = healthy;
    expect(readiness(rest)).toMatchObject({ ready: false, reason: 'starting' });
  });

  it('is not ready after a configuration or authentication failure, with the summary (codes and counts), never the reason text', () => {
    const lastCycle = { result: 'auth_error' as const, reason: 'x: GET /v1/projects/x/config/auth failed 401: token sbp_echoed', summary: '1 project(s) failed: E_API_STATUS 401 (1)' };
    expect(readiness({ ...healthy, lastCycle })).toEqual({
      ready: false,
      reason: 'auth_error',
      detail: '1 project(s) failed: E_API_STATUS 401 (1)',
    });
    expect(readiness({ ...healthy, lastCycle: { result: 'config_error' } })).toMatchObject({ ready: false, reason: 'config_error' });
  });

  it('is not ready while the files on disk are invalid, even though the last valid configuration runs', () => {
    expect(readiness({ ...healthy, invalidReload: { issues: 2 } })).toMatchObject({
      ready: false,
      reason: 'configuration_invalid',
      detail: expect.stringContaining('2 error(s)'),
    });
  });

  it('ranks shutting down, then no configuration, above everything else', () => {
    expect(readiness({ ...healthy, shuttingDown: true, invalidReload: { issues: 1 } }).reason).toBe('shutting_down');
    expect(readiness({ ...healthy, hasValidConfig: false, invalidReload: { issues: 1 } }).reason).toBe('no_configuration');
    expect(readiness({ ...healthy, invalidReload: { issues: 1 }, lastCycle: { result: 'auth_error' } }).reason).toBe('configuration_invalid');
  });
});

const problem = (kind: Problem['kind'], message = `${kind} problem`): Problem => ({ kind, code: 'E_X', message });
const project = (ref: string, status: ProjectOutcome['status'], error?: Problem): ProjectOutcome => ({
  ref,
  status,
  sections: [{ section: 'auth', status: status === 'error' ? 'error' : 'unchanged', changes: 0, requests: 0, warnings: [], ...(error ? { error } : {}) }],
  ...(error ? { error } : {}),
});
const outcome = (...projects: ProjectOutcome[]): Outcome => ({ projects });

describe('classifyOutcome', () => {
  it('ok when every project is fine', () => {
    expect(classifyOutcome(outcome(project('a', 'changed'), project('b', 'unchanged'), project('c', 'drift')))).toEqual({ result: 'ok' });
    expect(classifyOutcome(outcome())).toEqual({ result: 'ok' });
  });

  it('ranks config over auth over other errors over refusals', () => {
    const all = [project('r', 'refused'), project('e', 'error', problem('api')), project('u', 'error', problem('auth')), project('c', 'error', problem('config'))];
    expect(classifyOutcome(outcome(...all)).result).toBe('config_error');
    expect(classifyOutcome(outcome(...all.slice(0, 3))).result).toBe('auth_error');
    expect(classifyOutcome(outcome(...all.slice(0, 2))).result).toBe('error');
    expect(classifyOutcome(outcome(all[0]!))).toEqual({ result: 'refused', reason: 'risky changes not allowed in r', summary: '1 project(s) refused' });
  });

  it('names the projects and problems in the reason (for the log), once each; the summary has codes, statuses and counts only', () => {
    const auth = (ref: string, message: string): Problem => ({ kind: 'auth', code: 'E_API_STATUS', status: 401, message });
    const v = classifyOutcome(outcome(project('a', 'error', auth('a', 'GET /v1/projects/a/config/auth failed 401: echoed sbp_canary'))));
    expect(v).toEqual({
      result: 'auth_error',
      reason: 'a: GET /v1/projects/a/config/auth failed 401: echoed sbp_canary',
      summary: '1 project(s) failed: E_API_STATUS 401 (1)',
    });
    const many = classifyOutcome(outcome(project('a', 'error', auth('a', 'x')), project('b', 'error', auth('b', 'y')), project('c', 'error', { kind: 'auth', code: 'E_API_STATUS', status: 403, message: 'z' })));
    expect(many.summary).toBe('3 project(s) failed: E_API_STATUS 401 (2), E_API_STATUS 403 (1)');
    const odd = classifyOutcome(outcome(project('a', 'error', { kind: 'api', code: 'not a code: secret', message: 'm' })));
    expect(odd.summary).toBe('1 project(s) failed: E_UNKNOWN (1)');
  });

  it('counts an unsupported section as an error, not as not-ready', () => {
    expect(classifyOutcome(outcome(project('a', 'error', problem('unsupported')))).result).toBe('error');
  });
});

describe('errorSummary (a cycle that failed before planning)', () => {
  it('gives codes, statuses and counts, never the message', () => {
    const api = new ApiError({ code: 'E_API_STATUS', method: 'GET', path: '/v1/projects', status: 401, apiMessage: 'echo sbp_canary', retryable: false });
    expect(errorSummary(api)).toBe('E_API_STATUS 401');
    expect(errorSummary(new ConfigError([{ path: 'auth', message: 'bad secret-canary' }, { path: 'x', message: 'y' }]))).toBe('configuration invalid: 2 error(s) (E_CONFIG)');
    expect(errorSummary(new UsageError('no access token in secret-canary'))).toBe('E_USAGE');
    expect(errorSummary(new Error('boom secret-canary'))).toBe('E_INTERNAL');
  });
});
