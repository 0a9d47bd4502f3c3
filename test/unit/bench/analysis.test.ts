/**
 * The benchmark harness's pure parts: what it reads from /usr/bin/time, how it splits the
 * emulator's log into rate-limit windows and counts requests. (The benchmarks themselves run with
 * `npm run bench`, never in the test suite.)
 */
import { busiestWindow } from '../../../bench/queue.js';
import { describe, expect, it } from 'vitest';
import { achievedRate, serverWindows } from '../../../bench/limiter.js';
import type { LoggedRequest } from '../../../bench/lib/emulator-process.js';
import { median, slope } from '../../../bench/lib/stats.js';
import { parseGnuTime } from '../../../bench/lib/timed.js';
import { requestFigures } from '../../../bench/peer.js';

const entry = (method: string, path: string, atMs: number, bytes = 100): LoggedRequest => ({
  method,
  path,
  status: 200,
  bytes,
  at: new Date(atMs).toISOString(),
});

describe('bench analysis', () => {
  it('reads wall, CPU and peak RSS from `/usr/bin/time -v`', () => {
    const report = [
      '\tCommand being timed: "node dist/cli.js plan -c x"',
      '\tUser time (seconds): 0.31',
      '\tSystem time (seconds): 0.05',
      '\tElapsed (wall clock) time (h:mm:ss or m:ss): 1:02.50',
      '\tMaximum resident set size (kbytes): 81920',
      '\tExit status: 2',
    ].join('\n');
    expect(parseGnuTime(report)).toEqual({ wallS: 62.5, userS: 0.31, sysS: 0.05, cpuS: 0.36, peakRssMiB: 80, exitCode: 2 });
  });

  it('splits requests into fixed windows opened by their first request, and rates full windows', () => {
    const t0 = Date.parse('2026-01-01T00:00:00Z');
    const log = [
      ...Array.from({ length: 120 }, (_, i) => entry('GET', '/a', t0 + i * 10)),
      ...Array.from({ length: 120 }, (_, i) => entry('GET', '/a', t0 + 61_000 + i * 10)),
      ...Array.from({ length: 30 }, (_, i) => entry('GET', '/a', t0 + 122_000 + i * 10)),
    ];
    const windows = serverWindows(log);
    expect(windows.map((w) => [w.start - t0, w.requests])).toEqual([
      [0, 120],
      [61_000, 120],
      [122_000, 30],
    ]);
    // 240 requests in the two full windows over 122 s: a second late at each boundary.
    expect(achievedRate(windows)).toBeCloseTo((240 / 122_000) * 60_000, 6);
  });

  it('counts reads, writes, re-reads of the same path and bytes', () => {
    const log = [entry('GET', '/p', 0, 200), entry('GET', '/q', 1, 210), entry('PATCH', '/p', 2, 300), entry('GET', '/p', 3, 200)];
    expect(requestFigures(log)).toEqual({ requests: 4, reads: 3, writes: 1, reReads: 1, bytesSent: 910 });
  });

  it('takes the median and a least-squares slope', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(slope([1, 2, 3, 4], [10, 12, 14, 16])).toBeCloseTo(2, 10);
    expect(slope([1, 2, 3, 4], [5, 9, 5, 9])).toBeCloseTo(0.8, 10);
  });
});

describe('busiestWindow (resync spread)', () => {
  it('counts the most requests in any window of the given length, sliding', () => {
    expect(busiestWindow([], 10_000)).toBe(0);
    expect(busiestWindow([0, 1_000, 2_000, 9_999, 10_000, 25_000], 10_000)).toBe(4);
    // Even, one every 500 ms: 20 in any 10 s.
    const even = Array.from({ length: 100 }, (_, i) => i * 500);
    expect(busiestWindow(even, 10_000)).toBe(20);
    // A burst in the middle is found wherever it is.
    expect(busiestWindow([...even.slice(0, 50), ...Array.from({ length: 30 }, () => 25_100), ...even.slice(50)].sort((a, b) => a - b), 10_000)).toBe(50);
  });
});
