/**
 * The daemon's work queue under the API's rate limit (emulator at 120 requests/min per token, the
 * daemon at its default `--rate-limit 120`), projects of five sections each.
 *
 * change-latency — "a configuration change during a sweep": the daemon starts on N projects, every one
 *   drifted, so its first sweep has work for all of them and lasts minutes. While it runs, one
 *   project's file is changed (a new auth.site_url) five times, 20 s apart, each time a project the
 *   sweep has already reconciled (so only the change itself can write the new value); the figure is
 *   the time from writing the file to that PATCH arriving in the emulator's log. Median of 5, at 30
 *   and at 500 projects, reported with the duration of the sweep the changes cut across.
 *
 * resync-spread — the requests of a scheduled resync sweep: 40 converged projects, schedule every 3
 *   minutes; the sweep is paced over the interval within its share of the budget. Every request of
 *   that sweep is placed on a time line; the busiest 10-second window (sliding) is compared with the
 *   mean per 10 seconds over the sweep, and 429s are counted over the whole run.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { imageEnv } from './daemon.js';
import { startBenchDaemon } from './lib/daemon-process.js';
import { startEmulatorProcess, type EmulatorProcess, type LoggedRequest } from './lib/emulator-process.js';
import { SECTIONS, writeScaleFixture, type ScaleFixture } from './lib/fixtures.js';
import { median } from './lib/stats.js';

export const SERVER_LIMIT_PER_MINUTE = 120;
export const CHANGE_FLEETS = [30, 500] as const;
const CHANGES = 5;
const FIRST_CHANGE_AFTER_S = 20;
const CHANGE_EVERY_S = 20;
const SWEEP_TIMEOUT_MS = 60 * 60_000;

export interface ChangeLatencyRow {
  projects: number;
  sections: number;
  /** Seconds from the file write to the PATCH at the emulator, per change. */
  latenciesS: number[];
  medianS: number;
  /** Duration of the sweep the changes were made during (the daemon's first). */
  sweepS: number;
  sweepResult: string;
  /** The daemon's own figure: the shortest possible sweep at its share of --rate-limit. */
  shortestSweep: string | undefined;
  requests: number;
  tooManyRequests: number;
}

export interface ChangeLatencyResult {
  serverLimitPerMinute: number;
  options: string;
  rows: ChangeLatencyRow[];
}

export interface SpreadResult {
  projects: number;
  sections: number;
  schedule: string;
  options: string;
  serverLimitPerMinute: number;
  sweepS: number;
  requests: number;
  /** Busiest sliding 10-second window of the sweep's requests. */
  busiest10s: number;
  /** Requests per 10 seconds on average over the sweep. */
  mean10s: number;
  ratio: number;
  tooManyRequests: number;
  /** Requests per 10-second bucket from the sweep's first request (for the report). */
  buckets: number[];
}

const siteUrl = (i: number) => `https://changed-${i}.example.com`;
const refOf = (path: string) => /\/v1\/projects\/([a-z]{20})\//.exec(path)?.[1];

