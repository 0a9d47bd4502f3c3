/**
 * The daemon's memory over a large fleet: 1,000 projects × 5 sections, every project drifted (its
 * first sweep reads all 5,000 sections and writes 1,000), no client-side rate limit so the sweep runs
 * as fast as the emulator answers. Peak RSS is the kernel's high-water mark (VmHWM in
 * /proc/PID/status) read when the first sweep's summary line arrives — nothing sampled, nothing
 * missed. Idle RSS: then every 10 s for 120 s, the median of the last three samples (V8 gives memory
 * back 30–75 s after the last burst). Three daemons one after another, with the container image's
 * environment; the figures are their medians.
 *
 * Shutdown: one more daemon at the default --rate-limit 120 (its first sweep lasts an hour), SIGTERM
 * 20 s in: how long until it exits, with what code, and how many projects finished after the signal
 * (only those in flight may).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { imageEnv } from './daemon.js';
import { startBenchDaemon } from './lib/daemon-process.js';
import { startEmulatorProcess } from './lib/emulator-process.js';
import { SECTIONS, writeScaleFixture } from './lib/fixtures.js';
import { median } from './lib/stats.js';

export const DAEMON_FLEET_PROJECTS = 1_000;
const RUNS = 3;
const IDLE_SAMPLE_EVERY_S = 10;
const IDLE_SAMPLES = 12;

export interface DaemonFleetRun {
  peakRssMiB: number;
  firstSweepS: number;
  writes: number;
  idleRssMiB: number;
  curve: { afterS: number; rssMiB: number }[];
}

export interface DaemonFleetResult {
  projects: number;
  sections: number;
  options: string;
  env: Record<string, string>;
  peakRssMiB: number;
  idleRssMiB: number;
  runs: DaemonFleetRun[];
  shutdown: { afterS: number; exitCode: number | null; inFlight: number; finishedAfterSignal: number; droppedFromSweep: number };
}

export async function benchDaemonFleet(opts: { log: (line: string) => void }): Promise<DaemonFleetResult> {
  const work = await mkdtemp(join(tmpdir(), 'supasync-bench-daemon-fleet-'));
  const fixture = await writeScaleFixture(work, DAEMON_FLEET_PROJECTS);
  const seedFile = join(work, 'seed.json');
  await writeFile(seedFile, JSON.stringify(fixture.seed));
  const emu = await startEmulatorProcess({ seedFile });
  const env = await imageEnv();
  const keep = (l: { msg: string }) => l.msg !== 'change applied' && l.msg !== 'project reconciled';
  try {
    const runs: DaemonFleetRun[] = [];
    for (let run = 0; run < RUNS; run++) {
      await emu.reset(fixture.seed);
      const d = startBenchDaemon({ configDir: fixture.configDir, emu, env, keep, args: ['--schedule', '0 0 1 1 *', '--rate-limit', '0', '--log-level', 'info'] });
      const sweep = await d.waitFor((l) => l.msg === 'cycle complete' && l.trigger === 'start', 10 * 60_000, 'the first sweep');
      const { peakMiB } = await d.memory();
      const curve: { afterS: number; rssMiB: number }[] = [];
      for (let i = 1; i <= IDLE_SAMPLES; i++) {
        await sleep(IDLE_SAMPLE_EVERY_S * 1000);
        curve.push({ afterS: i * IDLE_SAMPLE_EVERY_S, rssMiB: (await d.memory()).rssMiB });
      }
      await d.stop();
      const result: DaemonFleetRun = {
        peakRssMiB: peakMiB,
        firstSweepS: Math.round(Number(sweep.duration_ms) / 100) / 10,
        writes: Number(sweep.requests),
        idleRssMiB: median(curve.slice(-3).map((c) => c.rssMiB)),
        curve,
      };
      opts.log(`  run ${run + 1}: first sweep ${result.firstSweepS} s, peak RSS ${result.peakRssMiB} MiB, idle ${result.idleRssMiB} MiB`);
      runs.push(result);
    }

    // Shutdown during a long sweep.
    await emu.reset(fixture.seed);
    const d = startBenchDaemon({ configDir: fixture.configDir, emu, env, args: ['--schedule', '0 0 1 1 *', '--log-level', 'info'] });
    await d.waitFor((l) => l.msg === 'supasync daemon started', 60_000, 'the daemon to start');
    await sleep(20_000);
    const mark = d.lines.length;
    const stopped = await d.stop();
    const after = d.lines.slice(mark);
    const shutdownLine = after.find((l) => l.msg.startsWith('shutting down'));
    const sweep = after.find((l) => l.msg === 'cycle complete');
    const shutdown = {
      afterS: Math.round(stopped.afterMs / 100) / 10,
      exitCode: stopped.code,
      inFlight: Number(shutdownLine?.in_flight ?? 0),
      finishedAfterSignal: after.filter((l) => l.msg === 'project reconciled').length,
      droppedFromSweep: Number(sweep?.dropped ?? 0),
    };
    opts.log(`  SIGTERM mid-sweep: exit ${shutdown.exitCode} after ${shutdown.afterS} s, ${shutdown.finishedAfterSignal} of ${shutdown.inFlight} in flight finished, ${shutdown.droppedFromSweep} dropped`);
    return {
      projects: DAEMON_FLEET_PROJECTS,
      sections: SECTIONS.length,
      options: '--rate-limit 0 --log-level info, schedule "0 0 1 1 *", mode enforce',
      env,
      peakRssMiB: median(runs.map((r) => r.peakRssMiB)),
      idleRssMiB: median(runs.map((r) => r.idleRssMiB)),
      runs,
      shutdown,
    };
  } finally {
    await emu.close();
    await rm(work, { recursive: true, force: true });
  }
}
