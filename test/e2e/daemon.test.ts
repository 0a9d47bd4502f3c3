/**
 * The daemon end to end: the built CLI's `run` against the in-process emulator over real HTTP.
 * Convergence, out-of-band drift corrected on the next tick, probes and metrics, an invalid reload
 * keeping the last valid configuration, graceful and immediate shutdown, and no secret in any output.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { DaemonProcess, TOKEN, api, eventually, probe, type LogLine } from './daemon-harness.js';
import { useDaemonFixture } from './daemon-fixture.js';
import { SMTP_AUTH_LINES } from '../helpers/smtp-yaml.js';

const REF = 'aaaaaaaaaaaaaaaaaaaa';
const CANARY = 'canary-smtp-pass-7f3a9c21e4b8';
const EVERY_SECOND = '*/1 * * * * *';

const authYaml = (siteUrl: string, extra = '') => `project: ${REF}
auth:
  site_url: ${siteUrl}
  jwt_exp: 3600
${SMTP_AUTH_LINES}${extra}`;
const poolerYaml = `project: ${REF}
pooler:
  default_pool_size: 20
`;

interface AuthConfig {
  site_url: string;
  jwt_exp: number;
  smtp_pass: string | null;
}

const fx = useDaemonFixture({ port: 0, seed: { projects: [{ ref: REF, name: 'daemon-test', plan: 'pro' }] } });

function startDaemon(args: string[], env: Record<string, string | undefined> = {}): DaemonProcess {
  const d = DaemonProcess.start(['--listen', '127.0.0.1:0', '--log-level', 'debug', ...args], {
    SUPABASE_API_URL: fx.emulator.url,
    SMTP_PASSWORD: CANARY,
    ...env,
  });
  return fx.track(d);
}

function configDir(files: Record<string, string> = { 'auth.yaml': authYaml('https://app.example.com'), 'pooler.yaml': poolerYaml }) {
  return fx.scratch(files);
}

/** Resolves once the first cycle has read everything and is applying (the auth PATCH is held by a fault). */
async function writing(d: DaemonProcess): Promise<void> {
  await d.url();
  const read = (suffix: string) => fx.emulator.requests().some((r) => r.method === 'GET' && r.path.endsWith(suffix));
  await eventually(() => read('/config/auth') && read('/config/database/pooler'), 'the cycle to have read the live state');
  await new Promise((r) => setTimeout(r, 300)); // the PATCH is on its way, held by the fault
  expect(d.lines.some((l) => l.msg === 'cycle complete')).toBe(false);
}

const authNow = () => api<AuthConfig>(fx.emulator.url, 'GET', `/v1/projects/${REF}/config/auth`);

function expectCleanOutput(d: DaemonProcess): void {
  expect(d.nonJson).toEqual([]);
  expect(d.lines.length).toBeGreaterThan(0);
  for (const line of d.lines) {
    expect(typeof line.msg).toBe('string');
    expect(typeof line.level).toBe('string');
  }
  expect(d.stdout).not.toContain(CANARY);
  expect(d.stderr).not.toContain(CANARY);
  expect(d.stdout).not.toContain(TOKEN);
}

beforeEach(async () => {
  await fx.emulator.reset({ projects: [{ ref: REF, name: 'daemon-test', plan: 'pro' }] });
});

