/**
 * The one line per reconciled project: info when it changed, warn when refused, error when it
 * failed (with the retry to come, if any), debug when there was nothing to do or only observe-mode
 * drift (logged when it appears or changes by section-log.ts).
 */
import type { Logger } from '../log.js';
import type { ProjectReport } from './reconciler.js';
import type { StartInfo } from './work-queue.js';

export function logProjectDone(logger: Logger, ref: string, report: ProjectReport | undefined, info: StartInfo, retryInMs: number | undefined): void {
  const outcome = report?.outcome;
  const problem = outcome?.error ?? outcome?.sections.find((s) => s.error)?.error;
  const result = outcome?.status ?? 'error';
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
  };
  if (result === 'error') logger.error(line, 'project reconciled');
  else if (result === 'refused') logger.warn(line, 'project reconciled');
  // Drift (observe mode) is logged by its `drift observed` lines when it appears or changes (section-log.ts), not at every sweep.
  else if (result === 'unchanged' || result === 'drift') logger.debug(line, 'project reconciled');
  else logger.info(line, 'project reconciled');
}
