/**
 * Benchmarks 5 and 6 — fleets built from templates (issue 14).
 *
 * `fleet`: `supasync validate` of a generated 500-project fleet (three templates, one short file per
 * project), beside the same fleet written out in full. Target: under 2 s.
 *
 * `fleet-pr`: the plan a pull request gets. A git repository holds the 500-project fleet; one commit
 * changes one project's file. Measured, runs interleaved: `plan --changed-since HEAD~1` (the PR
 * plan), `plan --project REF` of the same project (a one-project plan of the same configuration),
 * and `plan` of the whole fleet. Targets: the PR plan sends as many requests as the one-project
 * plan, and its wall time is at most 1.5 × the one-project plan's.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulatorProcess, TOKEN } from './lib/emulator-process.js';
import { fleetSeed, templatedProjectYaml, writeFleet } from './lib/fleet.js';
import { CLI } from './lib/paths.js';
import { median } from './lib/stats.js';
import { timed } from './lib/timed.js';

export const FLEET_PROJECTS = 500;

export interface ValidateRow {
  form: 'templated' | 'full';
  files: number;
  runs: number;
  wallS: number;
  cpuS: number;
  peakRssMiB: number;
  allWallS: number[];
}

export interface FleetResult {
  projects: number;
  rows: ValidateRow[];
}

export async function benchFleet(opts: { runs: number; log: (line: string) => void }): Promise<FleetResult> {
  const work = await mkdtemp(join(tmpdir(), 'supasync-bench-fleet-'));
  try {
    const rows: ValidateRow[] = [];
    for (const form of ['templated', 'full'] as const) {
      const { dir } = await writeFleet(join(work, form), FLEET_PROJECTS, form);
      const runs: { wallS: number; cpuS: number; peakRssMiB: number }[] = [];
      for (let i = 0; i < opts.runs; i++) {
        const r = await timed(process.execPath, [CLI, 'validate', '-c', dir], { timeoutMs: 120_000 });
        if (r.exitCode !== 0 || !r.stdout.includes(`${FLEET_PROJECTS} projects`)) {
          throw new Error(`validate of the ${form} fleet failed (${r.exitCode}): ${r.stderr.slice(0, 2000)}`);
        }
        runs.push(r);
      }
      rows.push({
        form,
        files: FLEET_PROJECTS + (form === 'templated' ? 3 : 0),
        runs: runs.length,
        wallS: median(runs.map((r) => r.wallS)),
        cpuS: median(runs.map((r) => r.cpuS)),
        peakRssMiB: median(runs.map((r) => r.peakRssMiB)),
        allWallS: runs.map((r) => r.wallS),
      });
      opts.log(`  validate, ${form}: ${median(runs.map((r) => r.wallS))} s`);
    }
    return { projects: FLEET_PROJECTS, rows };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

export type PrPlanKind = 'PR plan (--changed-since HEAD~1)' | 'one-project plan (--project REF)' | 'full plan (--rate-limit 0)';

export interface PrPlanRow {
  kind: PrPlanKind;
  runs: number;
  wallS: number;
  cpuS: number;
  peakRssMiB: number;
  requests: number;
  /** Projects in the plan. */
  planned: number;
  allWallS: number[];
}

export interface FleetPrResult {
  projects: number;
  sectionsPerProject: number;
  rows: PrPlanRow[];
}

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8' });

export async function benchFleetPr(opts: { runs: number; log: (line: string) => void }): Promise<FleetPrResult> {
  const work = await mkdtemp(join(tmpdir(), 'supasync-bench-fleet-pr-'));
  const repo = join(work, 'repo');
  const fleet = await writeFleet(join(repo, 'config'), FLEET_PROJECTS, 'templated');
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'fleet');
  // The pull request: one project's file changes (it overrides one more key).
  const touched = fleet.projects[123]!;
  await writeFile(join(repo, 'config/projects', `${touched.ref}.yaml`), `${templatedProjectYaml(touched)}postgres: {statement_timeout: 90s}\n`);
  git(repo, 'commit', '-q', '-am', 'one project');

  const seedFile = join(work, 'seed.json');
  await writeFile(seedFile, JSON.stringify(fleetSeed(fleet.projects)));
  const emu = await startEmulatorProcess({ seedFile });
  const env = { SUPABASE_API_URL: emu.url, SUPABASE_ACCESS_TOKEN: TOKEN, NO_COLOR: '1' };
  const cases: Array<{ kind: PrPlanKind; args: string[] }> = [
    { kind: 'PR plan (--changed-since HEAD~1)', args: ['--changed-since', 'HEAD~1'] },
    { kind: 'one-project plan (--project REF)', args: ['--project', touched.ref] },
    { kind: 'full plan (--rate-limit 0)', args: ['--rate-limit', '0'] },
  ];
  const measured = new Map<PrPlanKind, Array<{ wallS: number; cpuS: number; peakRssMiB: number; requests: number; planned: number }>>();
  try {
    for (let i = 0; i < opts.runs; i++) {
      // Interleaved, in a rotating order, so that drifts of the machine's load hit every case alike.
      for (let k = 0; k < cases.length; k++) {
        const c = cases[(i + k) % cases.length]!;
        await emu.clearRequests();
        const r = await timed(process.execPath, [CLI, 'plan', '-c', 'config', '--format', 'json', ...c.args], { env, cwd: repo, timeoutMs: 300_000 });
        if (r.exitCode !== 0) throw new Error(`${c.kind} exited ${r.exitCode}: ${r.stderr.slice(0, 2000)}`);
        const plan = JSON.parse(r.stdout) as { projects: unknown[] };
        const runs = measured.get(c.kind) ?? [];
        runs.push({ wallS: r.wallS, cpuS: r.cpuS, peakRssMiB: r.peakRssMiB, requests: (await emu.requests()).length, planned: plan.projects.length });
        measured.set(c.kind, runs);
      }
    }
  } finally {
    await emu.close();
    await rm(work, { recursive: true, force: true });
  }
  const rows = cases.map(({ kind }) => {
    const runs = measured.get(kind)!;
    const row: PrPlanRow = {
      kind,
      runs: runs.length,
      wallS: median(runs.map((r) => r.wallS)),
      cpuS: median(runs.map((r) => r.cpuS)),
      peakRssMiB: median(runs.map((r) => r.peakRssMiB)),
      requests: Math.max(...runs.map((r) => r.requests)),
      planned: Math.max(...runs.map((r) => r.planned)),
      allWallS: runs.map((r) => r.wallS),
    };
    opts.log(`  ${kind}: ${row.wallS} s, ${row.requests} requests, ${row.planned} planned`);
    return row;
  });
  return { projects: FLEET_PROJECTS, sectionsPerProject: 5, rows };
}
