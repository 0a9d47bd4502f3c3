import { describe, expect, it } from 'vitest';
import { ItemBackoff } from '../../../src/daemon/backoff.js';
import { Pacer } from '../../../src/daemon/pacer.js';
import { WorkQueue, type AddOptions, type StartInfo, type WorkResult } from '../../../src/daemon/work-queue.js';
import { FakeClock, settle } from './fake-clock.js';

interface Result extends WorkResult {
  item: string;
  run: number;
}

interface Run {
  item: string;
  info: StartInfo;
  finish(outcome?: { retry?: boolean; extraRequests?: number }): void;
}

/** A queue whose work waits until the test finishes it; every start is recorded. */
function harness(opts: { workers?: number; rate?: number; cost?: number } = {}) {
  const clock = new FakeClock();
  const pacer = new Pacer(() => clock.now());
  if (opts.rate) pacer.setRate(opts.rate);
  const started: Run[] = [];
  const running = new Map<string, Run>();
  let maxConcurrentPerItem = 0;
  const done: Array<{ item: string; retryInMs: number | undefined }> = [];
  const queue = new WorkQueue<Result>({
    workers: opts.workers ?? 3,
    clock,
    pacer,
    backoff: new ItemBackoff(undefined, () => 0), // no jitter: 5 s, 10 s, 20 s…
    costOf: () => opts.cost ?? 1,
    onDone: (item, _result, _info, retryInMs) => done.push({ item, retryInMs }),
    work: (item, info) =>
      new Promise<Result>((resolve) => {
        const same = [...running.values()].filter((r) => r.item === item).length;
        maxConcurrentPerItem = Math.max(maxConcurrentPerItem, same + 1);
        const key = `${item}#${started.length}`;
        const run: Run = {
          item,
          info,
          finish: (outcome = {}) => {
            running.delete(key);
            resolve({ item, run: started.indexOf(run), retry: outcome.retry ?? false, extraRequests: outcome.extraRequests ?? 0 });
          },
        };
        running.set(key, run);
        started.push(run);
      }),
  });
  const tickets: Array<{ item: string; result: Result | undefined | 'pending' }> = [];
  const add = (item: string, o: Omit<AddOptions<Result>, 'ticket'> = { priority: 'low' }) => {
    const t: { item: string; result: Result | undefined | 'pending' } = { item, result: 'pending' };
    tickets.push(t);
    queue.add(item, { ...o, ticket: { settle: (r) => (t.result = r) } });
    return t;
  };
  const inFlight = () => [...running.values()].map((r) => r.item);
  const finish = async (item: string, outcome?: { retry?: boolean; extraRequests?: number }) => {
    const run = [...running.values()].find((r) => r.item === item);
    if (!run) throw new Error(`${item} is not in flight`);
    run.finish(outcome);
    await settle();
  };
  return { clock, pacer, queue, started, add, inFlight, finish, tickets, done, maxConcurrent: () => maxConcurrentPerItem };
}

