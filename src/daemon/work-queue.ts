/**
 * The daemon's work queue, after client-go's workqueue and controller-runtime's priority queue.
 * Items are project refs; the work for an item is one per-project reconcile.
 *
 * - Deduplicating: an item added while it waits is not added twice (its priority becomes the higher
 *   of the two; unpaced wins over paced; waiting for a retry ends). An item added while its work is
 *   in flight (dirty while processing) is worked on once more after, never twice at once.
 * - Two priorities, FIFO within each: `high` (configuration changes) is always served first; `low`
 *   (resync sweeps, retries) may occupy all workers but one, so a change never waits for a worker
 *   behind a sweep. Low items marked `paced` start only when the Pacer allows (./pacer.ts).
 * - Per-item backoff: work that asks for a retry is added again after ItemBackoff's delay
 *   (./backoff.ts); success forgets the failures. An item added meanwhile is served at once.
 * - `forget` drops an item (a project removed from the configuration), its pending retry and its
 *   failure count; `shutDown` drops everything queued and lets the work in flight finish (`idle`).
 *
 * Every add can carry a ticket: settled once, by the first work on the item that starts after the
 * add (with that work's result), or with `undefined` when the item is dropped instead. Sweeps count
 * their projects with tickets.
 */
import type { ItemBackoff } from './backoff.js';
import type { Pacer } from './pacer.js';

export type Priority = 'high' | 'low';

export interface Ticket<R> {
  settle(result: R | undefined): void;
}

export interface AddOptions<R> {
  priority: Priority;
  /** Admit through the Pacer (resync sweeps). */
  paced?: boolean;
  ticket?: Ticket<R>;
}

export interface StartInfo {
  priority: Priority;
  paced: boolean;
  /** Milliseconds since the item became ready (added, or its retry delay ended). */
  waitedMs: number;
  /** 1 for a first try, n + 1 after n failures in a row. */
  attempt: number;
}

export interface WorkResult {
  /** Failed in a way a later try may fix: add again after the backoff delay. */
  retry: boolean;
  /** Requests the work sent beyond its reads (writes, re-reads): charged to the Pacer. */
  extraRequests: number;
}

export interface QueueClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realClock: QueueClock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface WorkQueueOptions<R extends WorkResult> {
  /** Items worked on at once (>= 1). */
  workers: number;
  work(item: string, info: StartInfo): Promise<R>;
  /** What a paced item costs the Pacer when it starts (its managed sections). */
  costOf(item: string): number;
  pacer: Pacer;
  backoff: ItemBackoff;
  clock?: QueueClock;
  /** `work` threw (a bug: work reports failures in its result); the item is retried like a failure. */
  onCrash?(item: string, error: unknown): void;
  /** The work on an item ended (`result` undefined when it threw); `retryInMs` when another try is scheduled. */
  onDone?(item: string, result: R | undefined, info: StartInfo, retryInMs: number | undefined): void;
}

export interface QueueDepth {
  high: number;
  low: number;
  /** Waiting for their retry delay. */
  retrying: number;
  inFlight: number;
}

interface Entry<R> {
  item: string;
  priority: Priority;
  paced: boolean;
  tickets: Ticket<R>[];
  /** When it became ready. */
  readySince: number;
  /** Set while it waits for a retry delay. */
  readyAt?: number;
}

type Lane = 'high' | 'low' | 'paced';

