import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDesiredState } from '../../../src/config/load.js';
import type { DesiredState } from '../../../src/config/types.js';
import { OwnedFleet } from '../../../src/daemon/fleet.js';
import { shardOf } from '../../../src/daemon/shard.js';
import { desiredProjectDigest } from '../../../src/reconcile/desired-digest.js';

const A = 'aaaaaaaaaaaaaaaaaaaa';
const B = 'bbbbbbbbbbbbbbbbbbbb';
const C = 'cccccccccccccccccccc';
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function load(files: Record<string, string>, env: Record<string, string> = {}): Promise<DesiredState> {
  const dir = mkdtempSync(join(tmpdir(), 'supasync-fleet-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return loadDesiredState([dir], { secretsDirs: [], env });
}

const base = {
  'a.yaml': `project: ${A}\nauth:\n  site_url: https://a.example.com\n  jwt_exp: 3600\n  smtp_pass: \${SMTP}\n`,
  'b.yaml': `project: ${B}\npooler:\n  default_pool_size: 20\n`,
};

describe('desiredProjectDigest', () => {
  it('changes with a resolved value (a secret from the environment too), a mode or allow_risky; not with key order or layout', async () => {
    const digest = async (files: Record<string, string>, env = { SMTP: 'one' }) => {
      const state = await load(files, env);
      return desiredProjectDigest(state.projects.find((p) => p.ref === A)!);
    };
    const d0 = await digest(base);
    expect(d0).toMatch(/^[0-9a-f]{64}$/);
    expect(d0).not.toContain('one');
    expect(await digest({ 'a.yaml': `project: ${A}\nauth:\n  jwt_exp: 3600\n  smtp_pass: \${SMTP}\n  site_url: https://a.example.com\n` })).toBe(d0);
    expect(await digest({ 'a1.yaml': `project: ${A}\nauth:\n  site_url: https://a.example.com\n  jwt_exp: 3600\n  smtp_pass: \${SMTP}\n`, 'zz.yaml': '# nothing\n' })).toBe(d0);
    expect(await digest(base, { SMTP: 'two' })).not.toBe(d0);
    expect(await digest({ 'a.yaml': base['a.yaml'].replace('3600', '7200') })).not.toBe(d0);
    expect(await digest({ 'a.yaml': base['a.yaml'].replace('auth:\n', 'auth:\n  mode: observe\n') })).not.toBe(d0);
    expect(await digest({ 'a.yaml': `${base['a.yaml']}allow_risky: [auth.jwt_exp]\n` })).not.toBe(d0);
  });
});

describe('OwnedFleet', () => {
  it('reports the projects a reload changed, added and removed; an unchanged reload reports none', async () => {
    const fleet = new OwnedFleet();
    expect(fleet.update(await load(base, { SMTP: 'one' }))).toEqual({ changed: [A, B], removed: [] });
    expect(fleet.size).toBe(2);
    expect(fleet.requests).toBe(2);
    expect(fleet.cost(A)).toBe(1);
    expect(fleet.update(await load(base, { SMTP: 'one' }))).toEqual({ changed: [], removed: [] });
    expect(fleet.update(await load(base, { SMTP: 'rotated' }))).toEqual({ changed: [A], removed: [] });
    const next = await load({ 'a.yaml': base['a.yaml'], 'c.yaml': `project: ${C}\nssl_enforcement:\n  database: true\n` }, { SMTP: 'rotated' });
    expect(fleet.update(next)).toEqual({ changed: [C], removed: [{ ref: B, sections: ['pooler'] }] });
    expect(fleet.refs()).toEqual([A, C]);
    expect([...fleet.sectionKeys()]).toEqual([`${A}/auth`, `${C}/ssl_enforcement`]);
  });

  it('with a shard, holds only the projects that shard owns', async () => {
    const state = await load({ ...base, 'c.yaml': `project: ${C}\nssl_enforcement:\n  database: true\n` }, { SMTP: 'x' });
    const owned = [0, 1, 2].map((index) => {
      const fleet = new OwnedFleet({ index, count: 3 });
      fleet.update(state);
      expect(fleet.total).toBe(3);
      return fleet.refs();
    });
    expect(owned.flat().sort()).toEqual([A, B, C]);
    for (const [index, refs] of owned.entries()) for (const ref of refs) expect(shardOf(ref, 3)).toBe(index);
  });
});
