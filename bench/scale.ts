/**
 * Benchmark 2 — `supasync plan` over 1, 10, 100 and 1,000 projects × 5 sections, one drifted key
 * per project, without the client-side rate limit (`--rate-limit 0`; the emulator sets no limit
 * either). Whole-process figures from /usr/bin/time; requests from the emulator's log.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulatorProcess, TOKEN } from './lib/emulator-process.js';
import { SECTIONS, writeScaleFixture } from './lib/fixtures.js';
import { CLI } from './lib/paths.js';
import { median } from './lib/stats.js';
import { timed } from './lib/timed.js';

export const SCALE_PROJECTS = [1, 10, 100, 1000] as const;

export interface ScaleRow {
  projects: number;
  sections: number;
  /** `--max-in-flight` (the default unless stated). */
  maxInFlight: number;
  runs: number;
  wallS: number;
  cpuS: number;
  peakRssMiB: number;
  requests: number;
  requestsPerProject: number;
  writes: number;
  allWallS: number[];
}

export interface ScaleResult {
  rows: ScaleRow[];
}

/** `--max-in-flight` values measured at 1,000 projects besides the default. */
const EXTRA_IN_FLIGHT = [32];
const DEFAULT_IN_FLIGHT = 8;

export async function benchScale(opts: { runs: number; log: (line: string) => void }): Promise<ScaleResult> {
  const work = await mkdtemp(join(tmpdir(), 'supasync-bench-scale-'));
  const seedFile = join(work, 'seed.json');
  await writeFile(seedFile, JSON.stringify({ projects: [] }));
  const emu = await startEmulatorProcess({ seedFile });
  const env = { SUPABASE_API_URL: emu.url, SUPABASE_ACCESS_TOKEN: TOKEN, NO_COLOR: '1' };
  const rows: ScaleRow[] = [];
  try {
    const cases = [
      ...SCALE_PROJECTS.map((projects) => ({ projects, maxInFlight: DEFAULT_IN_FLIGHT })),
      ...EXTRA_IN_FLIGHT.map((maxInFlight) => ({ projects: 1000, maxInFlight })),
    ];
    for (const { projects, maxInFlight } of cases) {
      const fixture = await writeScaleFixture(work, projects);
      await emu.reset(fixture.seed);
      const runs: { wallS: number; cpuS: number; peakRssMiB: number; requests: number; writes: number }[] = [];
      for (let i = 0; i < opts.runs; i++) {
        await emu.clearRequests();
        const args = [CLI, 'plan', '-c', fixture.configDir, '--rate-limit', '0', '--max-in-flight', String(maxInFlight)];
        const r = await timed(process.execPath, args, { env, timeoutMs: 300_000 });
        if (r.exitCode !== 0) throw new Error(`plan over ${projects} projects exited ${r.exitCode}: ${r.stderr.slice(0, 2000)}`);
        if (!r.stdout.includes(`Plan: 0 to create, ${projects} to update, 0 to delete.`)) {
          throw new Error(`plan over ${projects} projects: unexpected summary:\n${r.stdout.slice(-500)}`);
        }
        const log = await emu.requests();
        runs.push({ wallS: r.wallS, cpuS: r.cpuS, peakRssMiB: r.peakRssMiB, requests: log.length, writes: log.filter((e) => e.method !== 'GET').length });
      }
      const requests = median(runs.map((r) => r.requests));
      rows.push({
        projects,
        sections: SECTIONS.length,
        maxInFlight,
        runs: runs.length,
        wallS: median(runs.map((r) => r.wallS)),
        cpuS: median(runs.map((r) => r.cpuS)),
        peakRssMiB: median(runs.map((r) => r.peakRssMiB)),
        requests,
        requestsPerProject: requests / projects,
        writes: Math.max(...runs.map((r) => r.writes)),
        allWallS: runs.map((r) => r.wallS),
      });
      opts.log(`  ${projects} projects, ${maxInFlight} in flight: ${median(runs.map((r) => r.wallS))} s`);
    }
    return { rows };
  } finally {
    await emu.close();
    await rm(work, { recursive: true, force: true });
  }
}
