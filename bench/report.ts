/** Renders docs/benchmarks.md from the measured results (bench/results.json): nothing typed by hand. */
import type { DaemonFleetResult } from './daemon-fleet.js';
import type { DaemonResult } from './daemon.js';
import type { FleetPrResult, FleetResult } from './fleet.js';
import type { LimiterResult } from './limiter.js';
import type { Machine } from './lib/machine.js';
import { slope } from './lib/stats.js';
import type { PeerFigures, PeerResult, PeerTool } from './peer.js';
import type { ChangeLatencyResult, SpreadResult } from './queue.js';
import type { ScaleResult } from './scale.js';

export interface BenchResults {
  peer?: PeerResult & { machine: Machine };
  scale?: ScaleResult & { machine: Machine };
  limiter?: LimiterResult & { machine: Machine };
  daemon?: DaemonResult & { machine: Machine };
  fleet?: FleetResult & { machine: Machine };
  fleetPr?: FleetPrResult & { machine: Machine };
  daemonFleet?: DaemonFleetResult & { machine: Machine };
  changeLatency?: ChangeLatencyResult & { machine: Machine };
  resyncSpread?: SpreadResult & { machine: Machine };
}

export const TARGETS = {
  planWallVsPush: 1,
  planRssVsPush: 0.8,
  scaleWallS: 15,
  limiterShare: 0.95,
  daemonIdleMiB: 80,
  daemonGrowth: 0.05,
  fleetValidateS: 2,
  prPlanWallVsOne: 1.5,
  fleetPeakMiB: 150,
  fleetIdleMiB: 100,
  changeLatencyS: 10,
  spreadRatio: 1.25,
} as const;

/** The daemon's growth: the last window's median RSS against the median of the window after warm-up. */
export const GROWTH_BASELINE: readonly [number, number] = [51, 100];

const fmt = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
const ratio = (a: number, b: number) => (b === 0 ? 'n/a' : `${fmt(a / b)}×`);
const verdict = (ok: boolean) => (ok ? '**pass**' : '**FAIL**');
const PLAN: PeerTool = 'supasync plan';
const APPLY: PeerTool = 'supasync apply --yes';
const PUSH: PeerTool = 'supabase config push --yes';

function machineLine(m: Machine): string {
  return `${m.date.slice(0, 16).replace('T', ' ')} UTC · ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB · Node ${m.node} · ${m.kernel} · load average at start ${m.loadAverage}`;
}

export function daemonGrowth(d: DaemonResult, baseline: readonly [number, number] = GROWTH_BASELINE): number {
  const base = d.soak.windows.find((w) => w.from === baseline[0] && w.to === baseline[1])?.medianRssMiB ?? Number.NaN;
  const last = d.soak.windows[d.soak.windows.length - 1]?.medianRssMiB ?? Number.NaN;
  return (last - base) / base;
}

