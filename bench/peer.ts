/**
 * Benchmark 1 — one project, five sections, one drifted key: supasync `plan` and `apply --yes`
 * side by side with the official Supabase CLI 2.99 `config push --yes`, against the same emulator,
 * runs interleaved.
 *
 * Same work for both tools: the CLI's `supabase init` config.toml is edited to manage the same five
 * sections (PostgREST, Postgres settings, network restrictions, SSL enforcement, auth; storage
 * disabled, as supasync has no storage section) and pushed once, so the project holds exactly that
 * configuration; supasync's YAML is then `supasync export --all` of those five sections (every live
 * key, so supasync compares at least as many keys as the CLI). Before each run, one key drifts
 * behind both tools' backs (postgrest max_rows 1000 → 999); `config push` and `apply` put it back,
 * `plan` reports it.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { startEmulatorProcess, TOKEN, type EmulatorProcess, type LoggedRequest } from './lib/emulator-process.js';
import { CLI, ROOT, TRACE_LOADS } from './lib/paths.js';
import { ensurePeerCli } from './lib/peer-cli.js';
import { median, sum } from './lib/stats.js';
import { run, timed, type ProcessFigures } from './lib/timed.js';

export const PEER_REF = 'abcdefghijklmnopqrst';
const SECTIONS = 'auth,postgres,postgrest,network_restrictions,ssl_enforcement';
const DRIFT = { path: `/v1/projects/${PEER_REF}/postgrest`, key: 'max_rows', desired: 1000, drifted: 999 } as const;

export type PeerTool = 'supasync plan' | 'supasync apply --yes' | 'supabase config push --yes';

export interface RequestFigures {
  requests: number;
  reads: number;
  writes: number;
  /** GETs of a path already read in the same run (apply's read-after-write). */
  reReads: number;
  bytesSent: number;
}

export type PeerFigures = ProcessFigures & RequestFigures;

/** What a one-project `plan` loads (modules, by package), and whether anything it must not load did. */
export interface PlanLoads {
  modules: number;
  byPackage: Record<string, number>;
  /** Modules from NOT_ON_PLAN_PATH that were loaded anyway (should be none). */
  unexpected: string[];
}

/** Never needed by `plan`: the emulator, the daemon's libraries, unused renderers, ajv's compiler, the OpenAPI spec. */
export const NOT_ON_PLAN_PATH = [
  '/dist/emulator/',
  '/dist/daemon/daemon.js',
  '/dist/reconcile/render/markdown.js',
  '/dist/reconcile/render/json.js',
  '/node_modules/prom-client/',
  '/node_modules/node-cron/',
  '/node_modules/chokidar/',
  '/node_modules/fast-xml-parser/',
  '/node_modules/ajv/dist/compile/',
  '/vendor/openapi/',
];

export interface PeerResult {
  runs: number;
  planLoads: PlanLoads;
  officialCli: string;
  tools: Record<PeerTool, { median: PeerFigures; all: PeerFigures[]; sampleRequests: string[] }>;
}

