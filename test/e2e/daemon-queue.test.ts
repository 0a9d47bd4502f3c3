/**
 * The daemon's work queue end to end (the built CLI's `run` against the in-process emulator):
 * a project whose read fails is retried with backoff before any tick, and converges once the fault
 * clears, without holding the others back; a configuration change reconciles only the project it
 * changed, at once; and every write follows a read of the same section within the same
 * per-project reconcile.
 */
import { describe, expect, it } from 'vitest';
import type { RequestLogEntry } from '../../src/emulator/index.js';
import { DaemonProcess, api, probe } from './daemon-harness.js';
import { useDaemonFixture } from './daemon-fixture.js';

const A = 'aaaaaaaaaaaaaaaaaaaa';
const B = 'bbbbbbbbbbbbbbbbbbbb';
const C = 'cccccccccccccccccccc';
const ONCE_A_YEAR = '0 0 1 1 *';

const fx = useDaemonFixture();

function startDaemon(dir: string, args: string[] = []): DaemonProcess {
  return fx.track(DaemonProcess.start(['-c', dir, '--listen', '127.0.0.1:0', '--log-level', 'debug', ...args], { SUPABASE_API_URL: fx.emulator.url }));
}

const siteUrl = (ref: string) => `https://${ref.slice(0, 3)}.example.com`;
const authYaml = (ref: string, url = siteUrl(ref)) => `project: ${ref}\nauth:\n  site_url: ${url}\n`;
const reconciled = (d: DaemonProcess, ref: string) => d.lines.filter((l) => l.msg === 'project reconciled' && l.project === ref);
const liveSiteUrl = async (ref: string) => (await api<{ site_url: string }>(fx.emulator.url, 'GET', `/v1/projects/${ref}/config/auth`)).site_url;

