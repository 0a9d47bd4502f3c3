/**
 * `--rate-limit N` (requests per minute for the whole process, 0 = no client-side window) and
 * `--max-in-flight N` reach the one limiter every project's requests pass through (plan and the
 * daemon).
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CLI, runCli } from '../helpers/cli.js';
import { REF, STAGING_REF, TOKEN, startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { workspace, type Workspace } from '../helpers/workspace.js';

const CONFIG = `project: ${REF}
auth: { site_url: https://app.example.com }
postgres: { statement_timeout: 60s }
pooler: { default_pool_size: 20 }
postgrest: { max_rows: 500 }
ssl_enforcement: { database: true }
---
project: ${STAGING_REF}
postgrest: { max_rows: 500 }
`;

describe('--rate-limit / --max-in-flight', () => {
  let emu: TestEmulator;
  let ws: Workspace;
  let env: Record<string, string>;

  beforeAll(async () => {
    emu = await startTestEmulator();
    ws = workspace({ 'config.yaml': CONFIG });
    env = { SUPABASE_API_URL: emu.url, SUPABASE_ACCESS_TOKEN: TOKEN };
  });
  afterAll(async () => {
    await emu?.close();
    ws?.remove();
  });
  beforeEach(() => {
    emu.clearRequests();
    emu.clearFaults();
  });

  /**
   * The first request arrives (polled), and a second does not within a second after it: with one
   * request a minute, the next slot is 59 s away. (A claim that something does not happen needs some
   * time to pass; it starts counting at the first request, not at an arbitrary start-up allowance.)
   */
  async function heldAfterFirstRequest(): Promise<void> {
    await expect.poll(() => emu.requests().length, { interval: 50, timeout: 15_000 }).toBe(1);
    const first = Date.parse(emu.requests()[0]!.at);
    await expect.poll(() => Date.now() - first >= 1_000, { interval: 100, timeout: 5_000 }).toBe(true);
    expect(emu.requests()).toHaveLength(1);
  }

  it('--rate-limit 0 plans every section of every project, one GET each', async () => {
    const res = await runCli(['plan', '-c', ws.dir, '--rate-limit', '0'], { env });
    expect(res.code, res.stderr).toBe(0);
    expect(emu.requests().map((e) => e.method)).toEqual(Array(6).fill('GET'));
  });

  it('--rate-limit 1 sends one request and holds the next for the rest of the minute', async () => {
    const child = spawn(process.execPath, [CLI, 'plan', '-c', ws.dir, '--rate-limit', '1'], {
      env: { ...process.env, ...env },
      stdio: 'ignore',
    });
    try {
      await heldAfterFirstRequest();
      expect(child.exitCode).toBeNull(); // still waiting for its next slot
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('run --rate-limit 1: the daemon holds its requests to the same limit', async () => {
    const child = spawn(process.execPath, [CLI, 'run', '-c', ws.dir, '--listen', '127.0.0.1:0', '--rate-limit', '1', '--log-level', 'silent'], {
      env: { ...process.env, ...env },
      stdio: 'ignore',
    });
    try {
      await heldAfterFirstRequest();
      expect(child.exitCode).toBeNull();
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('--max-in-flight 1 sends one request at a time; the default sends them together', async () => {
    // Every read takes 150 ms at the emulator; with one in flight they arrive one after another.
    emu.addFaults({ method: 'GET', path: '^/v1/', delay_ms: 150 });
    const serial = await runCli(['plan', '-c', ws.dir, '--rate-limit', '0', '--max-in-flight', '1'], { env });
    expect(serial.code, serial.stderr).toBe(0);
    expect(spanMs(emu.requests().map((e) => e.at))).toBeGreaterThanOrEqual(5 * 140);

    emu.clearRequests();
    const together = await runCli(['plan', '-c', ws.dir, '--rate-limit', '0'], { env });
    expect(together.code, together.stderr).toBe(0);
    expect(spanMs(emu.requests().map((e) => e.at))).toBeLessThan(5 * 140);
  });

  it('refuses a value that is not a number of requests (exit 3, nothing sent)', async () => {
    for (const args of [['--rate-limit', 'lots'], ['--rate-limit', '-1'], ['--max-in-flight', '0']]) {
      const res = await runCli(['plan', '-c', ws.dir, ...args], { env });
      expect(res.code, args.join(' ')).toBe(3);
      expect(res.stderr).toMatch(new RegExp(args[0]!));
    }
    expect(emu.requests()).toEqual([]);
  });
});

/** Milliseconds between the first and the last arrival. */
function spanMs(at: string[]): number {
  const times = at.map((t) => Date.parse(t));
  return Math.max(...times) - Math.min(...times);
}
