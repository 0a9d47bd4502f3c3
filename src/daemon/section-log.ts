/**
 * The daemon's per-section log lines: one per change that was not applied (apply itself logs
 * `change applied`), and one per section error. Drift in an observe-mode section is logged when it
 * appears or changes, not again at every cycle while it stays the same: the log of a daemon that
 * watches a drifted section for a week says so once, not 2,000 times. `supasync_drift` and the
 * `cycle complete` counts still report it at every cycle. Likewise a token the API refuses (401):
 * one error line that says to check the token, not one per section per cycle, until a section is
 * read again (then a new refusal is logged again); `cycle complete` and /readyz say auth_error.
 */
import { createHash } from 'node:crypto';
import type { Logger } from '../log.js';
import { isRefused } from '../reconcile/guardrails.js';
import type { Change, SectionOutcome } from '../reconcile/types.js';

/** The drift last logged per `ref\0section`, as a digest of its changes (the plan's public form: no secret values). */
export class DriftMemory {
  private readonly logged = new Map<string, string>();
  /** Whether a 401 has been logged since the API last answered a section. */
  tokenRefusalLogged = false;

  /** Whether these changes are new for the section (first seen, or different from the last logged); remembers them. */
  isNew(ref: string, section: string, changes: readonly Change[]): boolean {
    const key = `${ref}\0${section}`;
    const digest = createHash('sha256')
      .update(JSON.stringify(changes.map((c) => [c.path, c.action, c.before ?? null, c.after ?? null, c.sensitive])))
      .digest('hex');
    if (this.logged.get(key) === digest) return false;
    this.logged.set(key, digest);
    return true;
  }

  /** The section has no drift (any more): drift that comes back is logged again. */
  forget(ref: string, section: string): void {
    this.logged.delete(`${ref}\0${section}`);
  }
}

/**
 * One memory per daemon log: the daemon's logger lives as long as the daemon, so what it has said
 * is remembered across cycles without threading state through every cycle.
 */
const memories = new WeakMap<Logger, DriftMemory>();
const memoryOf = (logger: Logger): DriftMemory => {
  let memory = memories.get(logger);
  if (!memory) memories.set(logger, (memory = new DriftMemory()));
  return memory;
};

export function logSection(logger: Logger, ref: string, section: SectionOutcome, changes: readonly Change[]): void {
  const base = { project: ref, section: section.section };
  const drift = memoryOf(logger);
  if (section.status !== 'drift' && section.status !== 'error') drift.forget(ref, section.section);
  if (section.status !== 'error') drift.tokenRefusalLogged = false;
  if (section.status === 'drift') {
    if (!drift.isNew(ref, section.section, changes)) {
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
    if (drift.tokenRefusalLogged) {
      logger.debug({ ...base, code: section.error.code, status: section.error.status }, section.error.message);
      return;
    }
    drift.tokenRefusalLogged = true;
    logger.error(
      { ...base, code: section.error.code, status: section.error.status },
      `${section.error.message}: the API did not accept the access token; check the token (SUPABASE_ACCESS_TOKEN or --token-file). Not logged again for other sections until the API answers again`,
    );
  } else if (section.status === 'error' && section.error) {
    logger.error({ ...base, code: section.error.code, status: section.error.status }, section.error.message);
  }
}
