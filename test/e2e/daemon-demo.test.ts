/**
 * `npm start` = `supasync demo`: the emulator, the daemon on examples/config, and drift made behind
 * its back that the next cycle puts back. On a terminal it reads like a demo (issue 17 item 2): a
 * short banner, one pretty line per applied change and per cycle, the observe-mode drift of the
 * staging project logged once (not at every cycle), and Ctrl-C ends it with exit 0 — through npm
 * too, which forwards the terminal's Ctrl-C a second time. Through a pipe the log is pino JSON.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, ROOT } from '../helpers/cli.js';
import { runInTerminal } from '../helpers/pty.js';

const PRODUCTION = 'abcdefghijklmnopqrst';
const STAGING = 'zyxwvutsrqponmlkjihg';
// The default schedule (a sweep every 10 s: a sweep is paced over a few seconds at the rate limit), drift sooner.
const FAST = ['--drift-every', '3s'];
const count = (text: string, re: RegExp) => text.match(new RegExp(re.source, 'gm'))?.length ?? 0;

describe('supasync demo (npm start)', () => {
  it('is what npm start runs (exec: no shell between npm and the demo to be killed by Ctrl-C)', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.start).toBe('exec node dist/cli.js demo');
  });

  it('npm start on a terminal: a banner, pretty lines, drift put back, observe drift once, Ctrl-C exits 0', async () => {
    let changedAt = -1;
    const run = await runInTerminal(`npm start --silent -- ${FAST.map((a) => JSON.stringify(a)).join(' ')}`, {
      env: { NO_COLOR: '1', npm_config_update_notifier: 'false' },
      timeoutMs: 60_000,
      interruptWhen: (out) => {
        if (changedAt < 0 && out.includes('changed auth.site_url')) changedAt = out.length;
        // Ctrl-C once the site_url was put back, and the sweep that did it has ended.
        const after = changedAt < 0 ? '' : out.slice(changedAt);
        const putBack = after.search(/applied ~ auth\.site_url/);
        return putBack >= 0 && count(after.slice(putBack), /cycle ok \(schedule/) >= 1 && count(out, /cycle ok /) >= 3;
      },
    });
    const out = run.output;
    expect(run.code, out.slice(-3000)).toBe(0);
    // The banner, first, in a few lines.
    expect(out.split('\n').slice(0, 5)).toEqual([
      'supasync demo: the daemon keeps two projects as examples/config describes them.',
      expect.stringMatching(/^ {2}API {7}a local emulator of the Supabase Management API at http:\/\/127\.0\.0\.1:\d+ \(no account; nothing leaves this machine\)$/),
      `  projects  ${PRODUCTION} (enforce: drift is put back), ${STAGING} (its auth is in observe mode: drift reported once, never applied)`,
      '  drift     every 3s a setting is changed behind the daemon\'s back; a cycle ("*/10 * * * * *") puts it back',
      '  Ctrl-C to stop.',
    ]);
    expect(out).not.toContain('{"level"');
    expect(out).toMatch(/^\[\d\d:\d\d:\d\d\] INFO: daemon started: 2 projects, mode enforce, schedule "\*\/10 \* \* \* \* \*"; probes at http:\/\/127\.0\.0\.1:\d+$/m);
    // The out-of-band change, then one line for the change put back, and one line per cycle.
    expect(out).toMatch(new RegExp(`^supasync demo: changed auth\\.site_url of ${PRODUCTION} to https://changed-in-the-dashboard\\.example\\.com behind the daemon's back \\(HTTP 200\\); the next cycle puts it back$`, 'm'));
    expect(out.slice(changedAt)).toMatch(new RegExp(`^\\[\\d\\d:\\d\\d:\\d\\d\\] INFO: ${PRODUCTION} applied ~ auth\\.site_url$`, 'm'));
    expect(out.slice(changedAt)).toMatch(new RegExp(`^\\[\\d\\d:\\d\\d:\\d\\d\\] INFO: ${PRODUCTION} reconciled: changed, \\d+ changes?, \\d+ write requests? \\([\\d.]+ m?s\\)$`, 'm'));
    expect(out.slice(changedAt)).toMatch(/^\[\d\d:\d\d:\d\d\] INFO: cycle ok \(schedule, [\d.]+ m?s\): 2 projects, 1 changed, 1 drifted, \d+ write requests?$/m);
    // The staging project's observe-mode drift: logged at the first cycle, not again at every later one.
    const cycles = count(out, /^\[\d\d:\d\d:\d\d\] INFO: cycle ok /);
    expect(cycles).toBeGreaterThanOrEqual(3);
    expect(count(out, new RegExp(`^\\[\\d\\d:\\d\\d:\\d\\d\\] INFO: ${STAGING} drift ~ auth\\.site_url \\(observe mode: reported, not applied\\)$`))).toBe(1);
    // Ctrl-C: the cycle in flight finishes, and the demo says it stopped.
    expect(out).toMatch(/INFO: shutting down reason=SIGINT/);
    expect(out).toMatch(/INFO: stopped \(exit code 0\)\nsupasync demo: stopped\.\n/);
    expect(out).not.toMatch(/example-smtp-password|example-github-oauth-secret/);
  }, 90_000);

  it('through a pipe: JSON lines on stdout (each parses), narration on stderr; SIGINT exits 0', async () => {
    // Run directly, not as an npm script (vitest under `npm test` has npm's variables): one SIGINT, no copy.
    const env = { ...process.env, NO_COLOR: '1', npm_lifecycle_event: undefined };
    const child = spawn(process.execPath, [CLI, 'demo', ...FAST], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const lines = () => stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    try {
      // The first out-of-band change (auth site_url), then the daemon putting it back.
      await expect.poll(() => stderr, { timeout: 15_000 }).toMatch(/changed auth\.site_url of abcdefghijklmnopqrst .* \(HTTP 200\)/);
      const madeAt = lines().length;
      await expect
        .poll(() => lines().slice(madeAt).some((l) => l.msg === 'change applied' && l.section === 'auth' && l.path === 'site_url'), { timeout: 25_000 })
        .toBe(true);
      await expect.poll(() => lines().filter((l) => l.msg === 'cycle complete').length, { timeout: 25_000 }).toBeGreaterThanOrEqual(3);
      expect(lines().some((l) => l.msg === 'cycle complete' && l.trigger === 'start' && l.result === 'ok')).toBe(true);
      expect(lines().find((l) => l.msg === 'supasync daemon started')?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      // Observe-mode drift: logged once, while every cycle still counts it.
      expect(lines().filter((l) => l.msg === 'drift observed' && l.project === STAGING && l.path === 'site_url')).toHaveLength(1);
      expect(lines().filter((l) => l.msg === 'cycle complete' && l.trigger === 'schedule').every((l) => l.drift === 1)).toBe(true);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    expect(stderr).toContain('supasync demo: stopped.');
    expect(lines().at(-1)).toMatchObject({ msg: 'stopped', exit_code: 0 });
    // The example's secret defaults never show.
    expect(stdout + stderr).not.toMatch(/example-smtp-password|example-github-oauth-secret/);
  }, 90_000);

  it("under npm: a copy of the Ctrl-C, however late, ends nothing — not even while the process exits (the default action would end it with 130)", async () => {
    // As `npm start` runs it: npm's variables set; the terminal's SIGINT, then npm's copy. Nothing bounds
    // when the copy comes: after the demo has stopped, while the process is ending, it may; here it keeps
    // coming, every millisecond, from the moment the demo says it stopped until the process is gone.
    const env = { ...process.env, NO_COLOR: '1', npm_lifecycle_event: 'start' };
    const child = spawn(process.execPath, [CLI, 'demo', ...FAST], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let copies: NodeJS.Timeout | undefined;
    const sendCopy = () => child.exitCode === null && child.signalCode === null && child.kill('SIGINT');
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      // The copies start the moment the demo says it stopped, and keep coming until it is gone.
      if (!copies && stderr.includes('supasync demo: stopped.')) {
        sendCopy();
        copies = setInterval(sendCopy, 1);
      }
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('exit', (code, signal) => {
        clearInterval(copies);
        resolve({ code, signal });
      }),
    );
    try {
      await expect.poll(() => stdout, { timeout: 15_000 }).toContain('"msg":"cycle complete"');
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toEqual({ code: 0, signal: null });
    expect(stderr).toContain('supasync demo: stopped.');
    expect(stderr).not.toContain('stopped at once');
  }, 60_000);
});