describe('WorkQueue', () => {
  it('reconciles an item queued twice once, and settles both tickets with that result', async () => {
    const h = harness();
    h.add('busy-1');
    h.add('busy-2');
    h.add('busy-3'); // every worker busy: the next adds wait in the queue
    const first = h.add('a');
    const second = h.add('a');
    expect(h.started.map((r) => r.item)).toEqual(['busy-1', 'busy-2']); // low priority keeps one worker free
    await h.finish('busy-1');
    await h.finish('busy-2');
    await h.finish('busy-3');
    expect(h.started.filter((r) => r.item === 'a')).toHaveLength(1);
    await h.finish('a');
    expect(first.result).toMatchObject({ item: 'a', run: h.started.findIndex((r) => r.item === 'a') });
    expect(second.result).toBe(first.result);
    expect(h.queue.depth()).toEqual({ high: 0, low: 0, retrying: 0, inFlight: 0 });
  });

  it('reconciles an item queued while in flight once more after, never twice at once', async () => {
    const h = harness();
    const before = h.add('a');
    const during1 = h.add('a', { priority: 'high' });
    expect(h.started).toHaveLength(1); // 'a' in flight; the new add waits for it
    expect(h.inFlight()).toEqual(['a']);
    const during2 = h.add('a');
    await h.finish('a');
    expect(before.result).toMatchObject({ run: 0 });
    expect(during1.result).toBe('pending');
    expect(h.started).toHaveLength(2);
    expect(h.started[1]!.info.priority).toBe('high'); // the two adds made one item, at the higher priority
    await h.finish('a');
    expect(during1.result).toMatchObject({ run: 1 });
    expect(during2.result).toBe(during1.result);
    expect(h.started).toHaveLength(2);
    expect(h.maxConcurrent()).toBe(1);
  });

  it('bounds concurrency, serves high priority first, and keeps a worker for it while low work floods', async () => {
    const h = harness({ workers: 3 });
    for (let i = 0; i < 10; i++) h.add(`low-${i}`);
    expect(h.inFlight()).toEqual(['low-0', 'low-1']); // 3 workers, low may use 2
    h.add('change', { priority: 'high' });
    expect(h.inFlight()).toEqual(['low-0', 'low-1', 'change']); // at once, not after the sweep
    h.add('change-2', { priority: 'high' });
    h.add('low-5', { priority: 'high' }); // promoted: ahead of low-2…low-4, behind change-2
    await h.finish('low-0');
    await h.finish('change');
    await h.finish('low-1');
    expect(h.started.map((r) => r.item).slice(3)).toEqual(['change-2', 'low-5', 'low-2']);
    expect(h.inFlight().length).toBeLessThanOrEqual(3);
    expect(h.queue.depth()).toMatchObject({ high: 0, low: 6, inFlight: 3 });
  });

  it('retries a failed item after a growing backoff delay, and forgets the failures after a success', async () => {
    const h = harness();
    h.add('a');
    await h.finish('a', { retry: true });
    expect(h.done.at(-1)).toEqual({ item: 'a', retryInMs: 5_000 });
    expect(h.queue.depth().retrying).toBe(1);
    await h.clock.advance(4_999);
    expect(h.started).toHaveLength(1);
    await h.clock.advance(1);
    expect(h.started).toHaveLength(2);
    expect(h.started[1]!.info).toMatchObject({ attempt: 2, priority: 'low', waitedMs: 0 });
    await h.finish('a', { retry: true });
    expect(h.done.at(-1)).toEqual({ item: 'a', retryInMs: 10_000 });
    await h.clock.advance(10_000);
    expect(h.started[2]!.info.attempt).toBe(3);
    await h.finish('a');
    expect(h.done.at(-1)).toEqual({ item: 'a', retryInMs: undefined });
    h.add('a');
    expect(h.started[3]!.info.attempt).toBe(1);
  });

  it('serves an item added while it waits for a retry at once (ready wins), keeping its failure count', async () => {
    const h = harness();
    h.add('a', { priority: 'high' });
    await h.finish('a', { retry: true });
    await h.clock.advance(1_000);
    const sweep = h.add('a');
    expect(h.started).toHaveLength(2);
    expect(h.started[1]!.info).toMatchObject({ attempt: 2, priority: 'high' });
    await h.finish('a');
    expect(sweep.result).toMatchObject({ run: 1 });
    await h.clock.advance(60_000);
    expect(h.started).toHaveLength(2); // no stray retry
  });

  it('forgets an item: queued, waiting for a retry, or in flight (no retry afterwards)', async () => {
    const h = harness({ workers: 2 }); // low work gets one worker
    h.add('running');
    const queued = h.add('queued');
    h.queue.forget('queued');
    expect(queued.result).toBeUndefined();
    h.queue.forget('running');
    await h.finish('running', { retry: true });
    expect(h.done.at(-1)).toEqual({ item: 'running', retryInMs: undefined });
    h.add('failing');
    await h.finish('failing', { retry: true });
    expect(h.queue.depth().retrying).toBe(1);
    h.queue.forget('failing');
    expect(h.queue.depth().retrying).toBe(0);
    await h.clock.advance(600_000);
    expect(h.started.map((r) => r.item)).toEqual(['running', 'failing']);
    expect(h.queue.has('failing')).toBe(false);
  });

  it('on shutdown drops what is queued, lets the work in flight finish, and takes nothing more', async () => {
    const h = harness({ workers: 2 });
    const a = h.add('a');
    const b = h.add('b');
    h.queue.shutDown();
    expect(b.result).toBeUndefined();
    let idle = false;
    void h.queue.idle().then(() => (idle = true));
    await settle();
    expect(idle).toBe(false);
    await h.finish('a', { retry: true });
    expect(idle).toBe(true);
    expect(a.result).toMatchObject({ item: 'a' });
    const late = h.add('c');
    expect(late.result).toBeUndefined();
    await h.clock.advance(600_000);
    expect(h.started.map((r) => r.item)).toEqual(['a']);
    expect(h.clock.pending).toBe(0);
  });

  it('paces sweep items at the rate (a project costs its requests), while changes and retries go at once', async () => {
    const h = harness({ workers: 4, rate: 2, cost: 4 }); // 2 requests/s, 4 requests a project: one project per 2 s
    for (const item of ['p1', 'p2', 'p3']) h.add(item, { priority: 'low', paced: true });
    expect(h.started.map((r) => r.item)).toEqual(['p1']);
    await h.finish('p1');
    await h.clock.advance(1_999);
    expect(h.started.map((r) => r.item)).toEqual(['p1']);
    h.add('change', { priority: 'high' });
    h.add('retry-like', { priority: 'low' }); // unpaced low work is not held back either
    expect(h.inFlight()).toEqual(['change', 'retry-like']);
    await h.clock.advance(1);
    expect(h.started.map((r) => r.item)).toEqual(['p1', 'change', 'retry-like', 'p2']);
    expect(h.started[3]!.info).toMatchObject({ paced: true, waitedMs: 2_000 });
    // Writes beyond the cost are charged: p2 sent 2 more requests, so p3 waits 1 s longer.
    await h.finish('p2', { extraRequests: 2 });
    await h.clock.advance(2_999);
    expect(h.started.map((r) => r.item)).not.toContain('p3');
    await h.clock.advance(1);
    expect(h.started.map((r) => r.item)).toContain('p3');
  });

  it('an unpaced add of a paced item lifts its pacing', async () => {
    const h = harness({ workers: 4, rate: 1, cost: 10 });
    h.add('p1', { priority: 'low', paced: true });
    h.add('p2', { priority: 'low', paced: true });
    expect(h.inFlight()).toEqual(['p1']);
    h.add('p2', { priority: 'low' });
    expect(h.inFlight()).toEqual(['p1', 'p2']);
  });

  it('at the sweep’s whole share, a change’s requests push the next paced item back', async () => {
    const h = harness({ workers: 4, cost: 4 });
    h.pacer.setRate(2, true); // 500 ms a request
    h.add('p1', { priority: 'low', paced: true });
    h.add('p2', { priority: 'low', paced: true });
    h.add('change', { priority: 'high' });
    expect(h.inFlight()).toEqual(['p1', 'change']);
    await h.finish('change', { extraRequests: 2 }); // 4 reads + a write + its re-read = 6 requests = 3 s
    await h.clock.advance(4_999);
    expect(h.inFlight()).toEqual(['p1']);
    await h.clock.advance(1);
    expect(h.inFlight()).toEqual(['p1', 'p2']);
  });
});
