/** `supasync emulator` as users run it: the built CLI, a real process, real signals. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { REF, request, spawnEmulatorCli } from '../helpers/emulator.js';
import { SECTIONS } from '../../src/emulator/resources/index.js';

const SECTION_KEYS = SECTIONS.map((s) => s.name).join(', ');

describe('supasync emulator', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'supasync-emulator-cli-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints "listening on http://HOST:PORT", serves the default projects, and exits 0 on SIGTERM', async () => {
    const emu = await spawnEmulatorCli(['--port', '0']);
    expect(emu.output().stdout).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+\n$/);
    const res = await request<{ name: string }>(emu.url, 'GET', `/v1/projects/${REF}`);
    expect(res.status).toBe(200);
    expect(res.body.name).toBe('production');
    expect(await emu.stop('SIGTERM')).toBe(0);
  });

  it('exits 0 on SIGINT too', async () => {
    const emu = await spawnEmulatorCli(['--port', '0']);
    expect(await emu.stop('SIGINT')).toBe(0);
  });

  it('loads --seed (YAML) and enforces --rate-limit N/min', async () => {
    const seed = join(dir, 'seed.yaml');
    await writeFile(seed, 'projects:\n  - ref: cliseededprojectaaaa\n    name: from-seed\n    plan: free\n');
    const emu = await spawnEmulatorCli(['--port', '0', '--seed', seed, '--rate-limit', '2/min']);
    try {
      const first = await request<{ name: string }>(emu.url, 'GET', '/v1/projects/cliseededprojectaaaa');
      expect(first.body.name).toBe('from-seed');
      expect(first.headers.get('x-ratelimit-limit')).toBe('2');
      expect((await request(emu.url, 'GET', `/v1/projects/${REF}`)).status).toBe(404);
      const third = await request(emu.url, 'GET', '/v1/projects/cliseededprojectaaaa');
      expect(third.status).toBe(429);
      expect(third.headers.get('retry-after')).toMatch(/^\d+$/);
    } finally {
      expect(await emu.stop()).toBe(0);
    }
  });

  it('keeps --state across process restarts', async () => {
    const state = join(dir, 'state.json');
    const first = await spawnEmulatorCli(['--port', '0', '--state', state]);
    const patch = await request(first.url, 'PATCH', `/v1/projects/${REF}/postgrest`, { max_rows: 123 });
    expect(patch.status).toBe(200);
    expect(await first.stop()).toBe(0);
    const second = await spawnEmulatorCli(['--port', '0', '--state', state]);
    try {
      const read = await request<{ max_rows: number }>(second.url, 'GET', `/v1/projects/${REF}/postgrest`);
      expect(read.body.max_rows).toBe(123);
    } finally {
      expect(await second.stop()).toBe(0);
    }
  });

  it.each([
    ['a missing seed file', () => ['--seed', join(dir, 'missing.yaml')], /cannot read seed file/],
    ['an invalid seed', () => ['--seed', join(dir, 'bad-seed.yaml')], /bad-seed\.yaml:3:11: projects\[0\]\.plan: must be one of: "free", "pro", "team", "enterprise"/],
    ['a bad --rate-limit', () => ['--rate-limit', 'fast'], /--rate-limit/],
    ['a --state in a missing directory', () => ['--state', join(dir, 'missing-dir', 'state.json')], /missing-dir does not exist/],
    ['a --state whose directory is a file', () => ['--state', join(dir, 'bad-seed.yaml', 'state.json')], /is not a directory/],
  ])('exits 3 with a clear message (no stack) for %s', async (_label, args, message) => {
    await writeFile(join(dir, 'bad-seed.yaml'), `projects:\n  - ref: ${REF}\n    plan: gold\n`);
    const res = await runCli(['emulator', '--port', '0', ...args()]);
    expect(res.code).toBe(3);
    expect(res.stderr).toMatch(message);
    expect(res.stderr).not.toMatch(/\n\s+at /);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stdout).not.toContain('listening on');
  });

  it('locates every problem of a --seed file (line:col, YAML path) and says what is allowed', async () => {
    const seed = join(dir, 'located-seed.yaml');
    await writeFile(
      seed,
      [
        'projects:',
        `  - ref: ${REF}`,
        '    colur: red',
        '    pooler:',
        '      pool_mode: turbo',
        '  - ref: Short',
        'tokens:',
        '  - token: sbp_x',
        '',
      ].join('\n'),
    );
    const res = await runCli(['emulator', '--port', '0', '--seed', seed]);
    expect(res.code).toBe(3);
    expect(res.stderr.trimEnd().split('\n')).toEqual([
      `Error: ${seed}:3:5: projects[0]: unknown key "colur" (allowed: ref, name, plan, organization_slug, region, ${SECTION_KEYS})`,
      `Error: ${seed}:6:10: projects[1].ref: must be a project ref: 20 lowercase letters`,
      `Error: ${seed}:8:12: tokens[0].token: must be sbp_ (or sbp_oauth_) followed by 40 lowercase hex characters`,
    ]);
    // With the shape right, the section values are checked as the API checks a write, and located too.
    await writeFile(seed, `projects:\n  - ref: ${REF}\n    pooler:\n      pool_mode: turbo\n`);
    const sections = await runCli(['emulator', '--port', '0', '--seed', seed]);
    expect(sections.code).toBe(3);
    expect(sections.stderr).toBe(`Error: ${seed}:4:18: projects[0].pooler.pool_mode: pool_mode must be one of "transaction", "session"\n`);
  });

  it('locates the problems of a --state file', async () => {
    const state = join(dir, 'bad-state.json');
    await writeFile(state, '{"version": 1,\n "projects": [\n  {"ref": "x", "plan": "gold", "sections": {}}]}\n');
    const res = await runCli(['emulator', '--port', '0', '--state', state]);
    expect(res.code).toBe(3);
    expect(res.stderr).toBe(`Error: ${state}:3:24: projects[0].plan: must be one of: "free", "pro", "team", "enterprise"\n`);
    await writeFile(state, '{"version": 1,\n "projects": [}\n');
    const notJson = await runCli(['emulator', '--port', '0', '--state', state]);
    expect(notJson.code).toBe(3);
    expect(notJson.stderr).toMatch(new RegExp(`^Error: ${state.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2:15: state file is not JSON: `));
  });

  it('exits 3 when the port is taken', async () => {
    const emu = await spawnEmulatorCli(['--port', '0']);
    try {
      const port = new URL(emu.url).port;
      const res = await runCli(['emulator', '--port', port]);
      expect(res.code).toBe(3);
      expect(res.stderr).toMatch(/EADDRINUSE/);
    } finally {
      await emu.stop();
    }
  });
});
