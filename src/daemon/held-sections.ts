/**
 * The daemon's one memory besides the configuration and the counters: sections whose writes the API
 * keeps not taking. apply re-reads every section it writes and lists each key that still
 * differs in the section outcome's `notTaken`. A daemon that simply tried again every cycle would
 * send the same request forever. The rule:
 *
 *   when the same keys of the same project/section are not taken HOLD_AFTER_CYCLES reconciles in a row,
 *   for the same desired configuration of that section, the daemon stops writing that section
 *   (it still reads and reports its drift) until the section's desired configuration changes
 *   (or the process restarts).
 *
 * "Same desired configuration" is the section's digest (src/reconcile/desired-digest.ts): a hash of
 * its desired values, never the values.
 */

/** `ref/section`: refs and section names hold no `/`. */
export const sectionKey = (ref: string, section: string): string => `${ref}/${section}`;

export const HOLD_AFTER_CYCLES = 3;

export type HoldCheck = 'free' | 'held' | 'released';
export type RecordResult = 'clear' | 'counting' | 'held';

interface Streak {
  fingerprint: string;
  keys: string;
  count: number;
}

export interface HeldSection {
  ref: string;
  section: string;
  keys: string[];
}

export class HeldSections {
  private readonly streaks = new Map<string, Streak>();
  private readonly held = new Map<string, { fingerprint: string } & HeldSection>();

  constructor(private readonly threshold = HOLD_AFTER_CYCLES) {
    if (!Number.isInteger(threshold) || threshold < 1) throw new RangeError('threshold must be a positive integer');
  }

  /** Before planning writes: is the section held? A hold whose desired config changed is released. */
  check(ref: string, section: string, fingerprint: string): HoldCheck {
    const k = sectionKey(ref, section);
    const hold = this.held.get(k);
    if (!hold) return 'free';
    if (hold.fingerprint === fingerprint) return 'held';
    this.held.delete(k);
    return 'released';
  }

  /**
   * After a cycle wrote (or found nothing to write in) an enforced section: the keys the API did not
   * take, empty when all was taken or nothing was written. Returns `held` when this call starts a hold.
   */
  record(ref: string, section: string, fingerprint: string, notTaken: readonly string[]): RecordResult {
    const k = sectionKey(ref, section);
    if (!notTaken.length) {
      this.streaks.delete(k);
      return 'clear';
    }
    const keys = [...new Set(notTaken)].sort().join('\n');
    const prev = this.streaks.get(k);
    const count = prev && prev.fingerprint === fingerprint && prev.keys === keys ? prev.count + 1 : 1;
    if (count < this.threshold) {
      this.streaks.set(k, { fingerprint, keys, count });
      return 'counting';
    }
    this.streaks.delete(k);
    this.held.set(k, { ref, section, fingerprint, keys: keys.split('\n') });
    return 'held';
  }

  /** Forgets sections that are no longer in the configuration (`present` holds `sectionKey`s). */
  retain(present: ReadonlySet<string>): void {
    for (const map of [this.streaks, this.held] as Array<Map<string, unknown>>) {
      for (const k of [...map.keys()]) if (!present.has(k)) map.delete(k);
    }
  }

  list(): HeldSection[] {
    return [...this.held.values()].map(({ ref, section, keys }) => ({ ref, section, keys }));
  }
}
