/**
 * The one line per reconciled project: info when it changed, warn when refused, error when it
 * failed (with the retry to come, if any), debug when there was nothing to do or only observe-mode
 * drift (logged when it appears or changes by section-log.ts).
 *
 * A failure is level-triggered (./failure-streak.ts): logged at error when it starts or changes,
 * at debug while it repeats at every retry (`failure: "repeat"`, with `repeats` since
 * `first_seen_at`), and its end is one info line, `project recovered`. The metrics count every
 * attempt regardless.
 */
import type { Logger } from '../log.js';
import type { ProjectOutcome } from '../reconcile/types.js';
import { failureSignature, type FailureVerdict } from './failure-streak.js';
import { logMemory } from './log-memory.js';
import type { ProjectReport } from './reconciler.js';
import type { StartInfo } from './work-queue.js';

/** Records a reconcile's outcome in its project's failure streak: says how loudly its failure lines are logged. */
export function recordProjectOutcome(logger: Logger, outcome: ProjectOutcome, now = Date.now()): FailureVerdict {
  return logMemory(logger).failures.record(outcome.ref, failureSignature(outcome), now);
}

const iso = (epochMs: number) => new Date(epochMs).toISOString();

function failureFields(verdict: FailureVerdict | undefined): Record<string, unknown> {
  if (verdict?.kind === 'repeated') return { failure: 'repeat', repeats: verdict.repeats, first_seen_at: iso(verdict.firstSeenAt) };
  if (verdict?.kind === 'failed') return { failure: verdict.changed ? 'changed' : 'first' };
  return {};
}

export function logProjectDone(logger: Logger, ref: string, report: ProjectReport | undefined, info: StartInfo, retryInMs: number | undefined): void {
  const outcome = report?.outcome;
  const problem = outcome?.error ?? outcome?.sections.find((s) => s.error)?.error;
  const result = outcome?.status ?? 'error';
  const verdict = report?.verdict;
  const line = {
    project: ref,
    result,
    priority: info.priority,
    attempt: info.attempt,
    queued_ms: info.waitedMs,
    duration_ms: report?.durationMs ?? 0,
    changes: report?.changes ?? 0,
    requests: report?.requests ?? 0,
    ...(report?.held ? { held: report.held } : {}),
    ...(problem ? { code: problem.code, ...(problem.status === undefined ? {} : { status: problem.status }) } : {}),
    ...(retryInMs === undefined ? {} : { retry_in_ms: retryInMs }),
    ...failureFields(verdict),
  };
  if (result === 'error') logger[verdict?.kind === 'repeated' ? 'debug' : 'error'](line, 'project reconciled');
  else if (result === 'refused') logger.warn(line, 'project reconciled');
  // Drift (observe mode) is logged by its `drift observed` lines when it appears or changes (section-log.ts), not at every sweep.
  else if (result === 'unchanged' || result === 'drift') logger.debug(line, 'project reconciled');
  else logger.info(line, 'project reconciled');
  if (verdict?.kind === 'recovered') {
    logger.info(
      { project: ref, failed_attempts: verdict.failures, first_failed_at: iso(verdict.firstFailedAt), failed_for_ms: Math.max(0, Date.now() - verdict.firstFailedAt) },
      'project recovered',
    );
  }
}
