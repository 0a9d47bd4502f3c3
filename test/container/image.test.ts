/**
 * The container image, built from the repository's Dockerfile on the local base image (no registry
 * here; see scripts/docker-base-image.sh), run the way Kubernetes runs it.
 *
 * How a container reaches the emulator: supasync refuses plain http except on loopback, so the
 * emulator runs in a container of the same image (`supasync emulator --host 0.0.0.0`) and every
 * supasync container joins its network namespace (`--network container:<id>`), where the emulator is
 * http://127.0.0.1:54321 — loopback for real, no rule bent. The test drives the emulator's control
 * routes and reads the daemon's probes through ports published on that namespace.
 *
 * Without a Docker engine these tests do not run, and say so in a line of their own; with
 * SUPASYNC_REQUIRE_DOCKER=1 (set by .ci/run once it has an engine) a missing engine fails them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMTP_AUTH_LINES } from '../helpers/smtp-yaml.js';
import {
  EMULATOR_PORT,
  IMAGE,
  PROBE_PORT,
  TOKEN,
  buildImage,
  dockerEngine,
  jsonLines,
  runOnce,
  startLong,
  stopWithSigterm,
  type StartedTestContainer,
} from './harness.js';

const engine = dockerEngine();
const required = process.env.SUPASYNC_REQUIRE_DOCKER === '1';
if (!engine.ok) {
  const line = `CONTAINER TESTS NOT RUN: no Docker engine answers (${engine.reason}). Run .ci/run, or start dockerd, to run them.`;
  if (required) throw new Error(line);
  process.stderr.write(`\n*** ${line} ***\n\n`);
}

const REF = 'abcdefghijklmnopqrst'; // a project of the emulator's default seed (plan pro)
const CANARY = 'canary-container-smtp-5b1e0c';
const config = (siteUrl: string) => `project: ${REF}
auth:
  site_url: ${siteUrl}
${SMTP_AUTH_LINES}---
project: ${REF}
pooler:
  default_pool_size: 25
`;

describe.runIf(engine.ok)('container image', { timeout: 180_000 }, () => {
  let emulator: StartedTestContainer;
  let control: string;
  let network: string;
  const started = Date.now();

  const env = { SUPABASE_API_URL: `http://127.0.0.1:${EMULATOR_PORT}`, SUPABASE_ACCESS_TOKEN: TOKEN, SMTP_PASSWORD: CANARY };
  const files = (siteUrl: string) => ({ '/config/supasync.yaml': config(siteUrl) });
  const emulatorCall = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${control}${path}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text}`);
    return text ? (JSON.parse(text) as unknown) : undefined;
  };
  const siteUrlNow = async () => ((await emulatorCall('GET', `/v1/projects/${REF}/config/auth`)) as { site_url: string }).site_url;
  const resetEmulator = () => emulatorCall('POST', '/_emulator/reset', { projects: [{ ref: REF, plan: 'pro' }] });

  beforeAll(async () => {
    const t0 = Date.now();
    await buildImage();
    process.stderr.write(`container tests: image ${IMAGE} built in ${Math.round((Date.now() - t0) / 1000)} s\n`);
    emulator = await startLong(['emulator', '--host', '0.0.0.0', '--port', String(EMULATOR_PORT)], {
      waitForLog: /listening on http:\/\//,
      ports: [EMULATOR_PORT, PROBE_PORT],
    });
    control = `http://${emulator.getHost()}:${emulator.getMappedPort(EMULATOR_PORT)}`;
    network = `container:${emulator.getId()}`;
  }, 900_000);

  afterAll(async () => {
    await emulator?.stop({ remove: true, timeout: 0 });
    process.stderr.write(`container tests: ${Math.round((Date.now() - started) / 1000)} s in all\n`);
  });

  it('runs as a non-root user, with node as PID 1, the supasync entrypoint and production dependencies only', async () => {
    const probe = await emulator.exec([
      'node',
      '-e',
      `const fs = require('fs');
       process.stdout.write(JSON.stringify({
         uid: process.getuid(), gid: process.getgid(),
         pid1: fs.readFileSync('/proc/1/cmdline', 'utf8').split('\\0').filter(Boolean),
         vitest: fs.existsSync('/app/node_modules/vitest'), typescript: fs.existsSync('/app/node_modules/typescript'),
         got: fs.existsSync('/app/node_modules/got'), src: fs.existsSync('/app/src'),
         writableApp: (() => { try { fs.writeFileSync('/app/x', ''); return true; } catch { return false; } })(),
       }));`,
    ]);
    expect(probe.exitCode).toBe(0);
    const facts = JSON.parse(probe.output) as Record<string, unknown>;
    expect(facts.uid).toBe(10001);
    expect(facts.gid).toBe(10001);
    expect((facts.pid1 as string[])[0]).toMatch(/node$/);
    expect(facts.pid1).toEqual(expect.arrayContaining(['/usr/local/bin/supasync', 'emulator']));
    expect(facts).toMatchObject({ vitest: false, typescript: false, got: true, src: false, writableApp: false });

    const version = await runOnce(['--version']);
    expect(version).toMatchObject({ code: 0 });
    expect(version.output.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('plan, apply and plan again against the emulator, with the documented exit codes', async () => {
    await resetEmulator();
    const plan = await runOnce(['plan', '-c', '/config', '--detailed-exitcode'], { networkMode: network, env, files: files('https://app.example.com') });
    expect(plan.code, plan.output).toBe(2);
    expect(plan.output).toContain('site_url');
    const apply = await runOnce(['apply', '-c', '/config', '--yes'], { networkMode: network, env, files: files('https://app.example.com') });
    expect(apply.code, apply.output).toBe(0);
    expect(await siteUrlNow()).toBe('https://app.example.com');
    const again = await runOnce(['plan', '-c', '/config', '--detailed-exitcode'], { networkMode: network, env, files: files('https://app.example.com') });
    expect(again.code, again.output).toBe(0);
    for (const r of [plan, apply, again]) expect(r.output).not.toContain(CANARY);

    const invalid = await runOnce(['plan', '-c', '/config'], { networkMode: network, env, files: { '/config/bad.yaml': `project: ${REF}\nauth:\n  site_urll: x\n` } });
    expect(invalid.code).toBe(3);
    expect(invalid.output).toMatch(/bad\.yaml:3:3: .*site_urll/);
    const noToken = await runOnce(['plan', '-c', '/config'], { networkMode: network, env: { ...env, SUPABASE_ACCESS_TOKEN: '' }, files: files('https://x.example.com') });
    expect(noToken.code).toBe(3);
  });

  it('run: reconciles, answers its probes, and exits 0 promptly on SIGTERM as PID 1', async () => {
    await resetEmulator();
    const daemon = await startLong(
      ['run', '-c', '/config', '--schedule', '*/1 * * * * *', '--listen', `0.0.0.0:${PROBE_PORT}`],
      { networkMode: network, env, files: files('https://daemon.example.com'), waitForLog: /"msg":"cycle complete"/ },
    );
    const probes = `http://${emulator.getHost()}:${emulator.getMappedPort(PROBE_PORT)}`;
    expect(await siteUrlNow()).toBe('https://daemon.example.com');
    expect((await fetch(`${probes}/healthz`)).status).toBe(200);
    expect((await fetch(`${probes}/readyz`)).status).toBe(200);
    const metrics = await (await fetch(`${probes}/metrics`)).text();
    expect(metrics).toMatch(/^supasync_cycles_total\{result="ok"\} [1-9]/m);
    expect(metrics).not.toContain(CANARY);

    // Drift made behind its back is corrected by the next ticks.
    await emulatorCall('PATCH', `/v1/projects/${REF}/config/auth`, { site_url: 'https://by-hand.example.com' });
    await expect.poll(siteUrlNow, { timeout: 10_000, interval: 250 }).toBe('https://daemon.example.com');

    const stop = await stopWithSigterm(daemon, 20);
    expect(stop.code).toBe(0);
    expect(stop.ms).toBeLessThan(5_000);
    const lines = jsonLines(stop.output);
    expect(lines.at(-1)).toMatchObject({ msg: 'stopped', exit_code: 0 });
    expect(lines.some((l) => l.msg === 'change applied' && l.path === 'site_url')).toBe(true);
    expect(stop.output).not.toContain(CANARY);
  });

  it('run: SIGTERM during a cycle lets the cycle finish, then exits 0', async () => {
    await resetEmulator();
    await emulatorCall('POST', '/_emulator/faults', [{ method: 'PATCH', path: '/config/auth$', delay_ms: 4_000, times: 1 }]);
    const daemon = await startLong(['run', '-c', '/config', '--schedule', '0 0 1 1 *', '--listen', '127.0.0.1:0'], {
      networkMode: network,
      env,
      files: files('https://in-flight.example.com'),
      waitForLog: /"msg":"supasync daemon started"/,
    });
    // The reads are answered; the PATCH is being held by the fault.
    await expect
      .poll(async () => ((await emulatorCall('GET', '/_emulator/requests')) as Array<{ method: string }>).filter((r) => r.method === 'GET').length, { timeout: 10_000 })
      .toBeGreaterThanOrEqual(2);
    await new Promise((r) => setTimeout(r, 500));
    const stop = await stopWithSigterm(daemon, 20);
    expect(stop.code).toBe(0);
    expect(stop.ms).toBeGreaterThan(2_000); // it waited for the held PATCH
    expect(stop.ms).toBeLessThan(15_000);
    const msgs = jsonLines(stop.output).map((l) => l.msg);
    expect(msgs).toContain('shutting down: finishing the projects in flight');
    expect(msgs.indexOf('cycle complete')).toBeGreaterThan(msgs.indexOf('shutting down: finishing the projects in flight'));
    expect(msgs.at(-1)).toBe('stopped');
    expect(await siteUrlNow()).toBe('https://in-flight.example.com');
  });

  it('a one-shot command as PID 1 ends on SIGTERM instead of ignoring it', async () => {
    await resetEmulator();
    await emulatorCall('POST', '/_emulator/faults', [{ method: 'GET', path: '/config/auth$', delay_ms: 60_000, times: 1 }]);
    const apply = await startLong(['apply', '-c', '/config', '--yes', '--log-level', 'debug'], {
      networkMode: network,
      env,
      files: files('https://one-shot.example.com'),
    });
    // Signal once the CLI's own handlers are in place. Not SIGTERM's bit of SigCgt in /proc/1/status:
    // node catches SIGTERM (and SIGINT) itself from its first instant, and as PID 1 its handler drops
    // the signal — a CI run under load sent it in that gap and got the SIGKILL (137). SIGHUP (bit 1)
    // is caught only by the CLI's handlers (src/daemon/pid1.ts), installed with the SIGTERM one.
    const cliHandlesSignals = async () => {
      const r = await apply.exec(['node', '-e', "process.stdout.write(/SigCgt:\\s*([0-9a-f]+)/.exec(require('fs').readFileSync('/proc/1/status','utf8'))[1])"]);
      return r.exitCode === 0 && (BigInt(`0x${r.output.trim()}`) & 1n) !== 0n;
    };
    await expect.poll(cliHandlesSignals, { timeout: 60_000, interval: 250 }).toBe(true);
    const stop = await stopWithSigterm(apply, 20);
    expect(stop.code).toBe(143); // 128 + SIGTERM: ended by the signal, not by the SIGKILL 20 s later
    expect(stop.ms).toBeLessThan(5_000);
    await emulatorCall('DELETE', '/_emulator/faults');
  });
});