/** Edits of `supabase init`'s config.toml: the five sections supasync manages, storage off. */
const CONFIG_TOML_EDITS: [RegExp, string][] = [
  [/^(\[storage\]\n(?:#.*\n)*)enabled = true$/m, '$1enabled = false'],
  [/^(\[db\.network_restrictions\]\n(?:#.*\n)*)enabled = false$/m, '$1enabled = true'],
  [/^allowed_cidrs = \["0\.0\.0\.0\/0"\]$/m, 'allowed_cidrs = ["203.0.113.0/24"]'],
  [/^allowed_cidrs_v6 = \["::\/0"\]$/m, 'allowed_cidrs_v6 = ["2001:db8::/32"]'],
  [/^# \[db\.ssl_enforcement\]\n# enabled = true$/m, '[db.ssl_enforcement]\nenabled = true\n\n[db.settings]\nstatement_timeout = "60s"'],
  [/^max_rows = 1000$/m, 'max_rows = 1000'],
];

export function requestFigures(log: readonly LoggedRequest[]): RequestFigures {
  const gets = log.filter((e) => e.method === 'GET').map((e) => e.path);
  return {
    requests: log.length,
    reads: gets.length,
    writes: log.length - gets.length,
    reReads: gets.length - new Set(gets).size,
    bytesSent: sum(log.map((e) => e.bytes)),
  };
}

export async function benchPeer(opts: { runs: number; log: (line: string) => void }): Promise<PeerResult> {
  // Installed on first use (peers/supabase-cli): a plain `npm ci` of supasync does not download it.
  const { binary } = await ensurePeerCli(opts.log);
  const work = await mkdtemp(join(tmpdir(), 'supasync-bench-peer-'));
  const seedFile = join(work, 'seed.json');
  await writeFile(seedFile, JSON.stringify({ projects: [{ ref: PEER_REF, name: 'peer', plan: 'pro' }] }));
  const emu = await startEmulatorProcess({ seedFile });
  const cliEnv = { HOME: work, SUPABASE_ACCESS_TOKEN: TOKEN, SUPABASE_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' };
  const supasyncEnv = { SUPABASE_API_URL: emu.url, SUPABASE_ACCESS_TOKEN: TOKEN, NO_COLOR: '1' };
  const pushArgs = ['--profile', './profile.yaml', 'config', 'push', '--project-ref', PEER_REF, '--yes'];
  const yamlFile = join(work, 'supasync.yaml');
  try {
    const version = await run(binary, ['--version'], { env: cliEnv, cwd: work });
    const init = await run(binary, ['init'], { env: cliEnv, cwd: work });
    if (init.code !== 0) throw new Error(`supabase init failed: ${init.stderr}`);
    const tomlFile = join(work, 'supabase/config.toml');
    let toml = await readFile(tomlFile, 'utf8');
    for (const [pattern, replacement] of CONFIG_TOML_EDITS) {
      if (!pattern.test(toml)) throw new Error(`supabase init's config.toml has no ${pattern}`);
      toml = toml.replace(pattern, replacement);
    }
    await writeFile(tomlFile, toml);
    await writeFile(join(work, 'profile.yaml'), `name: emulator\napi_url: ${emu.url}\ndashboard_url: ${emu.url}\nproject_host: localhost\n`);

    // The project takes the CLI's configuration; then both tools must find nothing to do.
    const first = await run(binary, pushArgs, { env: cliEnv, cwd: work });
    if (first.code !== 0) throw new Error(`first config push failed: ${first.stderr}`);
    const exported = await run(process.execPath, [CLI, 'export', '--project', PEER_REF, '--sections', SECTIONS, '--all', '--out', yamlFile], { env: supasyncEnv });
    if (exported.code !== 0) throw new Error(`supasync export failed: ${exported.stderr}`);
    await emu.clearRequests();
    const again = await run(binary, pushArgs, { env: cliEnv, cwd: work });
    const againWrites = requestFigures(await emu.requests()).writes;
    const converged = await run(process.execPath, [CLI, 'plan', '-c', yamlFile, '--detailed-exitcode'], { env: supasyncEnv });
    if (again.code !== 0 || againWrites !== 0 || converged.code !== 0) {
      throw new Error(`not converged before measuring: push ${again.code} with ${againWrites} writes, plan exit ${converged.code}`);
    }

    const planLoads = await tracePlanLoads(yamlFile, supasyncEnv, work);

    const commands: Record<PeerTool, { command: string; args: string[]; env: Record<string, string>; cwd?: string; fixes: boolean }> = {
      'supasync plan': { command: process.execPath, args: [CLI, 'plan', '-c', yamlFile], env: supasyncEnv, fixes: false },
      'supasync apply --yes': { command: process.execPath, args: [CLI, 'apply', '-c', yamlFile, '--yes'], env: supasyncEnv, fixes: true },
      'supabase config push --yes': { command: binary, args: pushArgs, env: cliEnv, cwd: work, fixes: true },
    };
    const tools = Object.keys(commands) as PeerTool[];
    const all = Object.fromEntries(tools.map((t) => [t, [] as PeerFigures[]])) as Record<PeerTool, PeerFigures[]>;
    const samples = {} as Record<PeerTool, string[]>;

    for (let i = 0; i < opts.runs; i++) {
      // Interleaved, in a rotating order: drift in the machine's load hits every tool alike.
      for (const tool of [...tools.slice(i % 3), ...tools.slice(0, i % 3)]) {
        const c = commands[tool];
        await drift(emu);
        await emu.clearRequests();
        const r = await timed(c.command, c.args, { env: c.env, ...(c.cwd ? { cwd: c.cwd } : {}), timeoutMs: 120_000 });
        const log = await emu.requests();
        if (r.exitCode !== 0) throw new Error(`${tool} exited ${r.exitCode}: ${r.stderr}`);
        const live = (await emu.call('GET', DRIFT.path)).body as Record<string, unknown>;
        const expected = c.fixes ? DRIFT.desired : DRIFT.drifted;
        if (live[DRIFT.key] !== expected) throw new Error(`${tool}: ${DRIFT.key} is ${String(live[DRIFT.key])}, expected ${expected}`);
        if (tool === 'supasync plan' && !r.stdout.includes(`${DRIFT.key}: ${DRIFT.drifted} → ${DRIFT.desired}`)) {
          throw new Error(`supasync plan did not report the drift:\n${r.stdout}`);
        }
        const { wallS, userS, sysS, cpuS, peakRssMiB } = r;
        all[tool].push({ wallS, userS, sysS, cpuS, peakRssMiB, ...requestFigures(log) });
        samples[tool] ??= log.map((e) => `${e.method} ${e.path.replace(`/v1/projects/${PEER_REF}`, '…')} ${e.status}`);
      }
      opts.log(`  peer run ${i + 1}/${opts.runs}`);
    }

    const tool = (t: PeerTool) => ({ median: medianFigures(all[t]), all: all[t], sampleRequests: samples[t] });
    return {
      runs: opts.runs,
      planLoads,
      officialCli: `supabase ${version.stdout.trim()} (${relative(ROOT, binary)})`,
      tools: Object.fromEntries(tools.map((t) => [t, tool(t)])) as PeerResult['tools'],
    };
  } finally {
    await emu.close();
    await rm(work, { recursive: true, force: true });
  }
}

/** One extra (unmeasured) `plan` with a module tracer preloaded. */
async function tracePlanLoads(yamlFile: string, env: Record<string, string>, work: string): Promise<PlanLoads> {
  const out = join(work, 'loads.json');
  const r = await run(process.execPath, ['--import', TRACE_LOADS, CLI, 'plan', '-c', yamlFile], { env: { ...env, SUPASYNC_BENCH_LOADS: out } });
  if (r.code !== 0) throw new Error(`traced plan exited ${r.code}: ${r.stderr}`);
  const urls = JSON.parse(await readFile(out, 'utf8')) as string[];
  const byPackage: Record<string, number> = {};
  for (const url of urls) {
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1] ?? (url.includes('/dist/') ? 'supasync (dist/)' : 'other');
    byPackage[pkg] = (byPackage[pkg] ?? 0) + 1;
  }
  return { modules: urls.length, byPackage, unexpected: urls.filter((u) => NOT_ON_PLAN_PATH.some((p) => u.includes(p))) };
}

async function drift(emu: EmulatorProcess): Promise<void> {
  const res = await emu.call('PATCH', DRIFT.path, { [DRIFT.key]: DRIFT.drifted });
  if (res.status !== 200) throw new Error(`could not set up the drift: ${res.status}`);
}

function medianFigures(runs: readonly PeerFigures[]): PeerFigures {
  const pick = (k: keyof PeerFigures) => median(runs.map((r) => r[k]));
  return {
    wallS: pick('wallS'),
    userS: pick('userS'),
    sysS: pick('sysS'),
    cpuS: pick('cpuS'),
    peakRssMiB: pick('peakRssMiB'),
    requests: pick('requests'),
    reads: pick('reads'),
    writes: pick('writes'),
    reReads: pick('reReads'),
    bytesSent: pick('bytesSent'),
  };
}
