/**
 * Level-triggered failure logging, as a controller's: a project that keeps failing the same way is
 * said once, not at every retry. A revoked token or an outage makes each project fail at every try
 * of its backoff (5 s … 5 min, forever); its log lines say so when the failure starts or changes,
 * then at debug (with how many times it repeated), and once more when the project recovers.
 * Pure: the caller passes the time; the metrics still count every attempt.
 *
 * Two failures are the same when they have the same codes (and statuses) in the same sections —
 * never the messages, which may quote the API's varying text (request ids, timestamps).
 */
import type { ProjectOutcome } from '../reconcile/types.js';

/** How a failure is told apart from another: `section code status` per failed part, sorted. Undefined: not a failure. */
export function failureSignature(outcome: ProjectOutcome): string | undefined {
  if (outcome.status !== 'error') return undefined;
  const parts: string[] = [];
  const part = (where: string, p: { code: string; status?: number }) => parts.push(`${where} ${p.code} ${p.status ?? '-'}`);
  if (outcome.error) part('(project)', outcome.error);
  for (const s of outcome.sections) if (s.error) part(s.section, s.error);
  return [...new Set(parts)].sort().join('\n');
}

/** What one reconcile means for the project's failure streak, and so how loudly to log it. */
export type FailureVerdict =
  /** Succeeded, and was not failing. */
  | { kind: 'ok' }
  /** Succeeded after `failures` failed attempts in a row, the first at `firstFailedAt`: say so once. */
  | { kind: 'recovered'; failures: number; firstFailedAt: number }
  /** Failed, for the first time in a row or otherwise than the attempt before (`changed`): log it in full. */
  | { kind: 'failed'; changed: boolean; failures: number; firstFailedAt: number }
  /** Failed exactly as the attempt before: debug only. `repeats` of it since `firstSeenAt`. */
  | { kind: 'repeated'; repeats: number; firstSeenAt: number; failures: number; firstFailedAt: number };

interface Streak {
  signature: string;
  /** Failed attempts in a row. */
  failures: number;
  firstFailedAt: number;
  /** When this signature was first seen in the streak, and how often it repeated since. */
  firstSeenAt: number;
  repeats: number;
}

/** The failure streak of every project that is failing now; a success ends it. */
export class FailureStreaks {
  private readonly streaks = new Map<string, Streak>();

  /** Records one reconcile of `ref` (`signature` undefined: it succeeded) at `now` (epoch ms). */
  record(ref: string, signature: string | undefined, now: number): FailureVerdict {
    const streak = this.streaks.get(ref);
    if (signature === undefined) {
      if (!streak) return { kind: 'ok' };
      this.streaks.delete(ref);
      return { kind: 'recovered', failures: streak.failures, firstFailedAt: streak.firstFailedAt };
    }
    if (!streak) {
      this.streaks.set(ref, { signature, failures: 1, firstFailedAt: now, firstSeenAt: now, repeats: 0 });
      return { kind: 'failed', changed: false, failures: 1, firstFailedAt: now };
    }
    streak.failures++;
    if (streak.signature !== signature) {
      Object.assign(streak, { signature, firstSeenAt: now, repeats: 0 });
      return { kind: 'failed', changed: true, failures: streak.failures, firstFailedAt: streak.firstFailedAt };
    }
    streak.repeats++;
    return { kind: 'repeated', repeats: streak.repeats, firstSeenAt: streak.firstSeenAt, failures: streak.failures, firstFailedAt: streak.firstFailedAt };
  }

  /** The project left the configuration: should it come back and fail, that is a first failure. */
  forget(ref: string): void {
    this.streaks.delete(ref);
  }

  /** Projects failing now. */
  get size(): number {
    return this.streaks.size;
  }
}
