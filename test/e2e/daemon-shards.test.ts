/**
 * Shards: three daemons (`--shard 0/3`, `1/3`, and `hostname/3` on a host named like the third pod
 * of a StatefulSet) on one configuration against one emulator. Every project is written by exactly
 * one daemon — the one its rendezvous hash names — and all converge; with one daemon stopped, only
 * its projects are left unreconciled. Logs and metrics carry the shard.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shardOf } from '../../src/daemon/shard.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { runCli } from '../helpers/cli.js';
import { DaemonProcess, TOKEN, api, eventually, probe, scratchDir } from './daemon-harness.js';

const SHARDS = 3;

/** Distinct refs (20 lowercase letters), at least three per shard. */
function refsForShards(): string[] {
  const refs: string[] = [];
  const perShard = new Array<number>(SHARDS).fill(0);
  for (let i = 0; perShard.some((n) => n < 3); i++) {
    let suffix = '';
    for (let k = 0, x = i; k < 6; k++, x = Math.floor(x / 26)) suffix = String.fromCharCode(97 + (x % 26)) + suffix;
    const ref = `shardtestproj${suffix}`.slice(0, 20).padEnd(20, 'z');
    const shard = shardOf(ref, SHARDS);
    if (perShard[shard]! >= 3) continue;
    perShard[shard]!++;
    refs.push(ref);
  }
  return refs;
}

const REFS = refsForShards();
const url = (ref: string) => `https://${ref}.example.com`;
let emulator: Emulator;
const daemons: DaemonProcess[] = [];
const cfg = scratchDir(Object.fromEntries(REFS.map((ref) => [`${ref}.yaml`, `project: ${ref}\nauth:\n  site_url: ${url(ref)}\npooler:\n  default_pool_size: 17\n`])));

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, seed: { projects: REFS.map((ref) => ({ ref, plan: 'pro' })) } });
});
afterAll(async () => {
  await Promise.all(daemons.map((d) => d.kill()));
  await emulator?.close();
  cfg.cleanup();
});

const liveSiteUrl = async (ref: string) => (await api<{ site_url: string }>(emulator.url, 'GET', `/v1/projects/${ref}/config/auth`)).site_url;

