/**
 * What the daemon's log has already said, so that a condition that lasts is logged when it starts
 * or changes, not at every cycle or retry: drift in an observe-mode section (./section-log.ts), a
 * token the API refuses, and a project's failure streak (./failure-streak.ts, ./project-log.ts).
 * One memory per daemon log: the daemon's logger lives as long as the daemon, so what it has said
 * is remembered across cycles without threading state through every cycle.
 */
import { createHash } from 'node:crypto';
import type { Logger } from '../log.js';
import type { Change } from '../reconcile/types.js';
import { FailureStreaks } from './failure-streak.js';

export class LogMemory {
  /** The drift last logged per project and section, as a digest of its changes (the plan's public form: no secret values). */
  private readonly drift = new Map<string, Map<string, string>>();
  /** Whether a 401 has been logged since the API last answered a section. */
  tokenRefusalLogged = false;
  /** Each failing project's streak: whether a failure is new, changed or a repeat. */
  readonly failures = new FailureStreaks();

  /** Whether these changes are new for the section (first seen, or different from the last logged); remembers them. */
  isNewDrift(ref: string, section: string, changes: readonly Change[]): boolean {
    const digest = createHash('sha256')
      .update(JSON.stringify(changes.map((c) => [c.path, c.action, c.before ?? null, c.after ?? null, c.sensitive])))
      .digest('hex');
    let sections = this.drift.get(ref);
    if (sections?.get(section) === digest) return false;
    if (!sections) this.drift.set(ref, (sections = new Map()));
    sections.set(section, digest);
    return true;
  }

  /** The section has no drift (any more): drift that comes back is logged again. */
  forgetDrift(ref: string, section: string): void {
    const sections = this.drift.get(ref);
    sections?.delete(section);
    if (sections?.size === 0) this.drift.delete(ref);
  }

  /** The project left the configuration: if it comes back, everything about it is logged afresh. */
  forgetProject(ref: string): void {
    this.drift.delete(ref);
    this.failures.forget(ref);
  }
}

const memories = new WeakMap<Logger, LogMemory>();

export function logMemory(logger: Logger): LogMemory {
  let memory = memories.get(logger);
  if (!memory) memories.set(logger, (memory = new LogMemory()));
  return memory;
}
