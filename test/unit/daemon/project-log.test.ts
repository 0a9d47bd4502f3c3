/**
 * The daemon's per-project failure lines are level-triggered: what a reconcile logs, and at which
 * level, when a project fails, fails again the same way, fails otherwise, and recovers (the same
 * calls, in the same order, the reconciler and the work queue make).
 */
import { describe, expect, it } from 'vitest';
import { logSink } from '../../helpers/log-sink.js';
import type { Logger } from 'pino';
import { logMemory } from '../../../src/daemon/log-memory.js';
import { logProjectDone, recordProjectOutcome } from '../../../src/daemon/project-log.js';
import type { ProjectReport } from '../../../src/daemon/reconciler.js';
import { logSection } from '../../../src/daemon/section-log.js';
import type { ProjectOutcome, SectionOutcome } from '../../../src/reconcile/types.js';

const REF = 'aaaaaaaaaaaaaaaaaaaa';
type Line = Record<string, unknown> & { level: string; msg: string };

const sink = () => logSink<Line>({ level: 'debug', formatters: { level: (label) => ({ level: label }) } });

const err = (kind: 'api' | 'auth', status: number, message = `GET … failed ${status}`) => ({ kind, code: 'E_API_STATUS', status, message });
const section = (name: string, error?: ReturnType<typeof err>): SectionOutcome => ({
  section: name,
  status: error ? 'error' : 'unchanged',
  changes: 0,
  requests: 0,
  warnings: [],
  ...(error ? { error } : {}),
});

/** One reconcile of REF as the daemon logs it: the sections (reconciler.ts), then the project's line (daemon.ts). */
function reconcile(logger: Logger, outcome: ProjectOutcome, attempt: number, now: number): void {
  const verdict = recordProjectOutcome(logger, outcome, now);
  for (const s of outcome.sections) logSection(logger, REF, s, [], verdict.kind === 'repeated');
  const report: ProjectReport = { ref: REF, outcome, verdict, retry: outcome.status === 'error', extraRequests: 0, changes: 0, requests: 0, held: 0, durationMs: 5 };
  logProjectDone(logger, REF, report, { priority: 'low', paced: false, waitedMs: 0, attempt }, outcome.status === 'error' ? 5_000 : undefined);
}

const loud = (lines: Line[]) => lines.filter((l) => l.level === 'error' || l.level === 'warn');

