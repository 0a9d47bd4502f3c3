/**
 * Benchmark 3 — 200 projects against an emulator that allows 120 requests per minute per token
 * (`supasync emulator --rate-limit 120/min`: fixed one-minute windows, each starting with its first
 * request), planned by `supasync plan` with its defaults (client-side limit 120/min, following the
 * x-ratelimit-* headers). Two sections per project (postgrest, ssl_enforcement): 400 requests, i.e.
 * three full server windows and part of a fourth, about three minutes.
 *
 * Achieved rate: the requests of every window but the last, divided by the time from the first
 * window's start to the last window's start. A client that fills each window and starts the next
 * one the moment it opens achieves exactly the limit, whatever the phase; waiting longer than
 * needed at a window boundary, or sending less than the limit in a window, lowers it.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulatorProcess, TOKEN, type LoggedRequest } from './lib/emulator-process.js';
import { writeScaleFixture } from './lib/fixtures.js';
import { CLI } from './lib/paths.js';
import { timed } from './lib/timed.js';

export const LIMITER_PROJECTS = 200;
export const LIMITER_SECTIONS = ['postgrest', 'ssl_enforcement'] as const;
export const SERVER_LIMIT_PER_MINUTE = 120;
const WINDOW_MS = 60_000;

export interface LimiterResult {
  projects: number;
  sections: readonly string[];
  serverLimitPerMinute: number;
  clientOptions: string;
  requests: number;
  tooManyRequests: number;
  /** Requests the server counted in each of its windows. */
  windows: { startOffsetS: number; requests: number }[];
  achievedPerMinute: number;
  wallS: number;
  cpuS: number;
  peakRssMiB: number;
  exitCode: number;
}

/** Splits the log into the server's fixed windows (each opened by the first request after the last one closed). */
export function serverWindows(log: readonly LoggedRequest[]): { start: number; requests: number }[] {
  const windows: { start: number; requests: number }[] = [];
  for (const at of log.map((e) => Date.parse(e.at)).sort((a, b) => a - b)) {
    const current = windows[windows.length - 1];
    if (!current || at >= current.start + WINDOW_MS) windows.push({ start: at, requests: 1 });
    else current.requests++;
  }
  return windows;
}

export function achievedRate(windows: readonly { start: number; requests: number }[]): number {
  if (windows.length < 2) return Number.NaN;
  const full = windows.slice(0, -1);
  const span = windows[windows.length - 1]!.start - windows[0]!.start;
  return (full.reduce((n, w) => n + w.requests, 0) / span) * WINDOW_MS;
}

export async function benchLimiter(opts: { log: (line: string) => void }): Promise<LimiterResult> {
  const work = await mkdtemp(join(tmpdir(), 'supasync-bench-limiter-'));
  const fixture = await writeScaleFixture(work, LIMITER_PROJECTS, LIMITER_SECTIONS);
  const seedFile = join(work, 'seed.json');
  await writeFile(seedFile, JSON.stringify(fixture.seed));
  const emu = await startEmulatorProcess({ seedFile, rateLimitPerMinute: SERVER_LIMIT_PER_MINUTE });
  try {
    opts.log(`  ${LIMITER_PROJECTS} projects × ${LIMITER_SECTIONS.length} sections at ${SERVER_LIMIT_PER_MINUTE}/min (about 3 minutes)…`);
    const r = await timed(process.execPath, [CLI, 'plan', '-c', fixture.configDir], {
      env: { SUPABASE_API_URL: emu.url, SUPABASE_ACCESS_TOKEN: TOKEN, NO_COLOR: '1' },
      timeoutMs: 600_000,
    });
    const log = await emu.requests();
    const windows = serverWindows(log);
    return {
      projects: LIMITER_PROJECTS,
      sections: LIMITER_SECTIONS,
      serverLimitPerMinute: SERVER_LIMIT_PER_MINUTE,
      clientOptions: 'defaults (--rate-limit 120, --max-in-flight 8)',
      requests: log.length,
      tooManyRequests: log.filter((e) => e.status === 429).length,
      windows: windows.map((w) => ({ startOffsetS: Math.round((w.start - windows[0]!.start) / 100) / 10, requests: w.requests })),
      achievedPerMinute: Math.round(achievedRate(windows) * 10) / 10,
      wallS: r.wallS,
      cpuS: r.cpuS,
      peakRssMiB: r.peakRssMiB,
      exitCode: r.exitCode,
    };
  } finally {
    await emu.close();
    await rm(work, { recursive: true, force: true });
  }
}
