import { describe, expect, it } from 'vitest';
import { FailureStreaks, failureSignature } from '../../../src/daemon/failure-streak.js';
import type { ProjectOutcome, SectionOutcome } from '../../../src/reconcile/types.js';

const REF = 'aaaaaaaaaaaaaaaaaaaa';
const section = (name: string, error?: { code: string; status?: number; message?: string }): SectionOutcome => ({
  section: name,
  status: error ? 'error' : 'unchanged',
  changes: 0,
  requests: 0,
  warnings: [],
  ...(error ? { error: { kind: 'api', message: 'failed', ...error } } : {}),
});
const failed = (...sections: SectionOutcome[]): ProjectOutcome => ({ ref: REF, status: 'error', sections });

describe('failureSignature', () => {
  it('is undefined for anything but a failure', () => {
    for (const status of ['unchanged', 'changed', 'drift', 'refused'] as const) {
      expect(failureSignature({ ref: REF, status, sections: [section('auth')] })).toBeUndefined();
    }
  });

  it('names each failed section with its code and status, in any order, and not the messages', () => {
    const a = failureSignature(failed(section('auth', { code: 'E_API_STATUS', status: 401, message: 'GET … failed 401: req 1' }), section('pooler')));
    const b = failureSignature(failed(section('pooler'), section('auth', { code: 'E_API_STATUS', status: 401, message: 'GET … failed 401: req 2' })));
    expect(a).toBe('auth E_API_STATUS 401');
    expect(b).toBe(a);
    const two = failureSignature(failed(section('pooler', { code: 'E_API_STATUS', status: 503 }), section('auth', { code: 'E_API_STATUS', status: 401 })));
    expect(two).toBe('auth E_API_STATUS 401\npooler E_API_STATUS 503');
    expect(failureSignature(failed(section('auth', { code: 'E_API_STATUS', status: 500 })))).not.toBe(a);
    expect(failureSignature(failed(section('postgres', { code: 'E_API_STATUS', status: 401 })))).not.toBe(a);
    expect(failureSignature(failed(section('auth', { code: 'E_NOT_TAKEN' })))).toBe('auth E_NOT_TAKEN -');
  });

  it('includes a failure of the whole project', () => {
    const outcome: ProjectOutcome = { ref: REF, status: 'error', sections: [], error: { kind: 'config', code: 'E_USAGE', message: 'cannot read the token file' } };
    expect(failureSignature(outcome)).toBe('(project) E_USAGE -');
  });
});

describe('FailureStreaks', () => {
  it('first failure in full, identical ones as repeats counted since first seen, a changed one in full again, then one recovery', () => {
    const streaks = new FailureStreaks();
    expect(streaks.record(REF, undefined, 0)).toEqual({ kind: 'ok' });
    expect(streaks.record(REF, 'auth E_API_STATUS 401', 1_000)).toEqual({ kind: 'failed', changed: false, failures: 1, firstFailedAt: 1_000 });
    expect(streaks.record(REF, 'auth E_API_STATUS 401', 6_000)).toEqual({ kind: 'repeated', repeats: 1, firstSeenAt: 1_000, failures: 2, firstFailedAt: 1_000 });
    expect(streaks.record(REF, 'auth E_API_STATUS 401', 16_000)).toEqual({ kind: 'repeated', repeats: 2, firstSeenAt: 1_000, failures: 3, firstFailedAt: 1_000 });
    expect(streaks.record(REF, 'auth E_API_STATUS 503', 36_000)).toEqual({ kind: 'failed', changed: true, failures: 4, firstFailedAt: 1_000 });
    expect(streaks.record(REF, 'auth E_API_STATUS 503', 76_000)).toEqual({ kind: 'repeated', repeats: 1, firstSeenAt: 36_000, failures: 5, firstFailedAt: 1_000 });
    expect(streaks.size).toBe(1);
    expect(streaks.record(REF, undefined, 156_000)).toEqual({ kind: 'recovered', failures: 5, firstFailedAt: 1_000 });
    expect(streaks.size).toBe(0);
    expect(streaks.record(REF, undefined, 160_000)).toEqual({ kind: 'ok' });
    // A failure after the recovery is a new streak: logged in full.
    expect(streaks.record(REF, 'auth E_API_STATUS 401', 200_000)).toEqual({ kind: 'failed', changed: false, failures: 1, firstFailedAt: 200_000 });
  });

  it('going back to an earlier failure is a change, not a repeat', () => {
    const streaks = new FailureStreaks();
    streaks.record(REF, 'x', 0);
    streaks.record(REF, 'y', 1);
    expect(streaks.record(REF, 'x', 2)).toMatchObject({ kind: 'failed', changed: true, failures: 3 });
  });

  it('keeps each project apart', () => {
    const streaks = new FailureStreaks();
    const B = 'bbbbbbbbbbbbbbbbbbbb';
    streaks.record(REF, 'x', 0);
    expect(streaks.record(B, 'x', 1)).toMatchObject({ kind: 'failed', changed: false, failures: 1 });
    expect(streaks.record(B, undefined, 2)).toMatchObject({ kind: 'recovered', failures: 1 });
    expect(streaks.record(REF, 'x', 3)).toMatchObject({ kind: 'repeated', repeats: 1 });
  });

  it('forgets a project that left: its next failure is a first one', () => {
    const streaks = new FailureStreaks();
    streaks.record(REF, 'x', 0);
    streaks.forget(REF);
    expect(streaks.size).toBe(0);
    expect(streaks.record(REF, 'x', 1)).toEqual({ kind: 'failed', changed: false, failures: 1, firstFailedAt: 1 });
  });
});