function targetRows(r: BenchResults): string[] {
  const rows: string[] = [];
  if (r.peer) {
    const plan = r.peer.tools[PLAN].median;
    const apply = r.peer.tools[APPLY].median;
    const push = r.peer.tools[PUSH].median;
    rows.push(
      `| plan: one GET per managed section, no write | ${plan.reads} GETs, ${plan.writes} writes (5 sections) | ${verdict(plan.reads === 5 && plan.writes === 0)} |`,
      `| apply: + one write per drifted section | ${apply.reads - apply.reReads} GETs + ${apply.writes} write (1 drifted section), and ${apply.reReads} re-read | ${verdict(apply.reads - apply.reReads === 5 && apply.writes === 1)} (the re-read is apply's read-after-write, counted apart) |`,
      `| one-project plan loads only what it uses | ${r.peer.planLoads.modules} modules; none of the emulator, daemon, prom-client, node-cron, chokidar, fast-xml-parser, unused renderers, ajv's compiler, the OpenAPI spec${r.peer.planLoads.unexpected.length ? ` — but loaded: ${r.peer.planLoads.unexpected.join(', ')}` : ''} | ${verdict(r.peer.planLoads.unexpected.length === 0)} |`,
      `| one-project plan wall ≤ CLI push wall | ${fmt(plan.wallS)} s vs ${fmt(push.wallS)} s (${ratio(plan.wallS, push.wallS)}) | ${verdict(plan.wallS <= push.wallS * TARGETS.planWallVsPush)} |`,
      `| one-project plan peak RSS ≤ 0.8 × CLI push | ${fmt(plan.peakRssMiB, 1)} MiB vs ${fmt(push.peakRssMiB, 1)} MiB (${ratio(plan.peakRssMiB, push.peakRssMiB)}) | ${verdict(plan.peakRssMiB <= push.peakRssMiB * TARGETS.planRssVsPush)} |`,
    );
  }
  if (r.scale) {
    const big = r.scale.rows.find((x) => x.projects === 1000 && x.maxInFlight === 8);
    const perProjectOk = r.scale.rows.every((x) => x.requestsPerProject === 5 && x.writes === 0);
    rows.push(`| plan over N projects: 5 GETs per project, no write | ${r.scale.rows.map((x) => fmt(x.requestsPerProject, 1)).join(' / ')} requests per project, ${Math.max(...r.scale.rows.map((x) => x.writes))} writes | ${verdict(perProjectOk)} |`);
    if (big) rows.push(`| 1,000 projects × 5 sections, plan, no limiter: ≤ 15 s | ${fmt(big.wallS)} s (default --max-in-flight 8) | ${verdict(big.wallS <= TARGETS.scaleWallS)} |`);
  }
  if (r.limiter) {
    const share = r.limiter.achievedPerMinute / r.limiter.serverLimitPerMinute;
    rows.push(
      `| under the limiter: zero 429s | ${r.limiter.tooManyRequests} × 429 in ${r.limiter.requests} requests | ${verdict(r.limiter.tooManyRequests === 0)} |`,
      `| under the limiter: ≥ 95% of the allowed rate | ${fmt(r.limiter.achievedPerMinute, 1)}/min of ${r.limiter.serverLimitPerMinute}/min (${fmt(share * 100, 1)}%) | ${verdict(share >= TARGETS.limiterShare)} |`,
    );
  }
  if (r.daemon) {
    const growth = daemonGrowth(r.daemon);
    rows.push(
      `| daemon idle RSS ≤ 80 MiB at 100 projects | ${fmt(r.daemon.idle.rssMiB, 1)} MiB as the image runs it${r.daemon.idle.plain ? ` (plain \`node\`: ${fmt(r.daemon.idle.plain.rssMiB, 1)} MiB)` : ''} | ${verdict(r.daemon.idle.rssMiB <= TARGETS.daemonIdleMiB)} |`,
      `| daemon RSS growth < 5% over 1,000 cycles | ${fmt(growth * 100, 1)}% over ${r.daemon.soak.cycles} cycles (median RSS of the last 50 cycles vs cycles 51–100; vs 1–50: ${fmt(daemonGrowth(r.daemon, [1, 50]) * 100, 1)}%) | ${r.daemon.soak.cycles >= 1000 ? verdict(growth < TARGETS.daemonGrowth) : 'not judged (shorter soak)'} |`,
      `| daemon, converged cycle: one GET per section, no write | ${fmt(r.daemon.soak.requestsPerCycle, 1)} requests, ${fmt(r.daemon.soak.writesPerCycle, 1)} writes per cycle (${r.daemon.projects * r.daemon.sections} sections) | ${verdict(r.daemon.soak.requestsPerCycle === r.daemon.projects * r.daemon.sections && r.daemon.soak.writesPerCycle === 0)} |`,
    );
  }
  if (r.fleet) {
    const templated = r.fleet.rows.find((x) => x.form === 'templated');
    if (templated) {
      rows.push(`| ${r.fleet.projects}-project fleet from three templates: validate < 2 s | ${fmt(templated.wallS)} s | ${verdict(templated.wallS < TARGETS.fleetValidateS)} |`);
    }
  }
  if (r.fleetPr) {
    const [pr, one] = PR_KINDS.map((k) => r.fleetPr!.rows.find((x) => x.kind === k));
    if (pr && one) {
      rows.push(
        `| PR plan over ${r.fleetPr.projects} projects touching one: requests = a one-project plan's | ${pr.requests} vs ${one.requests} | ${verdict(pr.requests === one.requests)} |`,
        `| PR plan over ${r.fleetPr.projects} projects touching one: wall ≤ 1.5 × a one-project plan | ${fmt(pr.wallS)} s vs ${fmt(one.wallS)} s (${ratio(pr.wallS, one.wallS)}) | ${verdict(pr.wallS <= one.wallS * TARGETS.prPlanWallVsOne)} |`,
      );
    }
  }
  if (r.daemonFleet) {
    const f = r.daemonFleet;
    rows.push(
      `| daemon, 1,000 projects all drifted: peak RSS of the first sweep ≤ 150 MiB | ${fmt(f.peakRssMiB, 1)} MiB (median of ${f.runs.length}: ${f.runs.map((x) => fmt(x.peakRssMiB, 1)).join(', ')}) | ${verdict(f.peakRssMiB <= TARGETS.fleetPeakMiB)} |`,
      `| daemon, 1,000 projects: idle RSS ≤ 100 MiB | ${fmt(f.idleRssMiB, 1)} MiB (median of ${f.runs.length}: ${f.runs.map((x) => fmt(x.idleRssMiB, 1)).join(', ')}) | ${verdict(f.idleRssMiB <= TARGETS.fleetIdleMiB)} |`,
      `| daemon: SIGTERM mid-sweep drains only the projects in flight, within --shutdown-timeout (25 s) | exit ${f.shutdown.exitCode} after ${fmt(f.shutdown.afterS, 1)} s; ${f.shutdown.finishedAfterSignal} project(s) finished of ${f.shutdown.inFlight} in flight, ${f.shutdown.droppedFromSweep} left to the next start | ${verdict(f.shutdown.exitCode === 0 && f.shutdown.afterS < 25 && f.shutdown.finishedAfterSignal <= f.shutdown.inFlight)} |`,
    );
  }
  if (r.changeLatency) {
    for (const row of r.changeLatency.rows) {
      rows.push(
        `| config change during a sweep (${row.projects} × ${row.sections}, emulator at ${r.changeLatency.serverLimitPerMinute}/min): PATCH ≤ 10 s after the file changed, median of ${row.latenciesS.length} | ${fmt(row.medianS, 1)} s (${row.latenciesS.map((x) => fmt(x, 1)).join(', ')}) during a ${fmtDuration(row.sweepS)} sweep; ${row.tooManyRequests} × 429 | ${verdict(row.medianS <= TARGETS.changeLatencyS)} |`,
      );
    }
  }
  if (r.resyncSpread) {
    const x = r.resyncSpread;
    rows.push(
      `| resync requests spread: busiest 10 s ≤ 1.25 × mean, 0 × 429 | ${x.busiest10s} vs ${fmt(x.mean10s, 1)} per 10 s (${fmt(x.ratio, 2)}×); ${x.tooManyRequests} × 429 | ${verdict(x.ratio <= TARGETS.spreadRatio && x.tooManyRequests === 0)} |`,
    );
  }
  return rows;
}

