/**
 * Benchmark 4 — the daemon (`supasync run`) over 100 projects × 5 sections, against an emulator in
 * another process (its request log and state are not the daemon's memory).
 *
 * Idle RSS: a schedule that does not fire (once a year) — the start-up cycle runs (and corrects the
 * one drifted key of every project), then the daemon idles. RSS is read with `ps` every 10 s for
 * 120 s; V8 shrinks its heap (its memory reducer) some 30–75 s after the last allocation burst, so a
 * run's idle figure is the median of its last three samples (100, 110, 120 s). Three daemons are
 * started one after another; the idle RSS is the median of their figures, and every curve is kept.
 * Soak: a schedule of every second (`* * * * * *`) for 1,000 cycles (sweeps: each one's projects are
 * paced over 80% of the second); RSS read with `ps` right after each sweep's summary line. A busy daemon's RSS swings with garbage collection, so
 * growth compares the median over the last 50 cycles with the median over cycles 51–100 (after
 * warm-up: JIT and heap sizing) and, stricter, over cycles 1–50. Requests per converged cycle are
 * counted at the emulator over cycles 101–200.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startBenchDaemon } from './lib/daemon-process.js';
import { startEmulatorProcess, type EmulatorProcess } from './lib/emulator-process.js';
import { SECTIONS, writeScaleFixture } from './lib/fixtures.js';
import { median } from './lib/stats.js';
import { run } from './lib/timed.js';

export const DAEMON_PROJECTS = 100;

/**
 * The daemon is measured as it is shipped: with the environment the container image sets for it
 * (read from the Dockerfile, so the two cannot drift apart). One more idle run without it is
 * reported for reference.
 */
export async function imageEnv(): Promise<Record<string, string>> {
  const dockerfile = await readFile(new URL('../Dockerfile', import.meta.url), 'utf8');
  const env: Record<string, string> = {};
  for (const line of dockerfile.split('\n').filter((l) => l.startsWith('ENV '))) {
    for (const m of line.matchAll(/\b(MALLOC_[A-Z_]+)=(\d+)/g)) env[m[1]!] = m[2]!;
  }
  if (!env.MALLOC_ARENA_MAX) throw new Error('the Dockerfile no longer sets MALLOC_ARENA_MAX; update bench/daemon.ts');
  return env;
}
export const SOAK_CYCLES = 1000;
const COUNT_FROM = 100;
const COUNT_TO = 200;
const IDLE_SAMPLE_EVERY_S = 10;
const IDLE_SAMPLES = 12;
const IDLE_RUNS = 3;
/** Cycle windows (of 50) whose median RSS is reported: the first two, the middle one, the last one. */
export function soakWindows(cycles: number): [number, number][] {
  return [
    [1, 50],
    [51, 100],
    [cycles / 2 - 49, cycles / 2],
    [cycles - 49, cycles],
  ];
}

export interface IdleRun {
  rssMiB: number;
  firstCycleMs: number;
  curve: { afterS: number; rssMiB: number }[];
}

export interface DaemonResult {
  projects: number;
  sections: number;
  options: string;
  idle: {
    rssMiB: number;
    /** The environment the daemon ran with (the container image's). */
    env: Record<string, string>;
    runs: IdleRun[];
    /** One run without that environment: plain `node`, for reference. */
    plain: IdleRun;
  };
  soak: {
    cycles: number;
    schedule: string;
    /** RSS after each cycle (index 0 = cycle 1). */
    rssAfterCycleMiB: number[];
    /** Median RSS over each window of SOAK_WINDOWS. */
    windows: { from: number; to: number; medianRssMiB: number }[];
    cycleResults: Record<string, number>;
    medianCycleMs: number;
    skippedTicks: number;
    requestsPerCycle: number;
    writesPerCycle: number;
    wallS: number;
  };
}

/** Resident set size of a process, in MiB, from procps' `ps`. */
async function rssMiB(pid: number): Promise<number> {
  const r = await run('ps', ['-o', 'rss=', '-p', String(pid)]);
  const kib = Number(r.stdout.trim());
  if (!Number.isFinite(kib) || kib <= 0) throw new Error(`ps found no process ${pid}`);
  return Math.round((kib / 1024) * 10) / 10;
}

interface DaemonProcess {
  child: ChildProcess;
  /** Resolves at the summary line of cycle `n` (1-based), with that line. */
  cycle(n: number): Promise<Record<string, unknown>>;
  lines: Record<string, unknown>[];
  stop(): Promise<number | null>;
}

/** Generous: a cycle of 100 converged projects takes well under a second, the first one a few. */
const CYCLE_TIMEOUT_MS = 10 * 60_000;

