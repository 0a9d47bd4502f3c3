/**
 * Runs the built CLI's daemon (`node dist/cli.js run ...`) as a child process, as users and
 * Kubernetes do, and follows its JSON log lines on stdout.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, ROOT } from '../helpers/cli.js';

export const TOKEN = 'sbp_0123456789abcdef0123456789abcdef01234567';

export interface LogLine {
  level: string;
  msg: string;
  time: string;
  [key: string]: unknown;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export class DaemonProcess {
  readonly lines: LogLine[] = [];
  /** stdout lines that were not JSON (there should be none). */
  readonly nonJson: string[] = [];
  stdout = '';
  stderr = '';
  readonly exited: Promise<Exit>;
  private readonly waiters = new Set<() => void>();
  private exitInfo: Exit | undefined;

  private constructor(readonly child: ChildProcessWithoutNullStreams) {
    let partial = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      this.stdout += chunk;
      partial += chunk;
      const parts = partial.split('\n');
      partial = parts.pop() ?? '';
      for (const raw of parts) {
        if (!raw.trim()) continue;
        try {
          this.lines.push(JSON.parse(raw) as LogLine);
        } catch {
          this.nonJson.push(raw);
        }
      }
      this.notify();
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr += chunk;
      this.notify();
    });
    this.exited = new Promise((resolve) => {
      child.on('close', (code, signal) => {
        this.exitInfo = { code, signal };
        this.notify();
        resolve(this.exitInfo);
      });
    });
  }

  static start(args: string[], env: Record<string, string | undefined> = {}): DaemonProcess {
    const merged: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...process.env, NO_COLOR: '1', SUPABASE_ACCESS_TOKEN: TOKEN, ...env })) {
      if (v !== undefined) merged[k] = v;
    }
    const child = spawn(process.execPath, [CLI, 'run', ...args], { cwd: ROOT, env: merged, stdio: 'pipe' });
    child.stdin.end();
    return new DaemonProcess(child);
  }

  private notify(): void {
    for (const w of [...this.waiters]) w();
  }

  /** Resolves with the first line (from index `from`) that matches; rejects on timeout or exit. */
  waitFor(match: (line: LogLine) => boolean, opts: { timeoutMs?: number; from?: number; what?: string } = {}): Promise<LogLine> {
    const timeoutMs = opts.timeoutMs ?? 15_000;
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.lines.slice(opts.from ?? 0).find(match);
        if (found) {
          done();
          resolve(found);
        } else if (this.exitInfo) {
          done();
          reject(new Error(`daemon exited (${JSON.stringify(this.exitInfo)}) before: ${opts.what ?? 'the awaited line'}\n${this.tail()}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for: ${opts.what ?? 'the awaited line'}\n${this.tail()}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  /** The next `cycle complete` line after index `from`. */
  nextCycle(from = this.lines.length, timeoutMs?: number): Promise<LogLine> {
    return this.waitFor((l) => l.msg === 'cycle complete', { from, what: 'cycle complete', ...(timeoutMs ? { timeoutMs } : {}) });
  }

  async url(): Promise<string> {
    const started = await this.waitFor((l) => l.msg === 'supasync daemon started', { what: 'daemon started' });
    return started.url as string;
  }

  signal(sig: NodeJS.Signals): void {
    this.child.kill(sig);
  }

  /** Ends the process whatever its state (test cleanup). */
  async kill(): Promise<void> {
    if (this.exitInfo) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  tail(n = 15): string {
    return [...this.stdout.split('\n').slice(-n), '--- stderr ---', this.stderr.slice(-2000)].join('\n');
  }
}

/** A scratch directory with the given files; `cleanup` removes it. */
export function scratchDir(files: Record<string, string> = {}): { dir: string; write(name: string, text: string): void; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'supasync-daemon-'));
  const write = (name: string, text: string) => writeFileSync(join(dir, name), text);
  for (const [name, text] of Object.entries(files)) write(name, text);
  return { dir, write, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A call to the emulator's Management API with the test token, as an out-of-band actor would make. */
export async function api<T = unknown>(baseUrl: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

export async function probe(url: string): Promise<{ status: number; body: string }> {
  const res = await fetch(url);
  return { status: res.status, body: await res.text() };
}

/** Waits until `check` holds, polling. */
export async function eventually(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