const PR_KINDS = ['PR plan (--changed-since HEAD~1)', 'one-project plan (--project REF)', 'full plan (--rate-limit 0)'] as const;

function fleetSection(f: NonNullable<BenchResults['fleet']>): string[] {
  return [
    `## 5. Validating a ${f.projects}-project fleet built from templates`,
    '',
    machineLine(f.machine),
    '',
    '| configuration | files | wall (median) | CPU | peak RSS | runs (wall, s) |',
    '|---|---|---|---|---|---|',
    ...f.rows.map(
      (r) =>
        `| ${r.form === 'templated' ? 'three templates + one short file per project' : 'the same fleet written out in full, no templates'} | ${r.files} | ${fmt(r.wallS)} s | ${fmt(r.cpuS)} s | ${fmt(r.peakRssMiB, 1)} MiB | ${r.allWallS.map((w) => fmt(w)).join(', ')} |`,
    ),
    '',
    'How: `supasync validate -c DIR` of the fleet `bench/lib/fleet.ts` generates (an org baseline, `prod` and',
    '`staging`; each project file `extends` one of them, sets `vars: {domain: …}`, and every tenth overrides a key),',
    'whole-process figures from `/usr/bin/time -v`, median of the runs listed. The same fleet in full is what the',
    'e2e test `test/e2e/fleet.test.ts` checks it plans identically to.',
    '',
  ];
}