function startDaemon(configDir: string, schedule: string, emu: EmulatorProcess, env: Record<string, string>): DaemonProcess {
  const daemon = startBenchDaemon({
    configDir,
    emu,
    env,
    args: ['--schedule', schedule, '--rate-limit', '0', '--log-level', 'info'],
    // Keep the log small over 1,000 cycles: one line per cycle, not one per project or change.
    keep: (line) => line.msg !== 'change applied' && line.msg !== 'project reconciled',
  });
  return {
    child: daemon.child,
    lines: daemon.lines,
    cycle(n) {
      let seen = 0;
      return daemon.waitFor((line) => line.msg === 'cycle complete' && ++seen === n, CYCLE_TIMEOUT_MS, `cycle ${n}`);
    },
    stop: async () => (await daemon.stop()).code,
  };
}

export async function benchDaemon(opts: { log: (line: string) => void; cycles?: number }): Promise<DaemonResult> {
  const cycles = opts.cycles ?? SOAK_CYCLES;
  if (cycles < 200 || cycles % 100 !== 0) throw new Error('the soak needs a multiple of 100 cycles, at least 200');
  const work = await mkdtemp(join(tmpdir(), 'supasync-bench-daemon-'));
  const fixture = await writeScaleFixture(work, DAEMON_PROJECTS);
  const seedFile = join(work, 'seed.json');
  await writeFile(seedFile, JSON.stringify(fixture.seed));
  const emu = await startEmulatorProcess({ seedFile });
  try {
    // Idle.
    const env = await imageEnv();
    const idleRun = async (runEnv: Record<string, string>): Promise<IdleRun> => {
      await emu.reset(fixture.seed);
      const idleDaemon = startDaemon(fixture.configDir, '0 0 1 1 *', emu, runEnv);
      const first = await idleDaemon.cycle(1);
      const curve: { afterS: number; rssMiB: number }[] = [];
      for (let i = 1; i <= IDLE_SAMPLES; i++) {
        await sleep(IDLE_SAMPLE_EVERY_S * 1000);
        curve.push({ afterS: i * IDLE_SAMPLE_EVERY_S, rssMiB: await rssMiB(idleDaemon.child.pid!) });
      }
      await idleDaemon.stop();
      const result = { rssMiB: median(curve.slice(-3).map((c) => c.rssMiB)), firstCycleMs: Number(first.duration_ms), curve };
      opts.log(`  idle RSS ${result.rssMiB} MiB (${curve.map((c) => c.rssMiB).join(', ')})${Object.keys(runEnv).length ? '' : ' [plain node]'}`);
      return result;
    };
    const idleRuns: IdleRun[] = [];
    for (let run = 0; run < IDLE_RUNS; run++) idleRuns.push(await idleRun(env));
    const plain = await idleRun({});

    // Soak.
    await emu.reset(fixture.seed);
    const schedule = '* * * * * *';
    const started = performance.now();
    const soak = startDaemon(fixture.configDir, schedule, emu, env);
    const rssAfterCycleMiB: number[] = [];
    let requestsPerCycle = Number.NaN;
    let writesPerCycle = Number.NaN;
    for (let cycle = 1; cycle <= cycles; cycle++) {
      await soak.cycle(cycle);
      rssAfterCycleMiB.push(await rssMiB(soak.child.pid!));
      if (cycle === COUNT_FROM) await emu.clearRequests();
      if (cycle === COUNT_TO) {
        const log = await emu.requests();
        requestsPerCycle = log.length / (COUNT_TO - COUNT_FROM);
        writesPerCycle = log.filter((e) => e.method !== 'GET').length / (COUNT_TO - COUNT_FROM);
      }
      if (cycle % 100 === 0) opts.log(`  cycle ${cycle}: RSS ${rssAfterCycleMiB[cycle - 1]} MiB`);
    }
    const wallS = Math.round((performance.now() - started) / 100) / 10;
    await soak.stop();
    const summaries = soak.lines.filter((l) => l.msg === 'cycle complete');
    const cycleResults: Record<string, number> = {};
    for (const l of summaries) cycleResults[String(l.result)] = (cycleResults[String(l.result)] ?? 0) + 1;
    return {
      projects: DAEMON_PROJECTS,
      sections: SECTIONS.length,
      options: '--rate-limit 0 --log-level info, mode enforce',
      idle: { rssMiB: median(idleRuns.map((r) => r.rssMiB)), env, runs: idleRuns, plain },
      soak: {
        cycles: summaries.length,
        schedule,
        rssAfterCycleMiB,
        windows: soakWindows(cycles).map(([from, to]) => ({ from, to, medianRssMiB: median(rssAfterCycleMiB.slice(from - 1, to)) })),
        cycleResults,
        medianCycleMs: median(summaries.map((l) => Number(l.duration_ms))),
        skippedTicks: soak.lines.filter((l) => typeof l.msg === 'string' && l.msg.startsWith('cycle skipped')).length,
        requestsPerCycle,
        writesPerCycle,
        wallS,
      },
    };
  } finally {
    await emu.close();
    await rm(work, { recursive: true, force: true });
  }
}
