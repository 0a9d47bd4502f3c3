/**
 * Benchmark 4 — the daemon (`supasync run`) over 100 projects × 5 sections, against an emulator in
 * another process (its request log and state are not the daemon's memory).
 *
 * Idle RSS: a schedule that does not fire (once a year) — the start-up cycle runs (and corrects the
 * one drifted key of every project), then the daemon idles; RSS is sampled with `ps` ten seconds
 * later, five times a second apart (median).
 * Soak: a schedule of every second (`* * * * * *`); after cycle 1, 10, 100, 200, … 1,000 RSS is
 * sampled with `ps` (between cycles: right after the cycle's summary line). Requests per converged
 * cycle are counted at the emulator over cycles 101–200.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startEmulatorProcess, TOKEN, type EmulatorProcess } from './lib/emulator-process.js';
import { SECTIONS, writeScaleFixture } from './lib/fixtures.js';
import { CLI } from './lib/paths.js';
import { median } from './lib/stats.js';
import { run } from './lib/timed.js';

export const DAEMON_PROJECTS = 100;
export const SOAK_CYCLES = 1000;
const CHECKPOINTS = [1, 10, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000];
const COUNT_FROM = 100;
const COUNT_TO = 200;

export interface DaemonResult {
  projects: number;
  sections: number;
  options: string;
  idle: { rssMiB: number; samplesMiB: number[]; firstCycleMs: number };
  soak: {
    cycles: number;
    schedule: string;
    /** RSS after the given cycle. */
    rssAfterCycle: { cycle: number; rssMiB: number }[];
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

function startDaemon(configDir: string, schedule: string, emu: EmulatorProcess): DaemonProcess {
  const args = [CLI, 'run', '-c', configDir, '--schedule', schedule, '--listen', '127.0.0.1:0', '--rate-limit', '0', '--log-level', 'info'];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, SUPABASE_API_URL: emu.url, SUPABASE_ACCESS_TOKEN: TOKEN },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: Record<string, unknown>[] = [];
  const cycles: Record<string, unknown>[] = [];
  const waiters = new Map<number, (line: Record<string, unknown>) => void>();
  let buffer = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk;
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const text = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      let line: Record<string, unknown>;
      try {
        line = JSON.parse(text) as Record<string, unknown>;
      } catch {
        continue;
      }
      if (line.msg !== 'cycle complete') {
        if (line.msg !== 'change applied') lines.push(line); // keep the rest small: one line per cycle
        continue;
      }
      cycles.push({ result: line.result, duration_ms: line.duration_ms });
      lines.push(line);
      waiters.get(cycles.length)?.(line);
    }
  });
  const exited = once(child, 'exit');
  return {
    child,
    lines,
    cycle: (n) =>
      cycles.length >= n
        ? Promise.resolve(cycles[n - 1]!)
        : new Promise((resolve, reject) => {
            waiters.set(n, resolve);
            void exited.then(() => reject(new Error(`the daemon exited before cycle ${n}`)));
          }),
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const [code] = (await exited) as [number | null];
      return code;
    },
  };
}

export async function benchDaemon(opts: { log: (line: string) => void }): Promise<DaemonResult> {
  const work = await mkdtemp(join(tmpdir(), 'supasync-bench-daemon-'));
  const fixture = await writeScaleFixture(work, DAEMON_PROJECTS);
  const seedFile = join(work, 'seed.json');
  await writeFile(seedFile, JSON.stringify(fixture.seed));
  const emu = await startEmulatorProcess({ seedFile });
  try {
    // Idle.
    const idleDaemon = startDaemon(fixture.configDir, '0 0 1 1 *', emu);
    const first = await idleDaemon.cycle(1);
    await sleep(10_000);
    const samples: number[] = [];
    for (let i = 0; i < 5; i++) {
      samples.push(await rssMiB(idleDaemon.child.pid!));
      await sleep(1_000);
    }
    await idleDaemon.stop();
    opts.log(`  idle RSS ${median(samples)} MiB`);

    // Soak.
    await emu.reset(fixture.seed);
    const schedule = '* * * * * *';
    const started = performance.now();
    const soak = startDaemon(fixture.configDir, schedule, emu);
    const rssAfterCycle: { cycle: number; rssMiB: number }[] = [];
    let requestsPerCycle = Number.NaN;
    let writesPerCycle = Number.NaN;
    for (const cycle of CHECKPOINTS) {
      await soak.cycle(cycle);
      rssAfterCycle.push({ cycle, rssMiB: await rssMiB(soak.child.pid!) });
      if (cycle === COUNT_FROM) await emu.clearRequests();
      if (cycle === COUNT_TO) {
        const log = await emu.requests();
        requestsPerCycle = log.length / (COUNT_TO - COUNT_FROM);
        writesPerCycle = log.filter((e) => e.method !== 'GET').length / (COUNT_TO - COUNT_FROM);
      }
      opts.log(`  cycle ${cycle}: RSS ${rssAfterCycle[rssAfterCycle.length - 1]!.rssMiB} MiB`);
    }
    const wallS = Math.round((performance.now() - started) / 100) / 10;
    await soak.stop();
    const cycles = soak.lines.filter((l) => l.msg === 'cycle complete');
    const cycleResults: Record<string, number> = {};
    for (const l of cycles) cycleResults[String(l.result)] = (cycleResults[String(l.result)] ?? 0) + 1;
    return {
      projects: DAEMON_PROJECTS,
      sections: SECTIONS.length,
      options: '--rate-limit 0 --log-level info, mode enforce',
      idle: { rssMiB: median(samples), samplesMiB: samples, firstCycleMs: Number(first.duration_ms) },
      soak: {
        cycles: cycles.length,
        schedule,
        rssAfterCycle,
        cycleResults,
        medianCycleMs: median(cycles.map((l) => Number(l.duration_ms))),
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