function fleetPrSection(f: NonNullable<BenchResults['fleetPr']>): string[] {
  const full = f.rows.find((r) => r.kind === PR_KINDS[2]);
  return [
    `## 6. PR plan over a ${f.projects}-project fleet that touches one project`,
    '',
    machineLine(f.machine),
    '',
    '| plan | projects planned | requests | wall (median) | CPU | peak RSS | runs (wall, s) |',
    '|---|---|---|---|---|---|---|',
    ...f.rows.map(
      (r) =>
        `| ${r.kind} | ${r.planned} | ${r.requests} | ${fmt(r.wallS)} s | ${fmt(r.cpuS)} s | ${fmt(r.peakRssMiB, 1)} MiB | ${r.allWallS.map((w) => fmt(w)).join(', ')} |`,
    ),
    '',
    'How: a git repository holds the fleet of section 5 (5 sections per project, one drifted key each in the',
    'emulator); one commit changes one project file. `supasync plan -c config --format json` with',
    '`--changed-since HEAD~1`, with `--project` of that project, and over the whole fleet without the',
    'client-side rate limit, interleaved in rotating order; the emulator in its own process, no rate limit.',
    full
      ? `Under the Management API's 120 requests per minute, the full plan's ${full.requests} requests would take at least ${fmt(full.requests / 120, 1)} minutes (arithmetic, not measured); the PR plan's fit in one minute's budget.`
      : '',
    '',
  ];
}

/** 1385.2 → "23 min 5 s". */
function fmtDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return 'n/a';
  if (seconds < 120) return `${fmt(seconds, 0)} s`;
  const m = Math.floor(seconds / 60);
  return `${m} min ${Math.round(seconds - m * 60)} s`;
}

