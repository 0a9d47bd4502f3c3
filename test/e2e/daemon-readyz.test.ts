/**
 * Issue 13 item 14: /readyz is unauthenticated (kubelet probes cannot send credentials), so it
 * carries no API error text at all — only the reason, result codes, statuses and counts. The API
 * faults below answer with a body whose message holds a canary; /readyz must never show it (the
 * logs may: they are the operator's).
 */
import { describe, expect, it } from 'vitest';
import { DaemonProcess, probe } from './daemon-harness.js';
import { useDaemonFixture } from './daemon-fixture.js';

const REF = 'aaaaaaaaaaaaaaaaaaaa';
const CANARY = 'readyz-canary-3b9e71d2';

const fx = useDaemonFixture();

function startDaemon(): DaemonProcess {
  const cfg = fx.scratch({ 'auth.yaml': `project: ${REF}\nauth:\n  site_url: https://app.example.com\n` });
  return fx.track(DaemonProcess.start(['-c', cfg.dir, '--listen', '127.0.0.1:0', '--schedule', '0 0 1 1 *'], { SUPABASE_API_URL: fx.emulator.url }));
}

describe('/readyz never carries API error text', () => {
  it('a 401 whose body holds a canary: not ready, auth_error, with the status and count only', async () => {
    await fx.emulator.reset({ projects: [{ ref: REF, plan: 'pro' }] });
    fx.emulator.addFaults({ method: 'GET', path: '/config/auth$', status: 401, body: { message: `token rejected: ${CANARY}` } });
    const d = startDaemon();
    const url = await d.url();
    await d.waitFor((l) => l.msg === 'cycle complete', { what: 'the first cycle' });
    const ready = await probe(`${url}/readyz`);
    expect(ready.status).toBe(503);
    expect(ready.body).not.toContain(CANARY);
    expect(ready.body).not.toMatch(/token rejected|\/v1\//);
    expect(JSON.parse(ready.body)).toEqual({ status: 'not ready', reason: 'auth_error', detail: '1 project(s) failed: E_API_STATUS 401 (1)' });
    // The operator's log still says what the API said.
    expect(d.stdout).toContain(CANARY);
  });

  it('a 500 whose body holds a canary: still ready (an outage is not a readiness problem), and silent about it', async () => {
    await fx.emulator.reset({ projects: [{ ref: REF, plan: 'pro' }] });
    fx.emulator.addFaults({ method: 'GET', path: '/config/auth$', status: 500, body: { message: `current smtp_pass is ${CANARY}` } });
    const d = startDaemon();
    const url = await d.url();
    await d.waitFor((l) => l.msg === 'cycle complete', { what: 'the first cycle', timeoutMs: 60_000 });
    const ready = await probe(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(ready.body).not.toContain(CANARY);
    expect(JSON.parse(ready.body)).toEqual({ status: 'ready', reason: 'ok' });
  });

  it('a 403 for a feature the plan lacks is not an authentication failure: result error, still ready, the API\'s words in the log', async () => {
    await fx.emulator.reset({ projects: [{ ref: REF, plan: 'free' }] });
    const cfg = fx.scratch({ 'storage.yaml': `project: ${REF}\nstorage:\n  fileSizeLimit: 104857600\n` });
    const d = fx.track(DaemonProcess.start(['-c', cfg.dir, '--listen', '127.0.0.1:0', '--schedule', '0 0 1 1 *'], { SUPABASE_API_URL: fx.emulator.url }));
    const url = await d.url();
    const cycle = await d.waitFor((l) => l.msg === 'cycle complete', { what: 'the first cycle' });
    expect(cycle).toMatchObject({ result: 'error' });
    expect(String(cycle.detail)).toMatch(/failed 403: fileSizeLimit cannot exceed \d+ bytes on the free plan/);
    const ready = await probe(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect((await probe(`${url}/metrics`)).body).toMatch(/^supasync_cycles_total\{result="auth_error"\} 0$/m);
  });

  it('a refused token (401): one error line that says to check the token, not one per section per cycle', async () => {
    await fx.emulator.reset({ projects: [{ ref: REF, plan: 'pro' }], tokens: [{ token: `sbp_${'f'.repeat(40)}` }] });
    const cfg = fx.scratch({ 'p.yaml': `project: ${REF}\nauth:\n  site_url: https://app.example.com\npooler:\n  default_pool_size: 12\npostgres:\n  statement_timeout: 9s\n` });
    const d = fx.track(DaemonProcess.start(['-c', cfg.dir, '--listen', '127.0.0.1:0', '--schedule', '*/1 * * * * *'], { SUPABASE_API_URL: fx.emulator.url }));
    await d.url();
    await d.waitFor((l) => l.msg === 'cycle complete', { what: 'the first cycle' });
    const third = d.lines.length;
    await d.waitFor((l) => l.msg === 'cycle complete', { what: 'a second cycle', from: third });
    await d.waitFor((l) => l.msg === 'cycle complete', { what: 'a third cycle', from: d.lines.length });
    const cycles = d.lines.filter((l) => l.msg === 'cycle complete');
    expect(cycles.length).toBeGreaterThanOrEqual(3);
    expect(cycles.every((l) => l.result === 'auth_error')).toBe(true);
    // The sections' errors: one line, saying to check the token; and the project's own summary line,
    // `project reconciled`, says once that it failed, with its status and the retry to come (its
    // identical failures at every later cycle are at debug: src/daemon/failure-streak.ts).
    const errors = d.lines.filter((l) => l.level === 'error' && l.msg !== 'project reconciled');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.msg).toMatch(/failed 401: Unauthorized: the API did not accept the access token; check the token \(SUPABASE_ACCESS_TOKEN or --token-file\)/);
    expect(d.lines.filter((l) => l.msg === 'project reconciled')).toEqual([expect.objectContaining({ level: 'error', status: 401, failure: 'first' })]);
  });
});
