/**
 * Storage and Realtime settings end to end against the emulator (issue 16, items 1 and 2): plan →
 * apply → plan (No changes) → export → plan (No changes); a feature sent whole (live merged with the
 * desired keys); turning private_only off refused unless allowed; a free project's limits refused
 * for that project while another is reconciled.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli.js';
import { REF, STAGING_REF, TOKEN, clearRequestLog, loggedWrites, startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { workspace, type Workspace } from '../helpers/workspace.js';

let emu: TestEmulator;
let ws: Workspace;
const cli = (args: string[]) => runCli(args, { env: { SUPABASE_API_URL: emu.url, SUPABASE_ACCESS_TOKEN: TOKEN } });
const all = (r: CliResult) => r.stdout + r.stderr;
const writes = async () => (await loggedWrites(emu)).map((r) => [r.method, r.path.replace(/^\/v1\/projects\/[a-z]{20}/, ''), r.body]);

beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(async () => {
  await emu.close();
});
beforeEach(async () => {
  await emu.control('POST', '/_emulator/reset', { projects: [{ ref: REF, plan: 'pro' }, { ref: STAGING_REF, plan: 'free' }] });
  ws?.remove();
  ws = workspace();
});

/** plan → apply → plan → export → plan, returning the exported document. */
async function roundTrip(sections: string, expectedWrites: unknown[]): Promise<Record<string, unknown>> {
  const plan = await cli(['plan', '-c', ws.dir, '--detailed-exitcode']);
  expect(plan.code, all(plan)).toBe(2);
  await clearRequestLog(emu);
  const apply = await cli(['apply', '-c', ws.dir, '--yes']);
  expect(apply.code, all(apply)).toBe(0);
  expect(apply.stdout).not.toMatch(/not taken by the API/);
  expect(await writes()).toEqual(expectedWrites);
  const again = await cli(['plan', '-c', ws.dir, '--detailed-exitcode']);
  expect(again.code, all(again)).toBe(0);
  expect(again.stdout).toContain('No changes.');
  const target = workspace();
  try {
    const out = target.path('project.yaml');
    const exported = await cli(['export', '--project', REF, '--sections', sections, '--out', out]);
    expect(exported.code, exported.stderr).toBe(0);
    const fromExport = await cli(['plan', '-c', out, '--detailed-exitcode']);
    expect(fromExport.code, all(fromExport)).toBe(0);
    expect(fromExport.stdout).toContain('No changes.');
    return parse(readFileSync(out, 'utf8')) as Record<string, unknown>;
  } finally {
    target.remove();
  }
}

describe('storage', () => {
  it('round trip; a changed feature is sent whole, merged with its live keys', async () => {
    ws.write({ 'storage.yaml': `project: ${REF}\nstorage:\n  fileSizeLimit: 104857600\n  features:\n    icebergCatalog:\n      maxTables: 25\n    s3Protocol:\n      enabled: true\n` });
    const plan = await cli(['plan', '-c', ws.dir]);
    expect(plan.stdout).toContain('fileSizeLimit: 52428800 → 104857600');
    expect(plan.stdout).toContain('features.icebergCatalog.maxTables: 10 → 25');
    expect(plan.stdout).not.toContain('s3Protocol');
    const doc = await roundTrip('storage', [
      ['PATCH', '/config/storage', { fileSizeLimit: 104857600, features: { icebergCatalog: { enabled: true, maxNamespaces: 10, maxTables: 25, maxCatalogs: 2 } } }],
    ]);
    expect(doc.storage).toEqual({ fileSizeLimit: 104857600, features: { icebergCatalog: { maxTables: 25 } } });
    const live = await emu.call<{ features: Record<string, unknown> }>('GET', `/v1/projects/${REF}/config/storage`);
    expect(live.body.features.icebergCatalog).toEqual({ enabled: true, maxNamespaces: 10, maxTables: 25, maxCatalogs: 2 });
  });

  it('a free project beyond its plan gets a clear error for that project; the other is applied', async () => {
    ws.write({
      'pro.yaml': `project: ${REF}\nstorage:\n  fileSizeLimit: 104857600\n`,
      'free.yaml': `project: ${STAGING_REF}\nstorage:\n  fileSizeLimit: 104857600\n`,
    });
    await clearRequestLog(emu);
    const apply = await cli(['apply', '-c', ws.dir, '--yes']);
    expect(apply.code, all(apply)).toBe(1);
    expect(apply.stdout).toContain('fileSizeLimit cannot exceed 52428800 bytes on the free plan');
    expect(all(apply)).not.toMatch(/^\s+at /m);
    const applied = (await loggedWrites(emu)).filter((r) => r.status < 300).map((r) => r.path);
    expect(applied).toEqual([`/v1/projects/${REF}/config/storage`]);
  });
});

describe('realtime', () => {
  it('round trip over every kind of field', async () => {
    ws.write({ 'realtime.yaml': `project: ${REF}\nrealtime:\n  private_only: true\n  presence_enabled: true\n  connection_pool: 5\n  max_concurrent_users: 400\n  max_payload_size_in_kb: 1024\n` });
    const doc = await roundTrip('realtime', [
      ['PATCH', '/config/realtime', { connection_pool: 5, max_concurrent_users: 400, max_payload_size_in_kb: 1024, presence_enabled: true, private_only: true }],
    ]);
    expect(doc.realtime).toMatchObject({ private_only: true, presence_enabled: true, connection_pool: 5, max_concurrent_users: 400 });
  });

  it('turning private_only off is risky: refused unless allowed', async () => {
    await emu.control('POST', '/_emulator/reset', { projects: [{ ref: REF, realtime: { private_only: true } }] });
    ws.write({ 'realtime.yaml': `project: ${REF}\nrealtime:\n  private_only: false\n` });
    await clearRequestLog(emu);
    const refused = await cli(['apply', '-c', ws.dir, '--yes']);
    expect(refused.code).toBe(4);
    expect(refused.stdout).toMatch(/RISKY \(realtime\.private_only\.disabled\)/);
    expect(await loggedWrites(emu)).toEqual([]);
    ws.write({ 'realtime.yaml': `project: ${REF}\nallow_risky: [realtime.private_only]\nrealtime:\n  private_only: false\n` });
    const allowed = await cli(['apply', '-c', ws.dir, '--yes']);
    expect(allowed.code, all(allowed)).toBe(0);
    expect(await writes()).toEqual([['PATCH', '/config/realtime', { private_only: false }]]);
  });

  it('a limit above a free project’s plan is that project’s error', async () => {
    ws.write({ 'free.yaml': `project: ${STAGING_REF}\nrealtime:\n  max_concurrent_users: 10000\n` });
    const apply = await cli(['apply', '-c', ws.dir, '--yes']);
    expect(apply.code, all(apply)).toBe(1);
    expect(apply.stdout).toContain('max_concurrent_users cannot exceed 200 on the free plan');
  });
});
