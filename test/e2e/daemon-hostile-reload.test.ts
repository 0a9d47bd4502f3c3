/**
 * The daemon reloads its configuration on the event loop that answers its probes (issue 13, item 6):
 * a 45k-key file once stalled /healthz for 13 s per reload, a 116k-key one for minutes. While the
 * configuration directory holds a large hostile file being reloaded, every probe must be answered
 * promptly, and the reload must end with the file refused (the last valid configuration kept).
 */
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../src/config/limits.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { DaemonProcess, eventually, probe, scratchDir } from './daemon-harness.js';

const REF = 'aaaaaaaaaaaaaaaaaaaa';
/** Not a speed target: a bound far above a healthy answer (milliseconds), far below the old stalls. */
const PROBE_BOUND_MS = 2_000;

const lines = (count: number, line: (i: number) => string) => Array.from({ length: count }, (_, i) => line(i)).join('\n');
const HOSTILE: Array<[string, string]> = [
  // Over the value cap: refused from the token tree, before composing.
  ['116k top-level keys', `project: ${REF}\n${lines(116_000, (i) => `k${i.toString(36)}: 1`)}\n`],
  // Under the cap: composed, built and validated, 90k unknown keys each with a message.
  ['90k unknown auth keys', `project: ${REF}\nauth:\n${lines(90_000, (i) => ` k${i.toString(36)}: 1`)}\n`],
  // 30k failed oneOf alternatives (once quadratic to word).
  [
    '30k failed alternatives',
    `project: ${REF}\nsso:\n providers:\n  - metadata_url: https://idp.example.com/m\n    attribute_mapping:\n     keys:\n${lines(30_000, (i) => `      k${i.toString(36)}: {default: null}`)}\n`,
  ],
];

const POOLER = `project: ${REF}\npooler:\n  default_pool_size: 20\n`;
let emulator: Emulator;
const daemons: DaemonProcess[] = [];
const dirs: Array<ReturnType<typeof scratchDir>> = [];
const dir = scratchDir({ 'pooler.yaml': POOLER });
dirs.push(dir);

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, seed: { projects: [{ ref: REF, name: 'hostile-reload', plan: 'pro' }] } });
});
afterAll(async () => {
  for (const d of daemons) await d.kill();
  await emulator?.close();
  for (const d of dirs) d.cleanup();
});

describe('daemon: reloading a large hostile file', () => {
  it('answers every probe promptly while each file is reloaded, and refuses each file', async () => {
    for (const [, text] of HOSTILE) expect(Buffer.byteLength(text)).toBeLessThanOrEqual(LIMITS.fileBytes);
    // A schedule that does not tick during the test: only the watcher triggers reloads.
    const d = DaemonProcess.start(['-c', dir.dir, '--listen', '127.0.0.1:0', '--schedule', '0 0 0 1 1 *', '--log-level', 'info'], {
      SUPABASE_API_URL: emulator.url,
    });
    daemons.push(d);
    const url = await d.url();
    await d.waitFor((l) => l.msg === 'cycle complete', { what: 'the first cycle' });
    await eventually(async () => (await probe(`${url}/readyz`)).status === 200, 'ready');

    const report: string[] = [];
    for (const [name, text] of HOSTILE) {
      const mark = d.lines.length;
      dir.write('hostile.yaml', text);
      // An invalid reload starts no reconcile; its end is the line that says the last valid configuration stays.
      const reloaded = d.waitFor((l) => l.msg === 'configuration reload failed: keeping the last valid configuration', { from: mark, timeoutMs: 120_000, what: `${name} reloaded` });
      let done = false;
      void reloaded.then(() => (done = true), () => (done = true));
      const latencies: number[] = [];
      const failures: string[] = [];
      while (!done) {
        const started = performance.now();
        try {
          const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(30_000) });
          await res.text();
          if (res.status !== 200) failures.push(`status ${res.status}`);
        } catch (err) {
          failures.push(String(err));
        }
        latencies.push(performance.now() - started);
        await new Promise((r) => setTimeout(r, 50));
      }
      await reloaded;
      const invalid = d.lines.slice(mark).find((l) => l.msg === 'configuration invalid');
      expect(invalid?.issue, name).toMatch(/hostile\.yaml:\d+:\d+: /);
      const slowest = Math.max(...latencies);
      report.push(`${name}: ${latencies.length} probes, slowest ${Math.round(slowest)} ms`);
      expect(failures, name).toEqual([]);
      expect(latencies.length, `${name}: probes during the reload`).toBeGreaterThanOrEqual(3);
      expect(slowest, `${name}: slowest /healthz answer (ms)`).toBeLessThan(PROBE_BOUND_MS);
    }
    console.log(report.join('\n'));
    // The last valid configuration is still the one in force.
    expect((await probe(`${url}/healthz`)).status).toBe(200);
    expect(JSON.parse((await probe(`${url}/readyz`)).body)).toMatchObject({ reason: 'configuration_invalid' });
  }, 600_000);

  it('does not watch through a symlink out of the directory (p -> /proc once walked /proc), and refuses it', async () => {
    const cfg = scratchDir({ 'pooler.yaml': POOLER });
    dirs.push(cfg);
    const d = DaemonProcess.start(['-c', cfg.dir, '--listen', '127.0.0.1:0', '--schedule', '0 0 0 1 1 *', '--log-level', 'debug'], {
      SUPABASE_API_URL: emulator.url,
    });
    daemons.push(d);
    const url = await d.url();
    await d.waitFor((l) => l.msg === 'cycle complete', { what: 'the first cycle' });
    const mark = d.lines.length;
    symlinkSync('/proc', join(cfg.dir, 'p'));
    const invalid = await d.waitFor((l) => l.msg === 'configuration invalid', { from: mark, timeoutMs: 30_000, what: 'the link refused' });
    expect(invalid.issue).toBe(`${join(cfg.dir, 'p')}:1:1: a symbolic link to a path outside ${cfg.dir}: not followed (give that path with its own -c)`);
    await new Promise((r) => setTimeout(r, 2_000)); // time for a watcher that follows the link to get lost in /proc
    const below = d.lines.slice(mark).filter((l) => typeof l.path === 'string' && l.path.startsWith(`${join(cfg.dir, 'p')}/`));
    expect(below.map((l) => l.path).slice(0, 5)).toEqual([]);
    expect(d.lines.slice(mark).filter((l) => l.msg === 'configuration watcher error').length).toBe(0);
    const started = performance.now();
    expect((await probe(`${url}/healthz`)).status).toBe(200);
    expect(performance.now() - started).toBeLessThan(PROBE_BOUND_MS);
  }, 120_000);
});
