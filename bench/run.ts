/**
 * `npm run bench`: builds the CLI, runs the benchmarks against the emulator and writes
 * bench/results.json and docs/benchmarks.md (generated; never edited by hand).
 *
 *   npm run bench                      # everything (~1 h 45 min: the daemon soak runs 1,000 cycles, a
 *                                      #   500-project sweep at 120 requests/min lasts half an hour)
 *   npm run bench -- --only peer,scale # some benchmarks; the others keep their last results
 *   npm run bench -- --runs 3          # fewer repetitions where runs are repeated
 *   npm run bench -- --only daemon --soak-cycles 200   # a shorter soak (the report says how many)
 *   npm run bench -- --only fleet,fleet-pr   # templates: validating 500 projects; a PR plan over them
 *   npm run bench -- --only change-latency,resync-spread,daemon-fleet   # the work queue (about an hour)
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchDaemon } from './daemon.js';
import { benchDaemonFleet } from './daemon-fleet.js';
import { benchFleet, benchFleetPr } from './fleet.js';
import { benchLimiter } from './limiter.js';
import { describeMachine } from './lib/machine.js';
import { ROOT } from './lib/paths.js';
import { assertGnuTime, run } from './lib/timed.js';
import { benchPeer } from './peer.js';
import { benchChangeLatency, benchResyncSpread } from './queue.js';
import { renderReport, type BenchResults } from './report.js';
import { benchScale } from './scale.js';

const BENCHMARKS = ['peer', 'scale', 'limiter', 'daemon', 'fleet', 'fleet-pr', 'daemon-fleet', 'change-latency', 'resync-spread'] as const;
type BenchName = (typeof BENCHMARKS)[number];

const RESULTS = join(ROOT, 'bench/results.json');
const REPORT = join(ROOT, 'docs/benchmarks.md');

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { only: { type: 'string' }, runs: { type: 'string' }, 'soak-cycles': { type: 'string' } } });
  const only = (values.only?.split(',') ?? [...BENCHMARKS]) as BenchName[];
  for (const name of only) if (!BENCHMARKS.includes(name)) throw new Error(`unknown benchmark "${name}" (${BENCHMARKS.join(', ')})`);
  // Repetitions: the peer comparison is cheap and its wall times are small and noisy, so it gets more.
  const runs = values.runs === undefined ? undefined : Number(values.runs);
  const log = (line: string) => process.stderr.write(`${line}\n`);

  assertGnuTime();
  log('building (npm run build)…');
  const build = await run('npm', ['run', 'build'], { cwd: ROOT });
  if (build.code !== 0) throw new Error(`npm run build failed:\n${build.stdout}\n${build.stderr}`);

  const results: BenchResults = await readFile(RESULTS, 'utf8').then((t) => JSON.parse(t) as BenchResults, () => ({}));
  for (const name of only) {
    log(`benchmark: ${name}`);
    const machine = describeMachine();
    if (name === 'peer') results.peer = { machine, ...(await benchPeer({ runs: runs ?? 11, log })) };
    if (name === 'scale') results.scale = { machine, ...(await benchScale({ runs: runs ?? 5, log })) };
    if (name === 'limiter') results.limiter = { machine, ...(await benchLimiter({ log })) };
    if (name === 'fleet') results.fleet = { machine, ...(await benchFleet({ runs: runs ?? 5, log })) };
    if (name === 'fleet-pr') results.fleetPr = { machine, ...(await benchFleetPr({ runs: runs ?? 5, log })) };
    if (name === 'daemon') results.daemon = { machine, ...(await benchDaemon({ log, ...(values['soak-cycles'] ? { cycles: Number(values['soak-cycles']) } : {}) })) };
    if (name === 'daemon-fleet') results.daemonFleet = { machine, ...(await benchDaemonFleet({ log })) };
    if (name === 'change-latency') results.changeLatency = { machine, ...(await benchChangeLatency({ log })) };
    if (name === 'resync-spread') results.resyncSpread = { machine, ...(await benchResyncSpread({ log })) };
    await writeFile(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
  }
  await writeFile(REPORT, renderReport(results));
  log(`wrote ${RESULTS} and ${REPORT}`);
}

await main();