function daemonFleetSection(f: NonNullable<BenchResults['daemonFleet']>): string[] {
  return [
    `## 7. The daemon over ${f.projects.toLocaleString('en')} projects: peak and idle memory, shutdown mid-sweep`,
    '',
    machineLine(f.machine),
    '',
    '| run | first sweep | writes | peak RSS (VmHWM) | idle RSS |',
    '|---|---|---|---|---|',
    ...f.runs.map((x, i) => `| ${i + 1} | ${fmt(x.firstSweepS, 1)} s | ${x.writes} | ${fmt(x.peakRssMiB, 1)} MiB | ${fmt(x.idleRssMiB, 1)} MiB |`),
    `| **median** | | | **${fmt(f.peakRssMiB, 1)} MiB** | **${fmt(f.idleRssMiB, 1)} MiB** |`,
    '',
    'Idle RSS after the first sweep (MiB), per daemon:',
    '',
    ...f.runs.map((x, i) => `${i + 1}. ${x.curve.map((c) => `${c.afterS} s: ${c.rssMiB}`).join(' · ')} → ${x.idleRssMiB}`),
    '',
    `SIGTERM 20 s into a first sweep at --rate-limit 120 (an hour's work): exit ${f.shutdown.exitCode} after ${fmt(f.shutdown.afterS, 1)} s; ${f.shutdown.inFlight} project(s) in flight, ${f.shutdown.finishedAfterSignal} finished after the signal; ${f.shutdown.droppedFromSweep} projects of the sweep left for the next start.`,
    '',
    `How: \`supasync run -c DIR ${f.options}\` with the container image's environment (${Object.entries(f.env).map(([k, v]) => `\`${k}=${v}\``).join(', ')}), against the emulator in its own process.`,
    'Every project has one drifted key, so the first sweep reads 5 sections and writes (and re-reads) one per project.',
    'Peak RSS is the kernel\'s high-water mark (VmHWM) of the daemon process when the sweep\'s summary line arrives;',
    'idle RSS is the median of the last three of twelve samples 10 s apart. Where the memory went before the work',
    'queue (283 MiB): every project\'s reads held at once; with the queue a dozen projects are in flight, the live',
    'heap stays near 30 MiB, and the rest of the peak is the V8 heap growing between full collections under the HTTP',
    'client\'s allocation rate, which `supasync run` bounds by asking V8 to favour memory (`--optimize-for-size`).',
    '',
  ];
}

function changeLatencySection(c: NonNullable<BenchResults['changeLatency']>): string[] {
  return [
    '## 8. A configuration change during a sweep (emulator at 120 requests/min)',
    '',
    machineLine(c.machine),
    '',
    `| projects × sections | seconds to the PATCH, per change | median | the sweep | the run's requests at ${c.serverLimitPerMinute}/min (arithmetic: the least time they take) | requests | 429s |`,
    '|---|---|---|---|---|---|---|',
    ...c.rows.map(
      (row) =>
        `| ${row.projects} × ${row.sections} | ${row.latenciesS.map((x) => fmt(x, 2)).join(', ')} | ${fmt(row.medianS, 2)} s | ${fmtDuration(row.sweepS)} (${row.sweepResult}) | ${fmtDuration(Math.round((row.requests * 60) / c.serverLimitPerMinute))} | ${row.requests} | ${row.tooManyRequests} |`,
    ),
    '',
    `How: \`supasync emulator --rate-limit ${c.serverLimitPerMinute}/min\` and \`supasync run\` with its ${c.options}; every project drifted, so`,
    'the first sweep reads and writes every project and lasts minutes. From 20 s after the start, every 20 s, the YAML',
    'file of a project the sweep has already reconciled gets a new `auth.site_url`; the figure is the time from writing',
    'the file to the PATCH carrying the new value in the emulator\'s request log (file watch with its 500 ms debounce,',
    'the reload of every file, the project\'s reads, its write). The sweep\'s duration is from its summary line.',
    '',
  ];
}

function spreadSection(x: NonNullable<BenchResults['resyncSpread']>): string[] {
  return [
    '## 9. The spread of a resync sweep\'s requests',
    '',
    machineLine(x.machine),
    '',
    '| projects × sections | schedule | sweep | requests | busiest 10 s | mean per 10 s | ratio | 429s |',
    '|---|---|---|---|---|---|---|---|',
    `| ${x.projects} × ${x.sections} | \`${x.schedule}\` | ${fmtDuration(x.sweepS)} | ${x.requests} | ${x.busiest10s} | ${fmt(x.mean10s, 2)} | ${fmt(x.ratio, 2)}× | ${x.tooManyRequests} |`,
    '',
    `Requests per 10 s from the sweep's first request: ${x.buckets.join(' · ')}.`,
    '',
    `How: \`supasync emulator --rate-limit ${x.serverLimitPerMinute}/min\` and \`supasync run --schedule "${x.schedule}"\` with its ${x.options}, over`,
    'projects already converged; the first scheduled sweep after the start-up one is measured: every request the',
    'emulator logged between its start and its summary line. Busiest window: the most requests in any 10 s (sliding);',
    'mean: requests × 10 s ÷ the time from the first request to the last. 429s over the whole run.',
    '',
  ];
}