describe('the work queue', () => {
  it('retries a project whose read fails with backoff before any tick, converges once the fault clears, and holds no other project back', async () => {
    await fx.emulator.reset({ projects: [A, B, C].map((ref) => ({ ref, plan: 'pro' })) });
    // B's auth read fails twice (404 is not retried by the client itself: one failed read per reconcile).
    fx.emulator.addFaults({ method: 'GET', path: `/v1/projects/${B}/config/auth`, status: 404, body: { message: 'injected' }, times: 2 });
    const cfg = fx.scratch({ 'a.yaml': authYaml(A), 'b.yaml': authYaml(B), 'c.yaml': authYaml(C) });
    const d = startDaemon(cfg.dir, ['--schedule', ONCE_A_YEAR]);
    const url = await d.url();

    const start = await d.waitFor((l) => l.msg === 'cycle complete' && l.trigger === 'start', { what: 'the first sweep' });
    expect(start).toMatchObject({ result: 'error', projects: 3, changed: 2, failed: 1 });
    const firstFailure = reconciled(d, B)[0]!;
    expect(firstFailure).toMatchObject({ level: 'error', result: 'error', attempt: 1, code: 'E_API_STATUS', status: 404 });
    expect(firstFailure.retry_in_ms as number).toBeGreaterThanOrEqual(4_000);
    expect(firstFailure.retry_in_ms as number).toBeLessThanOrEqual(5_000);
    for (const ref of [A, C]) expect(reconciled(d, ref)).toEqual([expect.objectContaining({ result: 'changed', attempt: 1 })]);

    // While B waits out its backoff, a change to A is applied at once: B holds nothing back.
    const mark = d.lines.length;
    cfg.write('a.yaml', authYaml(A, 'https://a-changed.example.com'));
    const change = await d.waitFor((l) => l.msg === 'project reconciled' && l.project === A && l.priority === 'high', { from: mark, what: 'A changed' });
    expect(change).toMatchObject({ result: 'changed', attempt: 1 });
    expect(await liveSiteUrl(A)).toBe('https://a-changed.example.com');
    const changePass = await d.waitFor((l) => l.msg === 'cycle complete' && l.trigger === 'config change', { from: mark, what: 'the change pass' });
    expect(changePass).toMatchObject({ projects: 1, changed: 1 }); // only the project whose desired state changed

    const second = await d.waitFor((l) => l.msg === 'project reconciled' && l.project === B && l.attempt === 2, { what: 'the first retry', timeoutMs: 10_000 });
    expect(second).toMatchObject({ result: 'error', priority: 'low' });
    expect(second.retry_in_ms as number).toBeGreaterThanOrEqual(8_000);
    expect(second.retry_in_ms as number).toBeLessThanOrEqual(10_000);
    const gap = Date.parse(second.time) - Date.parse(firstFailure.time);
    expect(gap).toBeGreaterThanOrEqual(3_900);

    // The fault is used up: the next retry converges, with no schedule tick in between.
    const third = await d.waitFor((l) => l.msg === 'project reconciled' && l.project === B && l.attempt === 3, { what: 'the second retry', timeoutMs: 15_000 });
    expect(third).toMatchObject({ result: 'changed' });
    expect(third.retry_in_ms).toBeUndefined();
    expect(await liveSiteUrl(B)).toBe(siteUrl(B));
    expect(d.lines.some((l) => l.msg === 'cycle complete' && l.trigger === 'schedule')).toBe(false);
    // A and C were each read once by the sweep and never again: B's retries touched only B.
    const reads = fx.emulator.requests().filter((r) => r.method === 'GET');
    expect(reads.filter((r) => r.path.includes(C))).toHaveLength(1 + 1); // the sweep's read and the re-read after its write

    const metrics = (await probe(`${url}/metrics`)).body;
    expect(metrics).toMatch(/^supasync_queue_retries_total 2$/m);
    expect(metrics).toMatch(new RegExp(`^supasync_project_result\\{project="${B}",result="changed"\\} 1$`, 'm'));
    expect(metrics).not.toMatch(new RegExp(`^supasync_project_result\\{project="${B}",result="error"\\}`, 'm'));
    expect(metrics).toMatch(new RegExp(`^supasync_project_last_reconcile_timestamp_seconds\\{project="${C}"\\} 1\\d{9}`, 'm'));
    expect(metrics).toMatch(/^supasync_queue_depth\{priority="retry"\} 0$/m);
    expect(metrics).toMatch(/^supasync_queue_wait_seconds_count\{priority="high"\} 1$/m);
    expect(metrics).toMatch(/^supasync_reconciles_total\{priority="low",result="error"\} 2$/m);
    expect(JSON.parse((await probe(`${url}/readyz`)).body)).toMatchObject({ status: 'ready' });
    d.signal('SIGTERM');
    expect((await d.exited).code).toBe(0);
  }, 60_000);

  it('removes a project that leaves the configuration from the queue, retries included', async () => {
    await fx.emulator.reset({ projects: [A, B].map((ref) => ({ ref, plan: 'pro' })) });
    fx.emulator.addFaults({ method: 'GET', path: `/v1/projects/${B}/config/auth`, status: 404, body: { message: 'injected' } });
    const cfg = fx.scratch({ 'a.yaml': authYaml(A), 'b.yaml': authYaml(B) });
    const d = startDaemon(cfg.dir, ['--schedule', ONCE_A_YEAR]);
    await d.waitFor((l) => l.msg === 'project reconciled' && l.project === B && l.retry_in_ms !== undefined, { what: 'B failing' });
    const { unlinkSync } = await import('node:fs');
    const { join } = await import('node:path');
    unlinkSync(join(cfg.dir, 'b.yaml'));
    await d.waitFor((l) => l.msg === 'configuration changed: reconciling the projects it changed' && l.removed === 1, { what: 'B removed' });
    const url = await d.url();
    const metrics = (await probe(`${url}/metrics`)).body;
    expect(metrics).toMatch(/^supasync_queue_depth\{priority="retry"\} 0$/m);
    expect(metrics).not.toMatch(new RegExp(`project="${B}",result=`));
    fx.emulator.clearRequests();
    await new Promise((r) => setTimeout(r, 6_000)); // past B's first backoff delay
    expect(fx.emulator.requests().filter((r) => r.path.includes(B))).toEqual([]);
    expect(reconciled(d, B)).toHaveLength(1);
    d.signal('SIGTERM');
    expect((await d.exited).code).toBe(0);
  }, 30_000);

  it('sends every write right after a read of the same section, within the same per-project reconcile', async () => {
    const refs = Array.from({ length: 10 }, (_, i) => String.fromCharCode(97 + i).repeat(20));
    await fx.emulator.reset({ projects: refs.map((ref) => ({ ref, plan: 'pro' })) });
    const yaml = (ref: string, round: number) =>
      `project: ${ref}\nauth:\n  site_url: ${siteUrl(ref)}\n  jwt_exp: ${3600 + round}\npooler:\n  default_pool_size: ${20 + round}\npostgrest:\n  max_rows: ${500 + round}\n`;
    const cfg = fx.scratch(Object.fromEntries(refs.map((ref) => [`${ref}.yaml`, yaml(ref, 0)])));
    // Three reconciles at once, over ten projects of three drifted sections each.
    const d = startDaemon(cfg.dir, ['--schedule', ONCE_A_YEAR, '--rate-limit', '0', '--max-in-flight', '4']);
    await d.waitFor((l) => l.msg === 'cycle complete' && l.trigger === 'start', { what: 'the first sweep' });
    // A second round: half the projects change in the configuration, the other half out of band
    // (those are reconciled by nothing here: no tick) — then the changed ones are written again.
    const mark = d.lines.length;
    for (const ref of refs.slice(0, 5)) cfg.write(`${ref}.yaml`, yaml(ref, 1));
    await d.waitFor(() => d.lines.slice(mark).filter((l) => l.msg === 'project reconciled' && l.priority === 'high').length === 5, { what: 'the changes' });

    const log = fx.emulator.requests();
    const writes = log.filter((r) => r.method !== 'GET');
    expect(writes.length).toBe(10 * 3 + 5 * 3);
    // A project's reconciles never overlap, and each logs its line before the next can start: the
    // requests of one reconcile arrive after the previous reconcile's line and before its own.
    const windows = new Map<string, Array<{ after: number; end: number }>>();
    for (const l of d.lines.filter((x) => x.msg === 'project reconciled')) {
      const own = windows.get(l.project as string) ?? [];
      own.push({ after: own.at(-1)?.end ?? Number.NEGATIVE_INFINITY, end: Date.parse(l.time) });
      windows.set(l.project as string, own);
    }
    const within = (w: { after: number; end: number }, at: string) => Date.parse(at) > w.after && Date.parse(at) <= w.end;
    for (const write of writes) {
      const ref = /\/v1\/projects\/([a-z]{20})\//.exec(write.path)![1]!;
      const reconcile = (windows.get(ref) ?? []).filter((w) => within(w, write.at));
      expect(reconcile, `${write.method} ${write.path} in one reconcile of ${ref}`).toHaveLength(1);
      const readOfSection = (r: RequestLogEntry) => r.method === 'GET' && r.path === write.path && within(reconcile[0]!, r.at);
      const i = log.indexOf(write);
      expect(log.slice(0, i).some(readOfSection), `a read of ${write.path} before its ${write.method}, in the same reconcile`).toBe(true);
      // Read-after-write: apply re-reads the section it wrote.
      expect(log.slice(i + 1).some(readOfSection), `the re-read of ${write.path}`).toBe(true);
    }
    // Each project was reconciled twice at most (the sweep, and the change for half of them), and
    // every write of it falls in one of those reconciles.
    for (const ref of refs) expect(windows.get(ref)!.length).toBe(refs.indexOf(ref) < 5 ? 2 : 1);
    d.signal('SIGTERM');
    expect((await d.exited).code).toBe(0);
  }, 60_000);

  it('on SIGTERM lets the projects in flight finish, drops the rest of the sweep, and exits 0 at once', async () => {
    const refs = Array.from({ length: 12 }, (_, i) => String.fromCharCode(97 + i).repeat(20));
    await fx.emulator.reset({ projects: refs.map((ref) => ({ ref, plan: 'pro' })) });
    fx.emulator.addFaults({ method: 'GET', path: '/config/auth$', delay_ms: 400 }); // every reconcile takes a while
    const cfg = fx.scratch(Object.fromEntries(refs.map((ref) => [`${ref}.yaml`, authYaml(ref)])));
    const d = startDaemon(cfg.dir, ['--schedule', ONCE_A_YEAR, '--rate-limit', '0', '--max-in-flight', '4']);
    await d.waitFor(() => d.lines.filter((l) => l.msg === 'project reconciled').length >= 3, { what: 'a few projects' });
    const mark = d.lines.length;
    const sent = Date.now();
    d.signal('SIGTERM');
    expect((await d.exited).code).toBe(0);
    expect(Date.now() - sent).toBeLessThan(3_000); // the in-flight reconciles (~0.4 s), not the 12-project sweep
    const after = d.lines.slice(mark);
    const shutdown = after.find((l) => l.msg === 'shutting down: finishing the projects in flight')!;
    expect(shutdown.in_flight as number).toBeGreaterThanOrEqual(1);
    expect(shutdown.in_flight as number).toBeLessThanOrEqual(3); // low-priority work uses 3 of the 4 workers
    expect(after.filter((l) => l.msg === 'project reconciled').length).toBeLessThanOrEqual(shutdown.in_flight as number);
    const sweep = d.lines.find((l) => l.msg === 'cycle complete' && l.trigger === 'start')!;
    expect(sweep.dropped as number).toBeGreaterThan(0);
    expect((sweep.projects as number) + (sweep.dropped as number)).toBe(refs.length);
    expect(d.lines.at(-1)).toMatchObject({ msg: 'stopped', exit_code: 0 });
  });

  it('is ready once a first project is reconciled, not only after the whole first sweep', async () => {
    const refs = Array.from({ length: 10 }, (_, i) => String.fromCharCode(97 + i).repeat(20));
    await fx.emulator.reset({ projects: refs.map((ref) => ({ ref, plan: 'pro' })) });
    fx.emulator.addFaults({ method: 'GET', path: '/config/auth$', delay_ms: 500 });
    const cfg = fx.scratch(Object.fromEntries(refs.map((ref) => [`${ref}.yaml`, authYaml(ref)])));
    // Two workers: the sweep takes one project at a time, ten times 0.5 s at least.
    const d = startDaemon(cfg.dir, ['--schedule', ONCE_A_YEAR, '--rate-limit', '0', '--max-in-flight', '2']);
    const url = await d.url();
    expect(JSON.parse((await probe(`${url}/readyz`)).body)).toMatchObject({ status: 'not ready', reason: 'starting' });
    await d.waitFor((l) => l.msg === 'project reconciled', { what: 'a first project' });
    const ready = await probe(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(d.lines.some((l) => l.msg === 'cycle complete')).toBe(false); // the sweep is still under way
    await d.waitFor((l) => l.msg === 'cycle complete' && l.trigger === 'start', { what: 'the first sweep', timeoutMs: 30_000 });
    d.signal('SIGTERM');
    expect((await d.exited).code).toBe(0);
  });
});