describe('supasync run --shard', () => {
  it('splits the projects between three daemons: each written by exactly one, all converged; a stopped shard leaves only its own projects', async () => {
    const shardArgs = ['0/3', '1/3', 'hostname/3'];
    for (const [i, shard] of shardArgs.entries()) {
      daemons.push(
        DaemonProcess.start(['-c', cfg.dir, '--shard', shard, '--schedule', '*/2 * * * * *', '--rate-limit', '0', '--listen', '127.0.0.1:0', '--log-level', 'debug'], {
          SUPABASE_API_URL: emulator.url,
          HOSTNAME: `supasync-${i}`,
        }),
      );
    }
    for (const d of daemons) await d.waitFor((l) => l.msg === 'cycle complete' && l.trigger === 'start', { what: 'the first sweep', timeoutMs: 20_000 });

    // Each daemon took exactly its shard's projects.
    for (const [i, d] of daemons.entries()) {
      const mine = REFS.filter((ref) => shardOf(ref, SHARDS) === i);
      expect(d.lines.find((l) => l.msg === 'supasync daemon started')).toMatchObject({ shard: `${i}/3`, projects: mine.length, of_projects: REFS.length });
      const start = d.lines.find((l) => l.msg === 'cycle complete' && l.trigger === 'start')!;
      expect(start).toMatchObject({ result: 'ok', projects: mine.length, changed: mine.length });
      const touched = new Set(d.lines.filter((l) => l.msg === 'change applied').map((l) => l.project));
      expect([...touched].sort()).toEqual([...mine].sort());
      // Logs and metrics carry the shard.
      expect(d.lines.every((l) => l.shard === `${i}/3`)).toBe(true);
      const metrics = (await probe(`${await d.url()}/metrics`)).body;
      expect(metrics).toMatch(new RegExp(`^supasync_projects\\{shard="${i}/3"\\} ${mine.length}$`, 'm'));
      expect(metrics).toMatch(new RegExp(`^supasync_cycles_total\\{result="ok",shard="${i}/3"\\} [1-9]`, 'm'));
    }

    // In the emulator's log, every project's writes came from one daemon: the one its hash names.
    const writers = new Map<string, Set<string>>();
    for (const r of emulator.requests().filter((e) => e.method !== 'GET')) {
      const ref = /\/v1\/projects\/([a-z]{20})\//.exec(r.path)![1]!;
      const set = writers.get(ref) ?? new Set<string>();
      set.add(r.headers['user-agent'] ?? '');
      writers.set(ref, set);
    }
    expect([...writers.keys()].sort()).toEqual([...REFS].sort());
    for (const [ref, agents] of writers) expect([...agents], ref).toEqual([`supasync (shard ${shardOf(ref, SHARDS)}/3)`]);

    // All converged: a plan of the whole configuration finds nothing to do.
    const plan = await runCli(['plan', '-c', cfg.dir, '--detailed-exitcode'], { env: { SUPABASE_API_URL: emulator.url, SUPABASE_ACCESS_TOKEN: TOKEN } });
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);

    // Stop shard 1, then drift every project out of band.
    const stopped = daemons[1]!;
    stopped.signal('SIGTERM');
    expect((await stopped.exited).code).toBe(0);
    emulator.clearRequests();
    for (const ref of REFS) await api(emulator.url, 'PATCH', `/v1/projects/${ref}/config/auth`, { site_url: 'https://drifted.example.com' });
    const others = REFS.filter((ref) => shardOf(ref, SHARDS) !== 1);
    const orphans = REFS.filter((ref) => shardOf(ref, SHARDS) === 1);
    await eventually(async () => (await Promise.all(others.map(liveSiteUrl))).every((u, i) => u === url(others[i]!)), 'the running shards to correct their projects', 15_000);
    // One more full sweep of each running daemon: the stopped shard's projects are nobody's.
    for (const d of [daemons[0]!, daemons[2]!]) {
      const mark = d.lines.length;
      await d.waitFor((l) => l.msg === 'cycle complete' && l.trigger === 'schedule', { from: mark, what: 'another sweep', timeoutMs: 10_000 });
    }
    for (const ref of orphans) expect(await liveSiteUrl(ref)).toBe('https://drifted.example.com');
    const daemonWrites = emulator.requests().filter((r) => r.method !== 'GET' && r.headers['user-agent']?.startsWith('supasync'));
    expect(daemonWrites.length).toBeGreaterThanOrEqual(others.length);
    for (const r of daemonWrites) expect(orphans.some((ref) => r.path.includes(ref)), r.path).toBe(false);
    expect(emulator.requests().some((r) => r.headers['user-agent'] === 'supasync (shard 1/3)')).toBe(false);
    for (const d of [daemons[0]!, daemons[2]!]) {
      d.signal('SIGTERM');
      expect((await d.exited).code).toBe(0);
    }
  }, 90_000);

  it('refuses a shard that does not exist, or a host name without an ordinal (exit 3, nothing contacted)', async () => {
    emulator.clearRequests();
    const env = { SUPABASE_API_URL: emulator.url, SUPABASE_ACCESS_TOKEN: TOKEN };
    const bad = await runCli(['run', '-c', cfg.dir, '--listen', '127.0.0.1:0', '--shard', '3/3'], { env });
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/--shard: "3\/3": shard 3 does not exist with 3 shard\(s\)/);
    const host = await runCli(['run', '-c', cfg.dir, '--listen', '127.0.0.1:0', '--shard', 'hostname/3'], { env: { ...env, HOSTNAME: 'laptop' } });
    expect(host.code).toBe(3);
    expect(host.stderr).toMatch(/--shard: "hostname\/3": the host name "laptop" does not end in -<ordinal>/);
    expect(emulator.requests()).toEqual([]);
  });
});
