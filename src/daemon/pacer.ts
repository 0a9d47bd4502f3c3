/**
 * Pacing of resync work. A sweep's projects are admitted one after another so that the requests
 * they cost (a project costs about one GET per managed section) go out evenly at a rate, instead of
 * the whole fleet at once; configuration changes and retries are never paced.
 *
 * `sweepPace` decides the rate (pure): a scheduled sweep is spread over SWEEP_SPREAD of the
 * schedule's interval, but never faster than SWEEP_SHARE of `--rate-limit` — the rest of the budget
 * stays free for configuration changes and retries. A sweep that cannot finish within the interval
 * at that rate says so and runs long; the next tick is skipped rather than piling up. The first
 * sweep (and one asked for) runs as fast as that share allows: at once when it fits in one minute's
 * share, else evenly at the share.
 *
 * Within a paced project, its requests are spaced at the same rate (`spaceRequests`, at most
 * MAX_SPACING_MS apart so that a slow sweep never stretches one project's reads over minutes): the
 * sweep's requests then spread evenly, not in bursts of one project's sections.
 */

import { setTimeout as sleep } from 'node:timers/promises';
import type { ApiClient } from '../api/types.js';

/** Of `--rate-limit`: what resync sweeps may use. */
export const SWEEP_SHARE = 0.9;
/** Of the schedule's interval: what a scheduled sweep is spread over (the rest absorbs writes and retries). */
export const SWEEP_SPREAD = 0.8;

export interface SweepInput {
  projects: number;
  /** Requests one pass over them costs: their managed sections. */
  requests: number;
  /** `--rate-limit`, requests per minute; 0 = no client-side limit. */
  rateLimitPerMinute: number;
  /** Time until the next scheduled sweep; absent for a sweep that should simply go as fast as allowed. */
  intervalMs?: number;
}

export interface SweepPace {
  /** Requests per second the sweep's projects are admitted at; Infinity = not paced. */
  ratePerSecond: number;
  /** The rate is the sweep's whole share of `--rate-limit` (not a spread below it). */
  atShare: boolean;
  /** The shortest possible sweep at the sweep's share of `--rate-limit`; absent without a limit. */
  shortestMs?: number;
  /** The sweep's share of `--rate-limit` in requests per minute; absent without a limit. */
  shareOfLimitPerMinute?: number;
}

export function sweepPace(input: SweepInput): SweepPace {
  const limited = input.rateLimitPerMinute > 0;
  const share = limited ? input.rateLimitPerMinute * SWEEP_SHARE : Number.POSITIVE_INFINITY;
  const figures = limited ? { shortestMs: Math.ceil((input.requests / share) * 60_000), shareOfLimitPerMinute: share } : {};
  if (input.requests <= 0) return { ratePerSecond: Number.POSITIVE_INFINITY, atShare: false, ...figures };
  if (input.intervalMs === undefined) {
    const atOnce = !limited || input.requests <= share;
    return { ratePerSecond: atOnce ? Number.POSITIVE_INFINITY : share / 60, atShare: !atOnce, ...figures };
  }
  const spread = input.requests / ((Math.max(input.intervalMs, 1) * SWEEP_SPREAD) / 1000);
  return spread >= share / 60 ? { ratePerSecond: share / 60, atShare: true, ...figures } : { ratePerSecond: spread, atShare: false, ...figures };
}

/** Whether a sweep of the whole fleet fits in the schedule's interval at `--rate-limit` (true without a limit). */
export function sweepFits(pace: SweepPace, intervalMs: number): boolean {
  return pace.shortestMs === undefined || pace.shortestMs <= intervalMs;
}

/**
 * When the next paced project may start: after the previous one, `cost / rate` later. Idle time
 * builds no credit (no burst after a pause).
 */
export class Pacer {
  private msPerRequest = 0;
  private nextAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly now: () => number) {}

  /** Whether the sweep runs at its whole share of the budget (not spread below it). */
  private atShare = false;

  /**
   * Requests per second; Infinity (or 0) stops pacing. `atShare`: the rate is the sweep's whole share
   * of `--rate-limit`, so other work must make room (see `chargeOther`).
   */
  setRate(ratePerSecond: number, atShare = false): void {
    this.msPerRequest = Number.isFinite(ratePerSecond) && ratePerSecond > 0 ? 1000 / ratePerSecond : 0;
    this.atShare = atShare && this.msPerRequest > 0;
    if (!this.msPerRequest) this.nextAt = Number.NEGATIVE_INFINITY;
  }

  get pacing(): boolean {
    return this.msPerRequest > 0;
  }

  /** Milliseconds between two paced requests at the current rate; 0 when not pacing. */
  get spacingMs(): number {
    return this.msPerRequest;
  }

  /** Milliseconds until a paced project may start; 0 = now. */
  readyInMs(): number {
    return Math.max(0, this.nextAt - this.now());
  }

  /** A paced project of `cost` requests starts now. */
  admit(cost: number): void {
    this.nextAt = Math.max(this.now(), this.nextAt) + Math.max(1, cost) * this.msPerRequest;
  }

  /** A paced project sent `extra` requests beyond its cost (writes, re-reads): the next one waits for them too. */
  charge(extra: number): void {
    if (extra > 0 && this.msPerRequest) this.nextAt = Math.max(this.now(), this.nextAt) + extra * this.msPerRequest;
  }

  /**
   * Requests of work that is not paced — a configuration change, a retry. When the sweep runs at its
   * whole share of the budget, the next paced project waits for them too: the sweep slows down and
   * everything together stays within the share, so the rest of the budget stays free for the next
   * change. A sweep spread below its share leaves room without this.
   */
  chargeOther(requests: number): void {
    if (this.atShare) this.charge(requests);
  }
}

/** The longest gap between two requests of one paced project. */
export const MAX_SPACING_MS = 1_000;

/** A client whose requests go out at least `spacingMs` apart (capped at MAX_SPACING_MS), the first at once. */
export function spaceRequests(
  client: ApiClient,
  spacingMs: number,
  now: () => number = () => performance.now(),
  wait: (ms: number) => Promise<unknown> = (ms) => sleep(ms),
): ApiClient {
  const gap = Math.min(spacingMs, MAX_SPACING_MS);
  let next = now();
  const turn = async () => {
    const at = Math.max(now(), next);
    next = at + gap;
    const ms = at - now();
    if (ms > 0) await wait(ms);
  };
  return {
    async request(req) {
      await turn();
      return client.request(req);
    },
    async get(path) {
      await turn();
      return client.get(path);
    },
  };
}
