/**
 * A pass: the projects one trigger put in the work queue — every project at start, at each schedule
 * tick and when asked (a sweep), or the projects a configuration change altered. Each project counts
 * once its reconcile (the first to start after the pass enqueued it) has finished; then the pass
 * logs its one summary line (`cycle complete`, kept from the days of whole-fleet cycles) and counts
 * in `supasync_cycles_total`. Projects dropped from the queue first (removed from the configuration,
 * or the daemon stopping) count as `dropped`.
 */
import type { Logger } from '../log.js';
import type { Outcome, ProjectOutcome } from '../reconcile/types.js';
import { classifyOutcome, type CycleVerdict } from './cycle-result.js';
import type { DaemonMetrics } from './metrics.js';
import type { DaemonMode, ProjectReport } from './reconciler.js';
import type { Ticket } from './work-queue.js';

export type Trigger = 'start' | 'schedule' | 'config change' | 'request';

export interface PassCounts {
  projects: number;
  changed: number;
  unchanged: number;
  drift: number;
  refused: number;
  failed: number;
  /** Changes written (enforce) or seen (observe). */
  changes: number;
  /** Write requests sent. */
  requests: number;
  held: number;
}

export interface PassContext {
  logger: Logger;
  metrics: Pick<DaemonMetrics, 'cycle'>;
  mode: DaemonMode;
  /** Whether the last configuration reload was valid, when the pass ends. */
  configValid(): boolean;
}

export const isSweep = (trigger: Trigger): boolean => trigger !== 'config change';

export class Pass {
  readonly done: Promise<CycleVerdict>;
  private resolveDone!: (verdict: CycleVerdict) => void;
  private pending: number;
  private dropped = 0;
  private readonly counts: PassCounts = { projects: 0, changed: 0, unchanged: 0, drift: 0, refused: 0, failed: 0, changes: 0, requests: 0, held: 0 };
  /** Only the outcomes the verdict needs (failed or refused): a sweep of a thousand healthy projects keeps nothing. */
  private readonly notable: ProjectOutcome[] = [];
  private readonly started = performance.now();

  constructor(
    readonly trigger: Trigger,
    size: number,
    private readonly ctx: PassContext,
  ) {
    this.pending = size;
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
    if (size === 0) this.finish();
  }

  get finished(): boolean {
    return this.pending <= 0;
  }

  ticket(): Ticket<ProjectReport> {
    let settled = false;
    return {
      settle: (report) => {
        if (settled) return;
        settled = true;
        this.record(report);
      },
    };
  }

  private record(report: ProjectReport | undefined): void {
    const outcome = report?.outcome;
    if (!outcome) {
      this.dropped++;
    } else {
      this.counts.projects++;
      this.counts[outcome.status === 'error' ? 'failed' : outcome.status]++;
      this.counts.changes += report.changes;
      this.counts.requests += report.requests;
      this.counts.held += report.held;
      if (outcome.status === 'error' || outcome.status === 'refused') this.notable.push(outcome);
    }
    if (--this.pending === 0) this.finish();
  }

  private finish(): void {
    const outcome: Outcome = { projects: this.notable };
    const verdict = classifyOutcome(outcome);
    const durationMs = Math.round(performance.now() - this.started);
    this.ctx.metrics.cycle(verdict.result, durationMs / 1000, isSweep(this.trigger) ? 'sweep' : 'change');
    const line = {
      trigger: this.trigger,
      result: verdict.result,
      duration_ms: durationMs,
      mode: this.ctx.mode,
      config_valid: this.ctx.configValid(),
      ...this.counts,
      ...(this.dropped ? { dropped: this.dropped } : {}),
      ...(verdict.reason ? { detail: verdict.reason } : {}),
    };
    if (verdict.result === 'ok') this.ctx.logger.info(line, 'cycle complete');
    else this.ctx.logger.warn(line, 'cycle complete');
    this.resolveDone(verdict);
  }
}

/** The latest outcome of every project, for /readyz: a configuration or authentication failure anywhere makes it unready. */
export class FleetStatus {
  private readonly failing = new Map<string, ProjectOutcome>();

  record(outcome: ProjectOutcome): void {
    if (outcome.status === 'error' || outcome.status === 'refused') this.failing.set(outcome.ref, outcome);
    else this.failing.delete(outcome.ref);
  }

  forget(ref: string): void {
    this.failing.delete(ref);
  }

  verdict(): CycleVerdict {
    return classifyOutcome({ projects: [...this.failing.values()] });
  }
}
