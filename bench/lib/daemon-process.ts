/**
 * `supasync run` as its own process for the queue and fleet benchmarks: its JSON log lines (only
 * those a benchmark keeps), a wait for a line, its peak and current RSS from /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { TOKEN, type EmulatorProcess } from './emulator-process.js';
import { CLI } from './paths.js';

export type Line = Record<string, unknown> & { msg: string; time: string };

export interface BenchDaemon {
  child: ChildProcess;
  lines: Line[];
  waitFor(match: (line: Line) => boolean, timeoutMs: number, what: string): Promise<Line>;
  /** VmRSS and VmHWM (the peak since the process started), in MiB. */
  memory(): Promise<{ rssMiB: number; peakMiB: number }>;
  stop(): Promise<{ code: number | null; afterMs: number }>;
}

export function startBenchDaemon(opts: {
  configDir: string;
  emu: EmulatorProcess;
  args: string[];
  env?: Record<string, string>;
  /** Lines to keep (default all but `change applied`). */
  keep?: (line: Line) => boolean;
}): BenchDaemon {
  const child = spawn(process.execPath, [CLI, 'run', '-c', opts.configDir, '--listen', '127.0.0.1:0', ...opts.args], {
    env: { ...process.env, ...opts.env, SUPABASE_API_URL: opts.emu.url, SUPABASE_ACCESS_TOKEN: TOKEN },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const keep = opts.keep ?? ((l: Line) => l.msg !== 'change applied');
  const lines: Line[] = [];
  const waiters = new Set<() => void>();
  let buffer = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk;
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const text = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      try {
        const line = JSON.parse(text) as Line;
        if (keep(line)) lines.push(line);
      } catch {
        // not a log line
      }
    }
    for (const w of [...waiters]) w();
  });
  const exited = once(child, 'exit');
  let exitedYet = false;
  void exited.then(() => {
    exitedYet = true;
    for (const w of [...waiters]) w();
  });

  return {
    child,
    lines,
    waitFor(match, timeoutMs, what) {
      return new Promise((resolve, reject) => {
        let from = 0;
        const check = () => {
          for (; from < lines.length; from++) {
            if (match(lines[from]!)) {
              done();
              resolve(lines[from]!);
              return;
            }
          }
          if (exitedYet) {
            done();
            reject(new Error(`the daemon exited before: ${what}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    async memory() {
      const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
      const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
      const mib = (k: number) => Math.round((k / 1024) * 10) / 10;
      return { rssMiB: mib(kib('VmRSS')), peakMiB: mib(kib('VmHWM')) };
    },
    async stop() {
      const sent = performance.now();
      if (child.exitCode === null) child.kill('SIGTERM');
      const [code] = (await exited) as [number | null];
      return { code, afterMs: Math.round(performance.now() - sent) };
    },
  };
}
