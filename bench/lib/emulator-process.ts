/**
 * The Management API emulator in its own process (`supasync emulator`), so that its CPU and memory
 * are never counted in the figures of the process being measured. Driven over HTTP: the `/v1` API
 * with a token, and the `/_emulator` control surface (docs/emulator.md).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { CLI } from './paths.js';

export const TOKEN = 'sbp_0123456789abcdef0123456789abcdef01234567';

export interface LoggedRequest {
  method: string;
  path: string;
  status: number;
  bytes: number;
  at: string;
}

export interface EmulatorProcess {
  url: string;
  pid: number;
  /** `POST /_emulator/reset`: all state, the request log and the rate-limit windows start again. */
  reset(seed: unknown): Promise<void>;
  requests(): Promise<LoggedRequest[]>;
  clearRequests(): Promise<void>;
  /** A `/v1` call with the token (to set up drift). */
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
  close(): Promise<void>;
}

export async function startEmulatorProcess(opts: { seedFile: string; rateLimitPerMinute?: number }): Promise<EmulatorProcess> {
  const args = [CLI, 'emulator', '--port', '0', '--seed', opts.seedFile];
  if (opts.rateLimitPerMinute !== undefined) args.push('--rate-limit', `${opts.rateLimitPerMinute}/min`);
  const child: ChildProcess = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'ignore'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /listening on (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`emulator exited (${code}) before listening: ${out}`)));
  });

  async function http(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: unknown }> {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(url + path, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  }

  return {
    url,
    pid: child.pid!,
    async reset(seed) {
      const res = await http('POST', '/_emulator/reset', seed);
      if (res.status !== 200) throw new Error(`emulator reset failed: ${res.status} ${JSON.stringify(res.body)}`);
    },
    async requests() {
      return (await http('GET', '/_emulator/requests')).body as LoggedRequest[];
    },
    async clearRequests() {
      await http('DELETE', '/_emulator/requests');
    },
    call: (method, path, body) => http(method, path, body, TOKEN),
    async close() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
