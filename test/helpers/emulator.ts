/**
 * Helpers for tests that talk to the emulator over real HTTP.
 *
 *   const emu = await startTestEmulator();            // default seed, free port
 *   const res = await emu.call('GET', `/v1/projects/${REF}/config/auth`);
 *   // res.status, res.headers, res.body (parsed JSON, or undefined when empty)
 *   await emu.close();
 *
 * Spawning the built CLI against it: env { SUPABASE_API_URL: emu.url, SUPABASE_ACCESS_TOKEN: TOKEN }.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator/index.js';
import { CLI, ROOT } from './cli.js';

/** A well-formed personal access token (`sbp_` + 40 hex). */
export const TOKEN = 'sbp_0123456789abcdef0123456789abcdef01234567';
export const OTHER_TOKEN = 'sbp_fedcba9876543210fedcba9876543210fedcba98';
/** The projects of the default seed (and of examples/). */
export const REF = 'abcdefghijklmnopqrst';
export const STAGING_REF = 'zyxwvutsrqponmlkjihg';

export interface CallResult<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  /** The raw response text. */
  text: string;
}

export interface CallOptions {
  /** Default TOKEN; null sends no Authorization header. */
  token?: string | null;
  /** Sent as is instead of JSON.stringify(body). */
  rawBody?: string;
}

export interface TestEmulator extends Emulator {
  call<T = unknown>(method: string, path: string, body?: unknown, opts?: CallOptions): Promise<CallResult<T>>;
  /** POST /_emulator/... and friends: the control surface, over HTTP like the tests of other suites use it. */
  control<T = unknown>(method: string, path: string, body?: unknown): Promise<CallResult<T>>;
}

export async function request<T = unknown>(
  url: string,
  method: string,
  path: string,
  body?: unknown,
  opts: CallOptions = {},
): Promise<CallResult<T>> {
  const headers: Record<string, string> = {};
  const token = opts.token === undefined ? TOKEN : opts.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  const payload = opts.rawBody ?? (body === undefined ? undefined : JSON.stringify(body));
  if (payload !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(url + path, { method, headers, body: payload });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = text;
  }
  return { status: res.status, headers: res.headers, body: parsed as T, text };
}

/** One entry of the emulator's request log (`GET /_emulator/requests`). */
export interface LoggedRequest {
  method: string;
  path: string;
  status: number;
  body: unknown;
}

/** Every /v1 request since the last reset or clear. */
export const loggedRequests = async (emu: TestEmulator): Promise<LoggedRequest[]> =>
  (await emu.control<LoggedRequest[]>('GET', '/_emulator/requests')).body;
/** The writes among them (everything but GET). */
export const loggedWrites = async (emu: TestEmulator): Promise<LoggedRequest[]> =>
  (await loggedRequests(emu)).filter((r) => r.method !== 'GET');
export const clearRequestLog = (emu: TestEmulator) => emu.control('DELETE', '/_emulator/requests');

export async function startTestEmulator(opts: EmulatorOptions = {}): Promise<TestEmulator> {
  const emulator = await startEmulator({ port: 0, ...opts });
  return Object.assign(emulator, {
    call: <T>(method: string, path: string, body?: unknown, callOpts?: CallOptions) =>
      request<T>(emulator.url, method, path, body, callOpts),
    control: <T>(method: string, path: string, body?: unknown) =>
      request<T>(emulator.url, method, path, body, { token: null, rawBody: typeof body === 'string' ? body : undefined }),
  });
}

export interface EmulatorProcess {
  url: string;
  child: ChildProcess;
  /** Everything printed so far. */
  output(): { stdout: string; stderr: string };
  /** Sends the signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Runs `supasync emulator ARGS` from the built CLI (dist/) and resolves once it prints
 * `listening on URL`; rejects with what it printed if it exits first.
 */
export function spawnEmulatorCli(args: string[], opts: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<EmulatorProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'emulator', ...args], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`emulator did not start in time\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, opts.timeoutMs ?? 15_000);
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      const match = /listening on (\S+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve({
          url: match[1]!,
          child,
          output: () => ({ stdout, stderr }),
          stop: (signal = 'SIGTERM') => {
            child.kill(signal);
            return exited;
          },
        });
      }
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(Object.assign(new Error(`emulator exited with ${code}\nstdout: ${stdout}\nstderr: ${stderr}`), { code, stdout, stderr }));
    });
  });
}
