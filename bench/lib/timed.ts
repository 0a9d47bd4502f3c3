/**
 * Whole-process figures from a public tool: GNU time (`/usr/bin/time -v`, Debian's `time` package)
 * reports the child's wall-clock time, user and system CPU time and peak resident set size.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const GNU_TIME = '/usr/bin/time';

export interface ProcessFigures {
  wallS: number;
  userS: number;
  sysS: number;
  /** user + sys */
  cpuS: number;
  peakRssMiB: number;
}

export interface TimedResult extends ProcessFigures {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  timeoutMs?: number;
}

export function assertGnuTime(): void {
  if (!existsSync(GNU_TIME)) throw new Error(`${GNU_TIME} is missing: install Debian's "time" package (apt-get install time)`);
}

/** Parses `/usr/bin/time -v` output. */
export function parseGnuTime(report: string): ProcessFigures & { exitCode: number } {
  const field = (label: string): string => {
    const line = report.split('\n').find((l) => l.trim().startsWith(label));
    if (!line) throw new Error(`/usr/bin/time -v output lacks "${label}"`);
    return line.slice(line.lastIndexOf(': ') + 2).trim();
  };
  const wall = field('Elapsed (wall clock) time')
    .split(':')
    .reduce((acc, part) => acc * 60 + Number(part), 0);
  const userS = Number(field('User time (seconds)'));
  const sysS = Number(field('System time (seconds)'));
  return {
    wallS: wall,
    userS,
    sysS,
    cpuS: Math.round((userS + sysS) * 100) / 100,
    peakRssMiB: Math.round((Number(field('Maximum resident set size (kbytes)')) / 1024) * 10) / 10,
    exitCode: Number(field('Exit status')),
  };
}

/** Runs `command args` under `/usr/bin/time -v`; resolves with its figures, exit code and output. */
export async function timed(command: string, args: readonly string[], opts: RunOptions = {}): Promise<TimedResult> {
  const dir = await mkdtemp(join(tmpdir(), 'supasync-bench-time-'));
  const reportFile = join(dir, 'time.txt');
  try {
    const { stdout, stderr } = await run(GNU_TIME, ['-v', '-o', reportFile, command, ...args], opts);
    const figures = parseGnuTime(await readFile(reportFile, 'utf8'));
    return { ...figures, stdout, stderr };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Runs a command to completion (any exit code), collecting its output. */
export function run(command: string, args: readonly string[], opts: RunOptions = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: opts.cwd, env: cleanEnv(opts.env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = opts.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs) : undefined;
    child.on('error', reject);
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function cleanEnv(env: Record<string, string | undefined> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, ...env })) if (v !== undefined) out[k] = v;
  return out;
}
