/**
 * A failing project's log lines are level-triggered (src/daemon/failure-streak.ts), end to end: the
 * built CLI's `run` against the in-process emulator over real HTTP. A project that fails the same
 * way at every retry is logged at error once, its repeats at debug (with their count), a changed
 * failure in full again, and its recovery in one info line — while the metrics count every attempt.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DaemonProcess, probe, type LogLine } from './daemon-harness.js';
import { useDaemonFixture } from './daemon-fixture.js';
import { SMTP_AUTH_LINES } from '../helpers/smtp-yaml.js';

const A = 'aaaaaaaaaaaaaaaaaaaa';
const B = 'bbbbbbbbbbbbbbbbbbbb';
const GOOD = `sbp_${'c0ffee'.repeat(6)}abcd`;
const REVOKED = `sbp_${'dead'.repeat(10)}`;
const ONCE_A_YEAR = '0 0 1 1 *';
const EVERY_TWO_SECONDS = '*/2 * * * * *';
const CANARY = 'failure-log-canary-5d0e8a';

const fx = useDaemonFixture();

function startDaemon(args: string[], env: Record<string, string> = {}): DaemonProcess {
  return fx.track(DaemonProcess.start([...args, '--listen', '127.0.0.1:0', '--log-level', 'debug'], { SUPABASE_API_URL: fx.emulator.url, ...env }));
}

const projectYaml = (ref: string, siteUrl = `https://${ref.slice(0, 3)}.example.com`) =>
  `project: ${ref}\nauth:\n  site_url: ${siteUrl}\npooler:\n  default_pool_size: 17\n`;
/** With a secret (written once the project recovers): never in the log. */
const smtpYaml = `project: ${A}
auth:
  site_url: https://aaa.example.com
${SMTP_AUTH_LINES}pooler:
  default_pool_size: 17
`;
const reconciled = (d: DaemonProcess, ref: string) => d.lines.filter((l) => l.msg === 'project reconciled' && l.project === ref);
const loud = (lines: LogLine[]) => lines.filter((l) => l.level === 'error' || l.level === 'warn');
const metric = (body: string, series: string) => Number(new RegExp(`^${series.replace(/[{}"]/g, '\\$&')} (\\d+)$`, 'm').exec(body)?.[1] ?? NaN);