export class WorkQueue<R extends WorkResult> {
  private readonly entries = new Map<string, Entry<R>>();
  /** Ready items by lane, in FIFO order (a Set keeps insertion order and deletes in O(1)). */
  private readonly lanes: Record<Lane, Set<string>> = { high: new Set(), low: new Set(), paced: new Set() };
  /** Items waiting for a retry delay. */
  private readonly waiting = new Set<string>();
  private readonly processing = new Map<string, { entry: Entry<R>; forgotten: boolean }>();
  private lowInFlight = 0;
  private readonly clock: QueueClock;
  private retryTimer: { handle: unknown; at: number } | undefined;
  private paceTimer: unknown;
  /** The last pick found a paced item that the Pacer held back. */
  private heldByPacer = false;
  private stopped = false;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly opts: WorkQueueOptions<R>) {
    if (!Number.isInteger(opts.workers) || opts.workers < 1) throw new RangeError('workers must be an integer >= 1');
    this.clock = opts.clock ?? realClock;
  }

  /** Low-priority work may use every worker but one (when there are two or more). */
  private get lowWorkers(): number {
    return this.opts.workers > 1 ? this.opts.workers - 1 : 1;
  }

  get shuttingDown(): boolean {
    return this.stopped;
  }

  add(item: string, opts: AddOptions<R>): void {
    if (this.stopped) {
      opts.ticket?.settle(undefined);
      return;
    }
    const now = this.clock.now();
    const paced = opts.paced === true && opts.priority === 'low';
    const entry = this.entries.get(item);
    if (!entry) {
      const created: Entry<R> = { item, priority: opts.priority, paced, tickets: opts.ticket ? [opts.ticket] : [], readySince: now };
      this.entries.set(item, created);
      this.lanes[laneOf(created)].add(item);
    } else {
      if (opts.ticket) entry.tickets.push(opts.ticket);
      const before = entry.readyAt === undefined ? laneOf(entry) : undefined;
      if (entry.readyAt !== undefined) {
        // An add is immediate: the retry delay it was waiting for ends now.
        this.waiting.delete(item);
        delete entry.readyAt;
        entry.readySince = now;
      }
      if (opts.priority === 'high') entry.priority = 'high';
      if (!paced) entry.paced = false;
      const after = laneOf(entry);
      if (before !== after) {
        if (before) this.lanes[before].delete(item);
        this.lanes[after].add(item); // joins the end of its new lane, as controller-runtime does
      }
    }
    this.pump();
  }

  /** Drops an item: queued, waiting for a retry, or (once its work ends) not retried. Its tickets settle with undefined. */
  forget(item: string): void {
    this.opts.backoff.forget(item);
    const entry = this.entries.get(item);
    if (entry) this.drop(entry);
    const running = this.processing.get(item);
    if (running) running.forgotten = true;
    this.pump();
  }

  /** Stops handing out work and drops everything queued; the work in flight goes on (see `idle`). */
  shutDown(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const entry of [...this.entries.values()]) this.drop(entry);
    this.clearTimers();
    this.notifyIdle();
  }

  /** Resolves when no work is in flight. */
  idle(): Promise<void> {
    if (this.processing.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  depth(): QueueDepth {
    return {
      high: this.lanes.high.size,
      low: this.lanes.low.size + this.lanes.paced.size,
      retrying: this.waiting.size,
      inFlight: this.processing.size,
    };
  }

  /** Whether the item is queued, waiting for a retry or in flight. */
  has(item: string): boolean {
    return this.entries.has(item) || this.processing.has(item);
  }

  private drop(entry: Entry<R>): void {
    this.entries.delete(entry.item);
    this.waiting.delete(entry.item);
    for (const lane of Object.values(this.lanes)) lane.delete(entry.item);
    for (const t of entry.tickets) t.settle(undefined);
  }

  /** The next item to work on, or undefined; the first item of a lane that is not in flight. */
  private pick(): { item: string; lane: Lane } | undefined {
    const first = (lane: Lane) => {
      for (const item of this.lanes[lane]) if (!this.processing.has(item)) return item;
      return undefined;
    };
    const high = first('high');
    if (high !== undefined) return { item: high, lane: 'high' };
    if (this.lowInFlight >= this.lowWorkers) return undefined;
    const low = first('low');
    if (low !== undefined) return { item: low, lane: 'low' };
    const paced = first('paced');
    if (paced === undefined) return undefined;
    if (this.opts.pacer.readyInMs() > 0) {
      this.heldByPacer = true;
      return undefined;
    }
    return { item: paced, lane: 'paced' };
  }

  private pump(): void {
    this.heldByPacer = false;
    while (!this.stopped && this.processing.size < this.opts.workers) {
      const next = this.pick();
      if (!next) break;
      this.start(next.item, next.lane);
    }
    this.armTimers();
  }

  private start(item: string, lane: Lane): void {
    const entry = this.entries.get(item)!;
    this.entries.delete(item);
    this.lanes[lane].delete(item);
    const running = { entry, forgotten: false };
    this.processing.set(item, running);
    if (entry.priority === 'low') this.lowInFlight++;
    const cost = entry.paced ? this.opts.costOf(item) : 0;
    if (entry.paced) this.opts.pacer.admit(cost);
    const info: StartInfo = {
      priority: entry.priority,
      paced: entry.paced,
      waitedMs: Math.max(0, Math.round(this.clock.now() - entry.readySince)),
      attempt: this.opts.backoff.retries(item) + 1,
    };
    let work: Promise<R>;
    try {
      work = this.opts.work(item, info);
    } catch (err) {
      work = Promise.reject(err);
    }
    work.then(
      (result) => this.finish(item, running, info, result),
      (err: unknown) => {
        this.opts.onCrash?.(item, err);
        this.finish(item, running, info, undefined);
      },
    );
  }

  private finish(item: string, running: { entry: Entry<R>; forgotten: boolean }, info: StartInfo, result: R | undefined): void {
    const { entry } = running;
    this.processing.delete(item);
    if (entry.priority === 'low') this.lowInFlight--;
    if (result && entry.paced) this.opts.pacer.charge(result.extraRequests);
    else if (result) this.opts.pacer.chargeOther(this.opts.costOf(item) + result.extraRequests);
    const retry = result === undefined || result.retry;
    let retryInMs: number | undefined;
    if (running.forgotten || this.stopped) {
      this.opts.backoff.forget(item);
    } else if (retry) {
      retryInMs = this.opts.backoff.when(item);
      this.retryAfter(item, retryInMs, entry.priority);
    } else {
      this.opts.backoff.forget(item);
    }
    // The item's own report first, then the tickets (a sweep's summary follows its projects' lines).
    this.opts.onDone?.(item, result, info, retryInMs);
    for (const t of entry.tickets) t.settle(result);
    this.notifyIdle();
    this.pump();
  }

  /** Adds `item` again after `delayMs`, unless it is already ready (ready wins) or waits less. */
  private retryAfter(item: string, delayMs: number, priority: Priority): void {
    const at = this.clock.now() + delayMs;
    const entry = this.entries.get(item);
    if (entry) {
      if (entry.readyAt !== undefined && at < entry.readyAt) entry.readyAt = at;
      return;
    }
    this.entries.set(item, { item, priority, paced: false, tickets: [], readySince: at, readyAt: at });
    this.waiting.add(item);
  }

  private releaseDue(): void {
    const now = this.clock.now();
    for (const item of [...this.waiting]) {
      const entry = this.entries.get(item)!;
      if (entry.readyAt! > now) continue;
      this.waiting.delete(item);
      delete entry.readyAt;
      entry.readySince = now;
      this.lanes[laneOf(entry)].add(item);
    }
  }

  private armTimers(): void {
    if (this.stopped) return;
    // Retries: one timer, for the earliest.
    let earliest = Number.POSITIVE_INFINITY;
    for (const item of this.waiting) earliest = Math.min(earliest, this.entries.get(item)!.readyAt!);
    if (this.retryTimer && this.retryTimer.at !== earliest) {
      this.clock.clearTimeout(this.retryTimer.handle);
      this.retryTimer = undefined;
    }
    if (!this.retryTimer && Number.isFinite(earliest)) {
      const handle = this.clock.setTimeout(() => {
        this.retryTimer = undefined;
        this.releaseDue();
        this.pump();
      }, Math.max(0, earliest - this.clock.now()));
      this.retryTimer = { handle, at: earliest };
    }
    // Pacing: wake up when the next paced item may start, if one is waiting for that.
    if (this.paceTimer === undefined && this.heldByPacer) {
      this.paceTimer = this.clock.setTimeout(
        () => {
          this.paceTimer = undefined;
          this.pump();
        },
        Math.max(1, Math.ceil(this.opts.pacer.readyInMs())),
      );
    }
  }

  private clearTimers(): void {
    if (this.retryTimer) this.clock.clearTimeout(this.retryTimer.handle);
    this.retryTimer = undefined;
    if (this.paceTimer !== undefined) this.clock.clearTimeout(this.paceTimer);
    this.paceTimer = undefined;
  }

  private notifyIdle(): void {
    if (this.processing.size > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}

function laneOf(entry: { priority: Priority; paced: boolean }): Lane {
  if (entry.priority === 'high') return 'high';
  return entry.paced ? 'paced' : 'low';
}