function peerSection(p: NonNullable<BenchResults['peer']>): string[] {
  const [plan, apply, push] = [p.tools[PLAN].median, p.tools[APPLY].median, p.tools[PUSH].median];
  const row = (label: string, get: (f: PeerFigures) => number, digits: number, unit = '') =>
    `| ${label} | ${fmt(get(plan), digits)}${unit} | ${fmt(get(apply), digits)}${unit} | ${fmt(get(push), digits)}${unit} | ${ratio(get(plan), get(push))} | ${ratio(get(apply), get(push))} |`;
  return [
    '## 1. One project, five sections, one drifted key — supasync vs the official CLI',
    '',
    machineLine(p.machine),
    '',
    `Peer: ${p.officialCli}. Median of ${p.runs} runs per tool, interleaved in rotating order against one emulator process.`,
    '',
    '| | supasync plan | supasync apply --yes | supabase config push --yes | plan / push | apply / push |',
    '|---|---|---|---|---|---|',
    row('wall time', (f) => f.wallS, 2, ' s'),
    row('CPU (user + sys)', (f) => f.cpuS, 2, ' s'),
    row('peak RSS', (f) => f.peakRssMiB, 1, ' MiB'),
    row('requests', (f) => f.requests, 0),
    row('— of which writes', (f) => f.writes, 0),
    row('— of which re-reads (a path read twice)', (f) => f.reReads, 0),
    row('bytes sent', (f) => f.bytesSent, 0),
    '',
    `Modules a one-project plan loads (${p.planLoads.modules}, by package): ${Object.entries(p.planLoads.byPackage)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}. Recorded in one extra, unmeasured run with a tracer preloaded (\`bench/lib/trace-loads.mjs\`: an ES module loader hook plus require's cache).`,
    '',
    'Requests, in order (first run):',
    '',
    ...([PLAN, APPLY, PUSH] as const).map((t) => `- ${t}: ${p.tools[t].sampleRequests.map((s) => `\`${s}\``).join(' · ')}`),
    '',
    'How: wall, CPU and peak RSS of the whole process from `/usr/bin/time -v`; requests and bytes sent',
    'counted at the emulator (`bytes` of each request-log entry: request line, headers and body as',
    "received). The peer is the CLI's Go executable itself, run directly (the npm package's launcher",
    'is a Node script that only spawns it). The same work for both: the `supabase init` config.toml',
    'manages the same five sections (storage turned off), was pushed once, and supasync\'s YAML is',
    '`supasync export --all` of that state; before each run postgrest `max_rows` drifts 1000 → 999.',
    'The CLI also reads `billing/addons` on every push. `apply` re-reads each section it wrote',
    '(read-after-write, to report keys the API did not take).',
    '',
  ];
}

function scaleSection(s: NonNullable<BenchResults['scale']>): string[] {
  return [
    '## 2. Plan over 1, 10, 100 and 1,000 projects (no rate limit)',
    '',
    machineLine(s.machine),
    '',
    '| projects × sections | --max-in-flight | wall (median) | CPU | peak RSS | requests | per project | writes | runs (wall, s) |',
    '|---|---|---|---|---|---|---|---|---|',
    ...s.rows.map(
      (r) =>
        `| ${r.projects} × ${r.sections} | ${r.maxInFlight}${r.maxInFlight === 8 ? ' (default)' : ''} | ${fmt(r.wallS)} s | ${fmt(r.cpuS)} s | ${fmt(r.peakRssMiB, 1)} MiB | ${r.requests} | ${fmt(r.requestsPerProject, 1)} | ${r.writes} | ${r.allWallS.map((w) => fmt(w)).join(', ')} |`,
    ),
    '',
    'How: `supasync plan -c DIR --rate-limit 0` (one YAML file per project: auth, postgres, postgrest,',
    'network_restrictions, ssl_enforcement), the emulator in its own process without a rate limit,',
    'seeded so that each project has one drifted key (the plan shows N updates). Whole-process figures',
    'from `/usr/bin/time -v`, median of the runs listed; requests from the emulator\'s log.',
    '',
  ];
}

function limiterSection(l: NonNullable<BenchResults['limiter']>): string[] {
  return [
    '## 3. 200 projects under the API rate limit (120 requests/min)',
    '',
    machineLine(l.machine),
    '',
    `| projects × sections | requests | 429s | achieved rate | of the limit | wall | CPU | peak RSS | exit |`,
    '|---|---|---|---|---|---|---|---|---|',
    `| ${l.projects} × ${l.sections.length} (${l.sections.join(', ')}) | ${l.requests} | ${l.tooManyRequests} | ${fmt(l.achievedPerMinute, 1)}/min | ${fmt((l.achievedPerMinute / l.serverLimitPerMinute) * 100, 1)}% | ${fmt(l.wallS, 1)} s | ${fmt(l.cpuS)} s | ${fmt(l.peakRssMiB, 1)} MiB | ${l.exitCode} |`,
    '',
    `Server windows (start offset → requests counted): ${l.windows.map((w) => `${fmt(w.startOffsetS, 1)} s → ${w.requests}`).join(' · ')}.`,
    '',
    `How: \`supasync emulator --rate-limit ${l.serverLimitPerMinute}/min\` (fixed one-minute windows per token, each`,
    `opened by its first request) and \`supasync plan\` with its ${l.clientOptions}. Two sections per`,
    'project keep the run near three minutes (three full windows and part of a fourth). Achieved rate =',
    'requests of every window but the last ÷ time from the first window\'s start to the last one\'s,',
    'per minute: a client that fills each window and starts the next the moment it opens scores',
    'exactly the limit. One run (it takes minutes).',
    '',
  ];
}