/** The busiest sliding window of `windowMs` over sorted times. */
export function busiestWindow(times: readonly number[], windowMs: number): number {
  let best = 0;
  let start = 0;
  for (let end = 0; end < times.length; end++) {
    while (times[end]! - times[start]! >= windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

async function fleet(work: string, projects: number, converged: boolean): Promise<{ fixture: ScaleFixture; emu: EmulatorProcess }> {
  const fixture = await writeScaleFixture(work, projects);
  // The fixture drifts postgrest.max_rows in every project; a converged seed has the configured value.
  const seed = converged ? { projects: fixture.seed.projects.map((p) => ({ ...p, postgrest: { ...p.postgrest, max_rows: 500 } })) } : fixture.seed;
  fixture.seed = seed;
  const seedFile = join(work, `seed-${projects}.json`);
  await writeFile(seedFile, JSON.stringify(seed));
  const emu = await startEmulatorProcess({ seedFile, rateLimitPerMinute: SERVER_LIMIT_PER_MINUTE });
  return { fixture, emu };
}

async function changeLatency(projects: number, log: (line: string) => void): Promise<ChangeLatencyRow> {
  const work = await mkdtemp(join(tmpdir(), 'supasync-bench-change-'));
  const { fixture, emu } = await fleet(work, projects, false);
  const env = await imageEnv();
  const d = startBenchDaemon({ configDir: fixture.configDir, emu, env, args: ['--schedule', '0 0 1 1 *', '--log-level', 'info'] });
  try {
    const started = await d.waitFor((l) => l.msg === 'supasync daemon started', 60_000, 'the daemon to start');
    const startedAt = Date.parse(started.time);
    const shortest = d.lines.find((l) => l.msg.startsWith('sweeps cannot fit'))?.shortest_sweep as string | undefined;
    const latencies: number[] = [];
    const changed = new Set<string>();
    for (let i = 0; i < CHANGES; i++) {
      const at = startedAt + (FIRST_CHANGE_AFTER_S + i * CHANGE_EVERY_S) * 1000;
      await sleep(Math.max(0, at - Date.now()));
      // A project the sweep has already reconciled: only the change can write the new value now.
      const done = d.lines.filter((l) => l.msg === 'project reconciled' && l.priority === 'low').map((l) => String(l.project));
      const ref = done.find((r) => !changed.has(r));
      if (!ref) throw new Error('the sweep has not reconciled a project yet');
      changed.add(ref);
      const index = fixture.refs.indexOf(ref);
      const file = join(fixture.configDir, `${ref}.yaml`);
      const { readFile } = await import('node:fs/promises');
      const text = await readFile(file, 'utf8');
      const next = text.replace(/site_url: \S+/, `site_url: ${siteUrl(i)}`);
      const writtenAt = Date.now();
      await writeFile(file, next);
      let patch: LoggedRequest | undefined;
      for (let waited = 0; !patch; waited += 250) {
        if (waited > 120_000) throw new Error(`no PATCH of ${ref} within 2 minutes`);
        await sleep(250);
        patch = (await emu.requests()).find(
          (r) => r.method === 'PATCH' && refOf(r.path) === ref && r.path.endsWith('/config/auth') && Date.parse(r.at) >= writtenAt - 5 && r.status === 200,
        );
      }
      const latency = Math.round((Date.parse(patch.at) - writtenAt) / 10) / 100;
      latencies.push(latency);
      log(`  ${projects} projects: change ${i + 1} (project #${index + 1}) → PATCH after ${latency} s`);
    }
    log(`  ${projects} projects: waiting for the first sweep to end${shortest ? ` (shortest possible ${shortest})` : ''}…`);
    const sweep = await d.waitFor((l) => l.msg === 'cycle complete' && l.trigger === 'start', SWEEP_TIMEOUT_MS, 'the first sweep');
    const requests = await emu.requests();
    return {
      projects,
      sections: SECTIONS.length,
      latenciesS: latencies,
      medianS: median(latencies),
      sweepS: Math.round(Number(sweep.duration_ms) / 100) / 10,
      sweepResult: String(sweep.result),
      shortestSweep: shortest,
      requests: requests.length,
      tooManyRequests: requests.filter((r) => r.status === 429).length,
    };
  } finally {
    await d.stop();
    await emu.close();
    await rm(work, { recursive: true, force: true });
  }
}

export async function benchChangeLatency(opts: { log: (line: string) => void }): Promise<ChangeLatencyResult> {
  const rows: ChangeLatencyRow[] = [];
  for (const projects of CHANGE_FLEETS) rows.push(await changeLatency(projects, opts.log));
  return { serverLimitPerMinute: SERVER_LIMIT_PER_MINUTE, options: 'defaults (--rate-limit 120, --max-in-flight 8), --schedule "0 0 1 1 *"', rows };
}

export const SPREAD_PROJECTS = 40;
const SPREAD_SCHEDULE = '*/3 * * * *';

export async function benchResyncSpread(opts: { log: (line: string) => void }): Promise<SpreadResult> {
  const work = await mkdtemp(join(tmpdir(), 'supasync-bench-spread-'));
  const { fixture, emu } = await fleet(work, SPREAD_PROJECTS, true);
  const env = await imageEnv();
  const d = startBenchDaemon({ configDir: fixture.configDir, emu, env, args: ['--schedule', SPREAD_SCHEDULE, '--log-level', 'info'] });
  try {
    opts.log(`  ${SPREAD_PROJECTS} projects, schedule "${SPREAD_SCHEDULE}": the first scheduled sweep (up to 9 minutes)…`);
    const sweep = await d.waitFor((l) => l.msg === 'cycle complete' && l.trigger === 'schedule', 12 * 60_000, 'a scheduled sweep');
    const end = Date.parse(sweep.time);
    const start = end - Number(sweep.duration_ms);
    const all = await emu.requests();
    const times = all
      .map((r) => Date.parse(r.at))
      .filter((t) => t >= start - 5 && t <= end + 5)
      .sort((a, b) => a - b);
    const spanMs = Math.max(1, times[times.length - 1]! - times[0]!);
    const mean = (times.length * 10_000) / spanMs;
    const busiest = busiestWindow(times, 10_000);
    const buckets: number[] = [];
    for (const t of times) {
      const b = Math.floor((t - times[0]!) / 10_000);
      buckets[b] = (buckets[b] ?? 0) + 1;
    }
    return {
      projects: SPREAD_PROJECTS,
      sections: SECTIONS.length,
      schedule: SPREAD_SCHEDULE,
      options: 'defaults (--rate-limit 120, --max-in-flight 8)',
      serverLimitPerMinute: SERVER_LIMIT_PER_MINUTE,
      sweepS: Math.round(Number(sweep.duration_ms) / 100) / 10,
      requests: times.length,
      busiest10s: busiest,
      mean10s: Math.round(mean * 100) / 100,
      ratio: Math.round((busiest / mean) * 1000) / 1000,
      tooManyRequests: all.filter((r) => r.status === 429).length,
      buckets: Array.from(buckets, (b) => b ?? 0),
    };
  } finally {
    await d.stop();
    await emu.close();
    await rm(work, { recursive: true, force: true });
  }
}