describe('supasync run', () => {
  it('converges at start, corrects out-of-band drift on the next tick, serves probes and metrics, leaks no secret', async () => {
    const cfg = configDir();
    const d = startDaemon(['-c', cfg.dir, '--schedule', EVERY_SECOND]);
    const url = await d.url();

    const first = await d.waitFor((l) => l.msg === 'cycle complete' && l.trigger === 'start', { what: 'first cycle' });
    expect(first).toMatchObject({ result: 'ok', config_valid: true, projects: 1, changed: 1, failed: 0 });
    expect(first.changes as number).toBeGreaterThan(0);
    expect(typeof first.duration_ms).toBe('number');
    const applied = d.lines.filter((l) => l.msg === 'change applied');
    expect(applied.map((l) => `${l.section}.${l.path}`)).toEqual(expect.arrayContaining(['auth.site_url', 'auth.smtp_pass', 'pooler.default_pool_size']));
    for (const l of applied) expect(l).toMatchObject({ project: REF, action: expect.any(String) });
    expect((await authNow()).site_url).toBe('https://app.example.com');

    // Converged: the next tick finds nothing to do.
    const second = await d.nextCycle();
    expect(second).toMatchObject({ trigger: 'schedule', result: 'ok', changed: 0, unchanged: 1, requests: 0 });

    // Someone changes the project by hand; the next tick puts it back.
    const mark = d.lines.length;
    await api(fx.emulator.url, 'PATCH', `/v1/projects/${REF}/config/auth`, { site_url: 'https://hand-edited.example.com' });
    const fixed = await d.waitFor((l) => l.msg === 'change applied' && l.path === 'site_url', { from: mark, what: 'site_url corrected' });
    expect(fixed).toMatchObject({ project: REF, section: 'auth', action: 'update' });
    expect((await authNow()).site_url).toBe('https://app.example.com');
    await d.waitFor((l) => l.msg === 'cycle complete' && l.changed === 1, { from: mark, what: 'the correcting sweep' });

    const health = await probe(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toMatchObject({ status: 'ok' });
    const ready = await probe(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.body)).toMatchObject({ status: 'ready', reason: 'ok' });
    expect((await probe(`${url}/nope`)).status).toBe(404);

    const metrics = (await probe(`${url}/metrics`)).body;
    expect(metrics).toMatch(/^supasync_cycles_total\{result="ok"\} ([3-9]|\d{2,})$/m);
    expect(metrics).toMatch(new RegExp(`^supasync_section_results_total\\{project="${REF}",section="auth",result="applied"\\} [2-9]`, 'm'));
    expect(metrics).toMatch(new RegExp(`^supasync_section_results_total\\{project="${REF}",section="pooler",result="unchanged"\\} \\d+`, 'm'));
    expect(metrics).toMatch(new RegExp(`^supasync_drift\\{project="${REF}",section="(auth|pooler)"\\} \\d+`, 'm'));
    expect(metrics).toMatch(/^supasync_api_requests_total\{method="PATCH",route="\/v1\/projects\/\{ref\}\/config\/auth",status="200"\} \d+/m);
    expect(metrics).toMatch(/^supasync_api_requests_total\{method="GET",route="\/v1\/projects\/\{ref\}\/config\/database\/pooler",status="200"\} \d+/m);
    expect(metrics).toMatch(/^supasync_cycle_duration_seconds_count \d+/m);
    expect(metrics).toMatch(/^supasync_config_valid 1$/m);
    expect(metrics).toMatch(/^supasync_last_success_timestamp_seconds 1\d{9}/m);
    expect(metrics).toMatch(/^process_cpu_user_seconds_total /m);
    expect(metrics).not.toContain(CANARY);
    expect(metrics).not.toMatch(/\/v1\/projects\/[a-z]{20}/); // routes are templates

    d.signal('SIGTERM');
    expect((await d.exited).code).toBe(0);
    expect(d.lines.at(-1)).toMatchObject({ msg: 'stopped', exit_code: 0 });
    expectCleanOutput(d);
  });

  it('keeps the last valid configuration when a reload is invalid, turns /readyz to 503, and recovers', async () => {
    const cfg = configDir();
    const d = startDaemon(['-c', cfg.dir, '--schedule', EVERY_SECOND]);
    const url = await d.url();
    await d.waitFor((l) => l.msg === 'cycle complete' && l.trigger === 'start');
    await eventually(async () => (await probe(`${url}/readyz`)).status === 200, 'ready');

    // Broken: an unknown key, next to a value the broken file would change. Nothing from it is written.
    const mark = d.lines.length;
    cfg.write('auth.yaml', authYaml('https://app.example.com', '  jwt_exp_typo: 7200\n').replace('jwt_exp: 3600', 'jwt_exp: 1800'));
    const invalid = await d.waitFor((l) => l.msg === 'configuration invalid', { from: mark, what: 'configuration invalid' });
    expect(invalid.file).toMatch(/auth\.yaml$/);
    expect(invalid.line).toBe(11);
    expect(invalid.issue).toMatch(/auth\.yaml:11:\d+: .*jwt_exp_typo/);
    await eventually(async () => (await probe(`${url}/readyz`)).status === 503, 'not ready');
    const notReady = JSON.parse((await probe(`${url}/readyz`)).body);
    expect(notReady).toMatchObject({ status: 'not ready', reason: 'configuration_invalid' });
    expect((await probe(`${url}/healthz`)).status).toBe(200); // alive all the same
    expect((await probe(`${url}/metrics`)).body).toMatch(/^supasync_config_valid 0$/m);

    // The last valid configuration is still enforced: drift is corrected with it, and jwt_exp stays 3600.
    const mark2 = d.lines.length;
    await api(fx.emulator.url, 'PATCH', `/v1/projects/${REF}/config/auth`, { site_url: 'https://hand-edited.example.com' });
    const cycle = await d.waitFor((l) => l.msg === 'cycle complete' && l.changed === 1, { from: mark2, what: 'a correcting cycle' });
    expect(cycle.config_valid).toBe(false);
    const live = await authNow();
    expect(live.site_url).toBe('https://app.example.com');
    expect(live.jwt_exp).toBe(3600);

    // Fixed: ready again, and the new value is applied.
    const mark3 = d.lines.length;
    cfg.write('auth.yaml', authYaml('https://app.example.com').replace('jwt_exp: 3600', 'jwt_exp: 1800'));
    await d.waitFor((l) => l.msg === 'configuration valid again', { from: mark3, what: 'valid again' });
    await eventually(async () => (await probe(`${url}/readyz`)).status === 200, 'ready again');
    await eventually(async () => (await authNow()).jwt_exp === 1800, 'jwt_exp applied');

    d.signal('SIGTERM');
    expect((await d.exited).code).toBe(0);
    expectCleanOutput(d);
  });

  it('reloads when Kubernetes swaps the ..data symlink of a ConfigMap volume', async () => {
    const { mkdirSync, renameSync, symlinkSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const vol = fx.scratch();
    const version = (name: string, siteUrl: string) => {
      mkdirSync(join(vol.dir, name));
      writeFileSync(join(vol.dir, name, 'auth.yaml'), authYaml(siteUrl));
    };
    version('..2026_11_27_10_00_00.000000001', 'https://v1.example.com');
    symlinkSync('..2026_11_27_10_00_00.000000001', join(vol.dir, '..data'));
    symlinkSync('..data/auth.yaml', join(vol.dir, 'auth.yaml'));

    const d = startDaemon(['-c', vol.dir, '--schedule', '0 0 1 1 *']); // no tick during the test
    await d.waitFor((l) => l.msg === 'cycle complete' && l.trigger === 'start');
    expect((await authNow()).site_url).toBe('https://v1.example.com');

    // What the kubelet does: a new timestamped directory, a temporary link, renamed over ..data.
    const mark = d.lines.length;
    version('..2026_11_27_10_05_00.000000002', 'https://v2.example.com');
    symlinkSync('..2026_11_27_10_05_00.000000002', join(vol.dir, '..data_tmp'));
    renameSync(join(vol.dir, '..data_tmp'), join(vol.dir, '..data'));

    const cycle = await d.waitFor((l) => l.msg === 'cycle complete' && l.trigger === 'config change', { from: mark, what: 'reload cycle' });
    expect(cycle).toMatchObject({ result: 'ok', changed: 1 });
    expect((await authNow()).site_url).toBe('https://v2.example.com');
    d.signal('SIGTERM');
    expect((await d.exited).code).toBe(0);
  });

  it('delays scheduled cycles (not the first) by a random jitter', async () => {
    const cfg = configDir();
    const d = startDaemon(['-c', cfg.dir, '--schedule', EVERY_SECOND, '--jitter', '800ms']);
    await d.waitFor((l) => l.msg === 'cycle complete' && l.trigger === 'start');
    const ticks: LogLine[] = [];
    while (ticks.length < 4) ticks.push(await d.nextCycle(d.lines.length, 5_000));
    // A tick fires on the second; the cycle starts up to 800 ms later.
    const offsets = ticks.map((l) => (Date.parse(l.time) - (l.duration_ms as number)) % 1000);
    expect(ticks.every((l) => l.trigger === 'schedule')).toBe(true);
    expect(Math.max(...offsets)).toBeGreaterThan(100);
    d.signal('SIGTERM');
    expect((await d.exited).code).toBe(0);
  });

  it('reloads when a file in --secrets-dir changes, and applies the new secret without logging it', async () => {
    const { createHmac } = await import('node:crypto');
    const { join } = await import('node:path');
    const secrets = fx.scratch({ 'smtp-password': 'first-secret-4c1d' });
    const cfg = configDir({
      'auth.yaml': authYaml('https://app.example.com').replace('${SMTP_PASSWORD}', `\${file:${join(secrets.dir, 'smtp-password')}}`),
    });
    const d = startDaemon(['-c', cfg.dir, '--secrets-dir', secrets.dir, '--schedule', '0 0 1 1 *']);
    await d.waitFor((l) => l.msg === 'cycle complete' && l.trigger === 'start');
    const hmac = (v: string) => createHmac('sha256', REF).update(v).digest('hex');
    expect((await authNow()).smtp_pass).toBe(hmac('first-secret-4c1d'));

    const mark = d.lines.length;
    secrets.write('smtp-password', 'rotated-secret-9e2f');
    const cycle = await d.waitFor((l) => l.msg === 'cycle complete' && l.trigger === 'config change', { from: mark, what: 'reload cycle' });
    expect(cycle).toMatchObject({ result: 'ok', changed: 1 });
    expect(d.lines.slice(mark).find((l) => l.msg === 'change applied')).toMatchObject({ path: 'smtp_pass', sensitive: true });
    expect((await authNow()).smtp_pass).toBe(hmac('rotated-secret-9e2f'));
    d.signal('SIGTERM');
    expect((await d.exited).code).toBe(0);
    expect(d.stdout).not.toMatch(/first-secret-4c1d|rotated-secret-9e2f/);
  });

  it('logs the configuration\'s warnings (a private-range CIDR) at start and at each reload, located (issue 17 item 13)', async () => {
    const network = (cidrs: string) => `project: ${REF}\nnetwork_restrictions:\n  dbAllowedCidrs: [${cidrs}]\n`;
    const cfg = configDir({ 'auth.yaml': authYaml('https://app.example.com'), 'network.yaml': network('203.0.113.0/24, 10.0.0.0/8') });
    const d = startDaemon(['-c', cfg.dir, '--schedule', '0 0 1 1 *', '--log-level', 'info']);
    await d.waitFor((l) => l.msg === 'supasync daemon started');
    const atStart = d.lines.filter((l) => l.msg === 'configuration warning');
    expect(atStart).toHaveLength(1);
    expect(atStart[0]).toMatchObject({ level: 'warn' });
    expect(atStart[0]!.warning).toMatch(/network\.yaml:3:\d+: network_restrictions\.dbAllowedCidrs\[1\]: "10\.0\.0\.0\/8" is a private range: clients reach the database over the internet, so it admits no one$/);

    // A reload: the warnings of the configuration now in force, the new one included.
    const mark = d.lines.length;
    cfg.write('network.yaml', network('203.0.113.0/24, 10.0.0.0/8, 192.168.1.0/24'));
    await d.waitFor((l) => l.msg === 'configuration changed: reconciling the projects it changed', { from: mark, what: 'the reload' });
    const atReload = d.lines.slice(mark).filter((l) => l.msg === 'configuration warning').map((l) => String(l.warning));
    expect(atReload).toEqual([
      expect.stringMatching(/network\.yaml:3:\d+: network_restrictions\.dbAllowedCidrs\[1\]: "10\.0\.0\.0\/8" is a private range/),
      expect.stringMatching(/network\.yaml:3:\d+: network_restrictions\.dbAllowedCidrs\[2\]: "192\.168\.1\.0\/24" is a private range/),
    ]);
    d.signal('SIGTERM');
    expect((await d.exited).code).toBe(0);
    expectCleanOutput(d);
  });

  it('in observe mode reports drift and writes nothing', async () => {
    const cfg = configDir();
    const d = startDaemon(['-c', cfg.dir, '--schedule', '0 0 1 1 *', '--mode', 'observe']);
    const url = await d.url();
    const first = await d.waitFor((l) => l.msg === 'cycle complete' && l.trigger === 'start');
    expect(first).toMatchObject({ result: 'ok', drift: 1, changed: 0, requests: 0 });
    expect(d.lines.filter((l) => l.msg === 'drift observed').map((l) => l.path)).toEqual(expect.arrayContaining(['site_url', 'smtp_pass', 'default_pool_size']));
    expect(d.lines.some((l) => l.msg === 'change applied')).toBe(false);
    expect(fx.emulator.requests().filter((r) => r.method !== 'GET')).toEqual([]);
    const metrics = (await probe(`${url}/metrics`)).body;
    expect(metrics).toMatch(new RegExp(`^supasync_section_results_total\\{project="${REF}",section="auth",result="drift"\\} 1`, 'm'));
    expect(metrics).toMatch(new RegExp(`^supasync_drift\\{project="${REF}",section="pooler"\\} 1`, 'm'));
    d.signal('SIGINT');
    expect((await d.exited).code).toBe(0);
    expectCleanOutput(d);
  });

  it('turns /readyz to 503 on an authentication failure', async () => {
    await fx.emulator.reset({ projects: [{ ref: REF, plan: 'pro' }], tokens: [{ token: `sbp_${'f'.repeat(40)}` }] });
    const cfg = configDir();
    const d = startDaemon(['-c', cfg.dir, '--schedule', '0 0 1 1 *']);
    const url = await d.url();
    const first = await d.waitFor((l) => l.msg === 'cycle complete');
    expect(first).toMatchObject({ result: 'auth_error', level: 'warn' });
    const ready = await probe(`${url}/readyz`);
    expect(ready.status).toBe(503);
    expect(JSON.parse(ready.body)).toMatchObject({ reason: 'auth_error' });
    expect((await probe(`${url}/healthz`)).status).toBe(200);
    expect((await probe(`${url}/metrics`)).body).toMatch(/^supasync_cycles_total\{result="auth_error"\} 1$/m);
    d.signal('SIGTERM');
    expect((await d.exited).code).toBe(0);
    expectCleanOutput(d);
  });

  it('on SIGTERM during a cycle, lets it finish and exits 0', async () => {
    fx.emulator.addFaults({ method: 'PATCH', path: '/config/auth$', delay_ms: 2_000, times: 1 });
    const cfg = configDir();
    const d = startDaemon(['-c', cfg.dir, '--schedule', '0 0 1 1 *']);
    await d.url();
    await writing(d);
    const sent = Date.now();
    d.signal('SIGTERM');
    const exit = await d.exited;
    expect(exit.code).toBe(0);
    const msgs = d.lines.map((l) => l.msg);
    expect(msgs).toContain('shutting down: finishing the projects in flight');
    const cycle = d.lines.find((l) => l.msg === 'cycle complete');
    expect(cycle).toMatchObject({ result: 'ok', changed: 1 });
    expect(msgs.indexOf('cycle complete')).toBeGreaterThan(msgs.indexOf('shutting down: finishing the projects in flight'));
    expect(msgs.at(-1)).toBe('stopped');
    expect(Date.now() - sent).toBeGreaterThan(1_000); // it did wait for the delayed read
    expect((await authNow()).site_url).toBe('https://app.example.com'); // and the cycle applied
    expectCleanOutput(d);
  });

  it('exits at once on a second signal, abandoning the cycle in flight', async () => {
    fx.emulator.addFaults({ method: 'PATCH', path: '/config/auth$', delay_ms: 60_000, times: 1 });
    const cfg = configDir();
    const d = startDaemon(['-c', cfg.dir, '--schedule', '0 0 1 1 *']);
    await d.url();
    await writing(d);
    d.signal('SIGTERM');
    await d.waitFor((l) => l.msg === 'shutting down: finishing the projects in flight');
    const sent = Date.now();
    d.signal('SIGTERM');
    const exit = await d.exited;
    expect(exit.code).toBe(1);
    expect(Date.now() - sent).toBeLessThan(3_000);
    expect(d.lines.some((l) => l.msg === 'second signal: stopping at once, abandoning the projects in flight')).toBe(true);
    expect((await authNow()).site_url).not.toBe('https://app.example.com'); // nothing was applied
  });

  it('exits 1 when the cycle in flight outlasts --shutdown-timeout', async () => {
    fx.emulator.addFaults({ method: 'PATCH', path: '/config/auth$', delay_ms: 60_000, times: 1 });
    const cfg = configDir();
    const d = startDaemon(['-c', cfg.dir, '--schedule', '0 0 1 1 *', '--shutdown-timeout', '1s']);
    await d.url();
    await writing(d);
    const sent = Date.now();
    d.signal('SIGTERM');
    expect((await d.exited).code).toBe(1);
    expect(Date.now() - sent).toBeLessThan(4_000);
    expect(d.lines.some((l) => l.msg === 'shutdown timeout: abandoning the projects in flight')).toBe(true);
  });

  it('stops writing a section whose keys the API keeps not taking, until its configuration changes', async () => {
    // The API answers the PATCH but does not take it: the fault answers 200 without applying anything.
    fx.emulator.addFaults({ method: 'PATCH', path: '/config/auth$', status: 200, body: {} });
    const cfg = configDir({ 'auth.yaml': `project: ${REF}\nauth:\n  site_url: https://app.example.com\n` });
    const d = startDaemon(['-c', cfg.dir, '--schedule', EVERY_SECOND]);
    const url = await d.url();
    const held = await d.waitFor((l) => l.msg.startsWith('section held'), { what: 'section held', timeoutMs: 20_000 });
    expect(held).toMatchObject({ project: REF, section: 'auth', keys: ['site_url'] });
    const notTaken = d.lines.filter((l) => l.msg === 'change not taken by the API' && l.path === 'site_url');
    expect(notTaken).toHaveLength(3);
    // Each of those reconciles failed (issue 17 item 15): the section and the project, in the log and the metrics.
    const failed = d.lines.filter((l) => l.msg === 'apply failed' && l.section === 'auth');
    expect(failed).toHaveLength(3);
    expect(failed[0]!.err).toMatchObject({ kind: 'api', code: 'E_NOT_TAKEN' });
    // At debug in the daemon: its own section error line says it, at error when the failure starts (src/daemon/section-log.ts).
    expect(failed.every((l) => l.level === 'debug')).toBe(true);
    await eventually(() => d.lines.filter((l) => l.msg === 'project reconciled' && l.result === 'error' && l.code === 'E_NOT_TAKEN').length === 3, 'three failed reconciles');
    const failing = (await probe(`${url}/metrics`)).body;
    expect(failing).toMatch(new RegExp(`^supasync_section_results_total\\{project="${REF}",section="auth",result="error"\\} 3$`, 'm'));
    expect(failing).not.toMatch(new RegExp(`^supasync_section_results_total\\{project="${REF}",section="auth",result="applied"\\}`, 'm'));
    expect(failing).toMatch(/^supasync_reconciles_total\{priority="low",result="error"\} [1-9]/m);

    // Held: the next cycles read and report, but send no PATCH.
    fx.emulator.clearRequests();
    const mark = d.lines.length;
    await d.nextCycle(mark);
    const after = await d.nextCycle(d.lines.length);
    expect(after).toMatchObject({ held: 1, requests: 0 });
    expect(fx.emulator.requests().filter((r) => r.method === 'PATCH')).toEqual([]);
    expect(d.lines.slice(mark).some((l) => l.msg.startsWith('drift held') && l.path === 'site_url')).toBe(true);
    const metrics = (await probe(`${url}/metrics`)).body;
    expect(metrics).toMatch(new RegExp(`^supasync_held_sections\\{project="${REF}",section="auth"\\} 1$`, 'm'));
    expect(metrics).toMatch(new RegExp(`^supasync_section_results_total\\{project="${REF}",section="auth",result="held"\\} \\d+`, 'm'));

    // A new desired value releases the hold, and (the API taking writes again) it is applied.
    fx.emulator.clearFaults();
    const mark2 = d.lines.length;
    cfg.write('auth.yaml', `project: ${REF}\nauth:\n  site_url: https://new.example.com\n`);
    await d.waitFor((l) => l.msg.startsWith('section released'), { from: mark2, what: 'section released' });
    await eventually(async () => (await authNow()).site_url === 'https://new.example.com', 'the new value applied');
    d.signal('SIGTERM');
    expect((await d.exited).code).toBe(0);
  });
});

describe('supasync run refuses to start on bad input (exit 3, nothing contacted)', () => {
  const run = async (args: string[], env: Record<string, string | undefined> = {}) => {
    const { runCli } = await import('../helpers/cli.js');
    fx.emulator.clearRequests();
    const result = await runCli(['run', '--listen', '127.0.0.1:0', ...args], {
      env: { SUPABASE_API_URL: fx.emulator.url, SUPABASE_ACCESS_TOKEN: TOKEN, SMTP_PASSWORD: CANARY, ...env },
    });
    expect(fx.emulator.requests()).toEqual([]);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    return result;
  };

  it('an invalid configuration, with its file:line:col', async () => {
    const cfg = configDir({ 'auth.yaml': `project: ${REF}\nauth:\n  site_urll: https://x.example.com\n` });
    const r = await run(['-c', cfg.dir]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/auth\.yaml:3:3: .*site_urll/);
  });

  it('a bad --schedule, --jitter, --shutdown-timeout or --listen', async () => {
    const cfg = configDir();
    const bad: Array<[string[], RegExp]> = [
      [['--schedule', '*/5 * *'], /--schedule "\*\/5 \* \*" is not a cron expression/],
      [['--schedule', '99 * * * *'], /--schedule .* is not a cron expression/],
      [['--jitter', '10'], /--jitter: "10" is not a duration/],
      [['--shutdown-timeout', 'soon'], /--shutdown-timeout: "soon" is not a duration/],
      [['--listen', 'localhost'], /--listen: "localhost" is not HOST:PORT/],
    ];
    for (const [args, message] of bad) {
      const r = await run(['-c', cfg.dir, ...args]);
      expect(r.code, args.join(' ')).toBe(3);
      expect(r.stderr).toMatch(message);
    }
  });

  it('no token', async () => {
    const cfg = configDir();
    const r = await run(['-c', cfg.dir], { SUPABASE_ACCESS_TOKEN: undefined });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/token/i);
  });

  it('a --listen address already in use', async () => {
    const { createServer } = await import('node:net');
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const cfg = configDir();
      const r = await run(['-c', cfg.dir, '--listen', `127.0.0.1:${port}`]);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(new RegExp(`--listen 127.0.0.1:${port}: cannot listen \\(EADDRINUSE\\)`));
    } finally {
      blocker.close();
    }
  });
});
