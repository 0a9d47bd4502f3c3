/**
 * The daemon's per-section log lines: one per change that was not applied (apply itself logs
 * `change applied`), and one per section error. Drift in an observe-mode section is logged when it
 * appears or changes, not again at every cycle while it stays the same: the log of a daemon that
 * watches a drifted section for a week says so once, not 2,000 times. `supasync_drift` and the
 * `cycle complete` counts still report it at every cycle. Likewise a token the API refuses (401):
 * one error line that says to check the token, not one per section per cycle, until a section is
 * read again (then a new refusal is logged again); `cycle complete` and /readyz say auth_error.
 * A section error that repeats the project's failure of the attempt before is logged at debug.
 * What has been said is remembered in ./log-memory.ts.
 */
import type { Logger } from '../log.js';
import { isRefused } from '../reconcile/guardrails.js';
import type { Change, SectionOutcome } from '../reconcile/types.js';
import { logMemory } from './log-memory.js';

/**
 * `repeat`: the project failed exactly as at its attempt before (./failure-streak.ts): its section
 * errors were logged then, and are logged at debug now.
 */
export function logSection(logger: Logger, ref: string, section: SectionOutcome, changes: readonly Change[], repeat = false): void {
  const base = { project: ref, section: section.section };
  const memory = logMemory(logger);
  if (section.status !== 'drift' && section.status !== 'error') memory.forgetDrift(ref, section.section);
  if (section.status !== 'error') memory.tokenRefusalLogged = false;
  if (section.status === 'drift') {
    if (!memory.isNewDrift(ref, section.section, changes)) {
      logger.debug({ ...base, changes: changes.length }, 'drift unchanged since it was logged');
      return;
    }
    for (const c of changes) logger.info({ ...base, path: c.path, action: c.action, sensitive: c.sensitive }, 'drift observed');
  } else if (section.status === 'refused') {
    for (const c of changes.filter(isRefused)) {
      logger.warn({ ...base, path: c.path, action: c.action, rule: c.risk?.rule, allow_with: c.risk?.key }, 'change refused: risky');
    }
  } else if (section.status === 'skipped' && changes.length) {
    logger.info({ ...base, changes: changes.length }, 'section not written: another section of the project was refused');
  } else if (section.status === 'error' && section.error?.kind === 'auth') {
    if (memory.tokenRefusalLogged || repeat) {
      logger.debug({ ...base, code: section.error.code, status: section.error.status }, section.error.message);
      return;
    }
    memory.tokenRefusalLogged = true;
    logger.error(
      { ...base, code: section.error.code, status: section.error.status },
      `${section.error.message}: the API did not accept the access token; check the token (SUPABASE_ACCESS_TOKEN or --token-file). Not logged again for other sections until the API answers again`,
    );
  } else if (section.status === 'error' && section.error) {
    logger[repeat ? 'debug' : 'error']({ ...base, code: section.error.code, status: section.error.status }, section.error.message);
  }
}