/** Slope of RSS over cycles 101..end, in MiB per 1,000 cycles: robust to GC's swings, unlike two windows. */
function trendPer1000(d: DaemonResult): number {
  const ys = d.soak.rssAfterCycleMiB.slice(100);
  return slope(ys.map((_, i) => i + 101), ys) * 1000;
}

function daemonSection(d: NonNullable<BenchResults['daemon']>): string[] {
  const w = d.soak.windows;
  const at = (cycle: number) => d.soak.rssAfterCycleMiB[cycle - 1];
  const trend = trendPer1000(d);
  return [
    `## 4. The daemon: idle memory and a ${d.soak.cycles}-cycle soak (100 projects × 5 sections)`,
    '',
    machineLine(d.machine),
    '',
    '| idle RSS | first cycle | median cycle | requests per converged cycle | writes per converged cycle |',
    '|---|---|---|---|---|',
    `| ${fmt(d.idle.rssMiB, 1)} MiB | ${d.idle.runs.map((r) => r.firstCycleMs).join(' / ')} ms | ${d.soak.medianCycleMs} ms | ${fmt(d.soak.requestsPerCycle, 1)} | ${fmt(d.soak.writesPerCycle, 1)} |`,
    '',
    'Idle RSS after the start-up cycle (MiB), per daemon started:',
    '',
    ...d.idle.runs.map((r, i) => `${i + 1}. ${r.curve.map((c) => `${c.afterS} s: ${c.rssMiB}`).join(' · ')} → ${r.rssMiB}`),
    ...(d.idle.plain
      ? [
          `- for reference, plain \`node\` without the image's environment: ${d.idle.plain.curve.map((c) => `${c.afterS} s: ${c.rssMiB}`).join(' · ')} → ${d.idle.plain.rssMiB}`,
        ]
      : []),
    '',
    '| soak: cycles | ' + w.map((x) => `${x.from}–${x.to}`).join(' | ') + ' | growth (vs 51–100) | growth (vs 1–50) |',
    '|---|' + w.map(() => '---|').join('') + '---|---|',
    `| median RSS after each cycle | ${w.map((x) => `${fmt(x.medianRssMiB, 1)} MiB`).join(' | ')} | ${fmt(daemonGrowth(d) * 100, 1)}% | ${fmt(daemonGrowth(d, [1, 50]) * 100, 1)}% |`,
    '',
    `Trend (least-squares fit of RSS after each of cycles 101–${d.soak.cycles}): ${fmt(trend, 2)} MiB per 1,000 cycles (${fmt((trend / (d.soak.windows[1]?.medianRssMiB ?? Number.NaN)) * 100, 1)}% of the cycles 51–100 median) — supporting evidence, not the verdict.`,
    `RSS after cycle 1, 10, 100, ${d.soak.cycles / 2}, ${d.soak.cycles} (MiB): ${[1, 10, 100, d.soak.cycles / 2, d.soak.cycles].map((c) => at(c) ?? 'n/a').join(', ')}; lowest ${fmt(Math.min(...d.soak.rssAfterCycleMiB), 1)}, highest ${fmt(Math.max(...d.soak.rssAfterCycleMiB), 1)}.`,
    `Cycles: ${d.soak.cycles} (${Object.entries(d.soak.cycleResults).map(([k, v]) => `${v} ${k}`).join(', ')}), schedule \`${d.soak.schedule}\`, ${d.soak.skippedTicks} tick${d.soak.skippedTicks === 1 ? '' : 's'} skipped while a cycle ran, ${fmt(d.soak.wallS, 0)} s in all.`,
    '',
    `How: \`supasync run -c DIR ${d.options}\` against the emulator in another process, with the environment the`,
    `container image sets (${Object.entries(d.idle.env ?? {}).map(([k, v]) => `\`${k}=${v}\``).join(', ') || 'none'}; read from the Dockerfile), soak included. Idle: schedule`,
    '`0 0 1 1 *` (does not fire during the measurement); the start-up cycle corrects one drifted key per',
    'project, then RSS is read with `ps -o rss` every 10 s for 120 s. V8 gives memory back (its memory',
    'reducer shrinks the young generation and compacts) some 30–75 s after the last burst of allocation,',
    'so a daemon\'s idle figure is the median of its last three samples; three daemons are started one',
    'after another and the idle RSS is the median of their figures. Soak: schedule every second, RSS read with',
    '`ps` right after each cycle\'s summary line; a busy daemon\'s RSS swings with garbage collection, so',
    'growth compares window medians, after warm-up (JIT, heap sizing: cycles 51–100) and from the start',
    '(cycles 1–50). Requests per converged cycle counted at the emulator over cycles 101–200.',
    '',
  ];
}

export function renderReport(r: BenchResults): string {
  const machines = [r.peer, r.scale, r.limiter, r.daemon, r.fleet, r.fleetPr, r.daemonFleet, r.changeLatency, r.resyncSpread].filter((x) => x !== undefined).map((x) => x.machine);
  const out = [
    '# Benchmarks',
    '',
    '<!-- Generated by `npm run bench` (bench/run.ts) from bench/results.json. Do not edit by hand. -->',
    '',
    `Generated by \`npm run bench\`; every figure below was measured by \`bench/\` against the Management API`,
    'emulator (`supasync emulator`, in its own process). Machine and date are given per benchmark.',
    machines.length ? `Machine: ${machines[0]!.cpu}, ${machines[0]!.cores} cores, ${machines[0]!.memoryGiB} GiB RAM, Node ${machines[0]!.node}.` : '',
    '',
    '## Targets',
    '',
    '| target | measured | result |',
    '|---|---|---|',
    ...targetRows(r),
    '',
  ];
  if (r.peer) out.push(...peerSection(r.peer));
  else out.push('## 1. One project vs the official CLI', '', 'Not measured yet.', '');
  if (r.scale) out.push(...scaleSection(r.scale));
  else out.push('## 2. Plan over many projects', '', 'Not measured yet.', '');
  if (r.limiter) out.push(...limiterSection(r.limiter));
  else out.push('## 3. Under the API rate limit', '', 'Not measured yet.', '');
  if (r.daemon) out.push(...daemonSection(r.daemon));
  else out.push('## 4. The daemon', '', 'Not measured yet.', '');
  if (r.fleet) out.push(...fleetSection(r.fleet));
  else out.push('## 5. Validating a fleet built from templates', '', 'Not measured yet.', '');
  if (r.fleetPr) out.push(...fleetPrSection(r.fleetPr));
  else out.push('## 6. PR plan over a fleet that touches one project', '', 'Not measured yet.', '');
  if (r.daemonFleet) out.push(...daemonFleetSection(r.daemonFleet));
  else out.push('## 7. The daemon over 1,000 projects', '', 'Not measured yet.', '');
  if (r.changeLatency) out.push(...changeLatencySection(r.changeLatency));
  else out.push('## 8. A configuration change during a sweep', '', 'Not measured yet.', '');
  if (r.resyncSpread) out.push(...spreadSection(r.resyncSpread));
  else out.push('## 9. The spread of a resync sweep\'s requests', '', 'Not measured yet.', '');
  return `${out.join('\n').trimEnd()}\n`;
}