describe('per-project failure lines', () => {
  it('a failure: in full at first, at debug with its repeat count while the same, in full again when it changes, one line when it recovers', () => {
    const { lines, logger } = sink();
    const t0 = Date.parse('2025-01-01T10:00:00.000Z');
    const outage = (message: string): ProjectOutcome => ({ ref: REF, status: 'error', sections: [section('auth', err('api', 503, message)), section('pooler')] });

    reconcile(logger, outage('GET … failed 503: try 1'), 1, t0);
    expect(loud(lines).map((l) => [l.level, l.msg])).toEqual([
      ['error', 'GET … failed 503: try 1'],
      ['error', 'project reconciled'],
    ]);
    expect(lines.at(-1)).toMatchObject({ project: REF, result: 'error', code: 'E_API_STATUS', status: 503, retry_in_ms: 5_000, failure: 'first', attempt: 1 });

    // The same codes in the same sections (the API's text may differ): debug, with how often since when.
    let mark = lines.length;
    reconcile(logger, outage('GET … failed 503: try 2'), 2, t0 + 5_000);
    reconcile(logger, outage('GET … failed 503: try 3'), 3, t0 + 15_000);
    const repeats = lines.slice(mark);
    expect(loud(repeats)).toEqual([]);
    expect(repeats.filter((l) => l.msg === 'project reconciled')).toEqual([
      expect.objectContaining({ level: 'debug', result: 'error', attempt: 2, failure: 'repeat', repeats: 1, first_seen_at: '2025-01-01T10:00:00.000Z', code: 'E_API_STATUS', status: 503 }),
      expect.objectContaining({ level: 'debug', result: 'error', attempt: 3, failure: 'repeat', repeats: 2, first_seen_at: '2025-01-01T10:00:00.000Z' }),
    ]);
    expect(repeats.filter((l) => l.msg.startsWith('GET … failed 503')).map((l) => l.level)).toEqual(['debug', 'debug']);

    // Another section fails too: a different failure, logged in full again.
    mark = lines.length;
    reconcile(logger, { ref: REF, status: 'error', sections: [section('auth', err('api', 503)), section('pooler', err('api', 500))] }, 4, t0 + 35_000);
    expect(loud(lines.slice(mark)).map((l) => [l.level, l.msg, l.failure])).toEqual([
      ['error', 'GET … failed 503', undefined],
      ['error', 'GET … failed 500', undefined],
      ['error', 'project reconciled', 'changed'],
    ]);

    mark = lines.length;
    reconcile(logger, { ref: REF, status: 'changed', sections: [section('auth'), section('pooler')] }, 5, t0 + 75_000);
    const recovered = lines.slice(mark).filter((l) => l.msg === 'project recovered');
    expect(recovered).toHaveLength(1);
    expect(recovered[0]).toMatchObject({ level: 'info', project: REF, failed_attempts: 4, first_failed_at: '2025-01-01T10:00:00.000Z' });
    expect(recovered[0]!.failed_for_ms).toBeGreaterThan(0);
    expect(lines.slice(mark).find((l) => l.msg === 'project reconciled')).toMatchObject({ level: 'info', result: 'changed' });
    expect(lines.slice(mark).find((l) => l.msg === 'project reconciled')!.failure).toBeUndefined();

    // Succeeding again says nothing more; failing again is a new failure, in full.
    mark = lines.length;
    reconcile(logger, { ref: REF, status: 'unchanged', sections: [section('auth')] }, 1, t0 + 80_000);
    expect(lines.slice(mark).map((l) => [l.level, l.msg])).toEqual([['debug', 'project reconciled']]);
    reconcile(logger, outage('GET … failed 503'), 1, t0 + 90_000);
    expect(lines.at(-1)).toMatchObject({ level: 'error', msg: 'project reconciled', failure: 'first' });
  });

  it('a refused token: one line that says to check the token and one failure line, whatever the retries', () => {
    const { lines, logger } = sink();
    const refused: ProjectOutcome = {
      ref: REF,
      status: 'error',
      sections: ['auth', 'pooler', 'postgres'].map((name) => section(name, err('auth', 401, 'GET … failed 401: Unauthorized'))),
    };
    for (let attempt = 1; attempt <= 6; attempt++) reconcile(logger, refused, attempt, Date.now());
    expect(loud(lines).map((l) => l.msg)).toEqual([expect.stringMatching(/failed 401: Unauthorized: the API did not accept the access token; check the token/), 'project reconciled']);
    expect(lines.filter((l) => l.msg === 'project reconciled').map((l) => [l.level, l.repeats])).toEqual([
      ['error', undefined],
      ...[1, 2, 3, 4, 5].map((n) => ['debug', n]),
    ]);
  });

  it('a project-wide failure that repeats, and a project that leaves: it is forgotten', () => {
    const { lines, logger } = sink();
    const broken: ProjectOutcome = { ref: REF, status: 'error', sections: [], error: { kind: 'config', code: 'E_USAGE', message: 'cannot read the token file' } };
    reconcile(logger, broken, 1, 0);
    reconcile(logger, broken, 1, 1);
    expect(lines.filter((l) => l.msg === 'project reconciled').map((l) => l.level)).toEqual(['error', 'debug']);
    logMemory(logger).forgetProject(REF);
    expect(logMemory(logger).failures.size).toBe(0);
    reconcile(logger, broken, 1, 2);
    expect(lines.at(-1)).toMatchObject({ level: 'error', failure: 'first' });
  });
});