describe('a failing project is logged when its failure starts, changes and ends, not at every retry', () => {
  it('a revoked token: retried with backoff, one failure line per project at error and the repeats at debug; rotated, one recovered line each', async () => {
    await fx.emulator.reset({ projects: [A, B].map((ref) => ({ ref, plan: 'pro' })), tokens: [{ token: GOOD }] });
    const cfg = fx.scratch({ 'a.yaml': projectYaml(A), 'b.yaml': projectYaml(B) });
    const secret = fx.scratch({ token: `${REVOKED}\n` });
    const tokenFile = join(secret.dir, 'token');
    const started = Date.now();
    const d = startDaemon(['-c', cfg.dir, '--token-file', tokenFile, '--schedule', ONCE_A_YEAR]);
    const url = await d.url();

    // The first try and two retries after their backoff (4–5 s, then 8–10 s), no sweep in between.
    for (const ref of [A, B]) await d.waitFor((l) => l.msg === 'project reconciled' && l.project === ref && l.attempt === 3, { what: `${ref}'s second retry`, timeoutMs: 30_000 });
    expect(d.lines.filter((l) => l.msg === 'cycle complete')).toHaveLength(1); // the start's sweep only: these were retries

    for (const ref of [A, B]) {
      const [first, ...repeats] = reconciled(d, ref);
      expect(first).toMatchObject({ level: 'error', result: 'error', attempt: 1, code: 'E_API_STATUS', status: 401, failure: 'first' });
      expect(first!.retry_in_ms).toBeGreaterThan(0);
      expect(repeats.map((l) => [l.level, l.result, l.attempt, l.failure, l.repeats, l.status])).toEqual([
        ['debug', 'error', 2, 'repeat', 1, 401],
        ['debug', 'error', 3, 'repeat', 2, 401],
      ]);
      const firstSeen = Date.parse(String(repeats[0]!.first_seen_at));
      expect(firstSeen).toBeGreaterThanOrEqual(started);
      expect(firstSeen).toBeLessThanOrEqual(Date.parse(first!.time));
      expect(repeats[1]!.first_seen_at).toBe(repeats[0]!.first_seen_at);
    }
    // The whole log at error or warn: the token, said once, each project's failure, once, and the start's sweep.
    expect(loud(d.lines).map((l) => [l.level, l.msg, l.project])).toEqual(
      expect.arrayContaining([
        ['error', expect.stringMatching(/failed 401: Unauthorized: the API did not accept the access token; check the token/), expect.any(String)],
        ['error', 'project reconciled', A],
        ['error', 'project reconciled', B],
        ['warn', 'cycle complete', undefined],
      ]),
    );
    expect(loud(d.lines)).toHaveLength(4);
    // Every section's 401 of every attempt is still in the log (2 sections × 3 attempts × 2 projects): the one above, the rest at debug.
    const sectionLines = d.lines.filter((l) => l.section && l.status === 401);
    expect(sectionLines).toHaveLength(12);
    expect(sectionLines.filter((l) => l.level !== 'debug')).toHaveLength(1);

    // The metrics count every attempt, as before.
    const metrics = (await probe(`${url}/metrics`)).body;
    const failed = [A, B].map((ref) => reconciled(d, ref).length).reduce((x, y) => x + y);
    expect(metric(metrics, 'supasync_reconciles_total{priority="low",result="error"}')).toBe(failed);
    expect(metric(metrics, 'supasync_queue_retries_total')).toBe(failed);

    // The Secret is rotated, and a configuration change (which reads the token again) reconciles both at once.
    const mark = d.lines.length;
    writeFileSync(tokenFile, `${GOOD}\n`);
    cfg.write('a.yaml', projectYaml(A, 'https://a-rotated.example.com'));
    cfg.write('b.yaml', projectYaml(B, 'https://b-rotated.example.com'));
    for (const ref of [A, B]) await d.waitFor((l) => l.msg === 'project recovered' && l.project === ref, { from: mark, what: `${ref} recovered` });
    const after = d.lines.slice(mark);
    for (const ref of [A, B]) {
      const recovered = after.filter((l) => l.msg === 'project recovered' && l.project === ref);
      expect(recovered).toHaveLength(1);
      const failures = reconciled(d, ref).filter((l) => l.result === 'error');
      expect(recovered[0]).toMatchObject({ level: 'info', failed_attempts: failures.length });
      expect(recovered[0]!.first_failed_at).toBe(failures[1]!.first_seen_at);
      expect(recovered[0]!.failed_for_ms as number).toBeGreaterThanOrEqual(Date.parse(failures.at(-1)!.time) - Date.parse(failures[0]!.time));
      expect(after.find((l) => l.msg === 'project reconciled' && l.project === ref)).toMatchObject({ level: 'info', result: 'changed', priority: 'high' });
    }
    expect(loud(after).filter((l) => l.project)).toEqual([]);
    // No token, revoked or current, in any output.
    for (const token of [REVOKED, GOOD]) {
      expect(d.stdout).not.toContain(token.slice(4));
      expect(d.stderr).not.toContain(token.slice(4));
    }
    d.signal('SIGTERM');
    expect((await d.exited).code).toBe(0);
  }, 90_000);

  it('a 500 that lasts, then another failure, then none: in full, at debug while the same, in full again, one recovered line; metrics count each', async () => {
    await fx.emulator.reset({ projects: [{ ref: A, plan: 'pro' }] });
    fx.emulator.addFaults({ method: 'GET', path: `/v1/projects/${A}/config/database/pooler$`, status: 500, retry_after: 0, body: { message: 'injected outage' } });
    const cfg = fx.scratch({ 'a.yaml': smtpYaml });
    // A sweep every two seconds: each finds the project waiting out its backoff and tries it at once.
    const d = startDaemon(['-c', cfg.dir, '--schedule', EVERY_TWO_SECONDS], { SMTP_PASSWORD: CANARY });
    const url = await d.url();
    await d.waitFor(() => reconciled(d, A).length >= 3, { what: 'three failed attempts', timeoutMs: 30_000 });

    const outage = reconciled(d, A);
    expect(outage[0]).toMatchObject({ level: 'error', result: 'error', code: 'E_API_STATUS', status: 500, failure: 'first' });
    expect(outage.slice(1).every((l) => l.level === 'debug' && l.failure === 'repeat' && l.status === 500)).toBe(true);
    expect(outage.slice(1).map((l) => l.repeats)).toEqual(outage.slice(1).map((_, i) => i + 1));
    // The section's error, with the API's words, once at error; again at each repeat at debug.
    const sectionErrors = d.lines.filter((l) => l.project === A && l.section === 'pooler' && l.status === 500);
    expect(sectionErrors[0]).toMatchObject({ level: 'error', msg: expect.stringMatching(/failed 500: injected outage/) });
    expect(sectionErrors.slice(1).every((l) => l.level === 'debug')).toBe(true);
    expect(loud(d.lines).filter((l) => l.project === A).map((l) => [l.level, l.msg])).toEqual([
      ['error', expect.stringMatching(/failed 500: injected outage/)],
      ['error', 'project reconciled'],
    ]);

    // Another failure (another section, another status): said in full once more, then its repeats at debug.
    let mark = d.lines.length;
    fx.emulator.clearFaults();
    fx.emulator.addFaults({ method: 'GET', path: `/v1/projects/${A}/config/auth$`, status: 404, body: { message: 'injected not found' } });
    const changed = await d.waitFor((l) => l.msg === 'project reconciled' && l.project === A && l.status === 404, { from: mark, what: 'the other failure', timeoutMs: 20_000 });
    expect(changed).toMatchObject({ level: 'error', failure: 'changed' });
    await d.waitFor((l) => l.msg === 'project reconciled' && l.project === A && l.status === 404 && l.failure === 'repeat', { from: mark, what: 'its repeat', timeoutMs: 20_000 });
    expect(loud(d.lines.slice(mark)).filter((l) => l.project === A).map((l) => [l.level, l.msg, l.failure])).toEqual([
      ['error', expect.stringMatching(/failed 404: injected not found/), undefined],
      ['error', 'project reconciled', 'changed'],
    ]);

    // The fault is cleared: one recovered line, after every failed attempt.
    mark = d.lines.length;
    fx.emulator.clearFaults();
    const recovered = await d.waitFor((l) => l.msg === 'project recovered' && l.project === A, { from: mark, what: 'recovery', timeoutMs: 20_000 });
    const failures = reconciled(d, A).filter((l) => l.result === 'error');
    expect(recovered).toMatchObject({ level: 'info', failed_attempts: failures.length });
    expect(Date.parse(String(recovered.first_failed_at))).toBeLessThanOrEqual(Date.parse(failures[0]!.time));
    await d.nextCycle(d.lines.length);
    expect(d.lines.filter((l) => l.msg === 'project recovered')).toHaveLength(1);

    // Every attempt counted, whatever its level in the log.
    const metrics = (await probe(`${url}/metrics`)).body;
    expect(metric(metrics, 'supasync_reconciles_total{priority="low",result="error"}')).toBe(failures.length);
    expect(d.stdout).not.toContain(CANARY);
    d.signal('SIGTERM');
    expect((await d.exited).code).toBe(0);
  }, 90_000);

  it('a write that keeps failing: the section error once at error, the engine\'s `apply failed` at debug (the daemon says it), repeats at debug', async () => {
    await fx.emulator.reset({ projects: [{ ref: A, plan: 'pro' }] });
    // Reads answer; every PATCH of auth fails (a 400: not retried within the attempt, so each attempt is one write).
    fx.emulator.addFaults({ method: 'PATCH', path: `/v1/projects/${A}/config/auth$`, status: 400, body: { message: 'injected refusal' } });
    const cfg = fx.scratch({ 'a.yaml': smtpYaml });
    const d = startDaemon(['-c', cfg.dir, '--schedule', EVERY_TWO_SECONDS], { SMTP_PASSWORD: CANARY });
    await d.waitFor(() => reconciled(d, A).length >= 3, { what: 'three failed attempts', timeoutMs: 30_000 });

    const attempts = reconciled(d, A);
    expect(attempts.map((l) => [l.level, l.result, l.failure])).toEqual([
      ['error', 'error', 'first'],
      ...attempts.slice(1).map(() => ['debug', 'error', 'repeat']),
    ]);
    // The engine still says `apply failed` at every attempt, at debug: the section's error line is the daemon's.
    const applyFailed = d.lines.filter((l) => l.msg === 'apply failed' && l.project === A);
    expect(applyFailed.length).toBeGreaterThanOrEqual(attempts.length);
    expect(applyFailed.every((l) => l.level === 'debug')).toBe(true);
    expect(loud(d.lines).filter((l) => l.project === A).map((l) => [l.level, l.section, l.msg])).toEqual([
      ['error', 'auth', expect.stringMatching(/failed 400: injected refusal/)],
      ['error', undefined, 'project reconciled'],
    ]);
    expect(d.stdout).not.toContain(CANARY);
    d.signal('SIGTERM');
    expect((await d.exited).code).toBe(0);
  }, 60_000);
});
