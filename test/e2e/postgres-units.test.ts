/**
 * Postgres parameters with units (issue 17, item 12), end to end: a value Postgres would refuse is a
 * located configuration error before anything is sent; a number is accepted where the API wants a
 * numeric string; equal amounts in other units are no drift.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { REF, TOKEN, clearRequestLog, loggedWrites, startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { workspace, type Workspace } from '../helpers/workspace.js';

let emu: TestEmulator;
let ws: Workspace;
const cli = (args: string[]) => runCli(args, { env: { SUPABASE_API_URL: emu.url, SUPABASE_ACCESS_TOKEN: TOKEN } });

beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(async () => {
  await emu.close();
});
beforeEach(async () => {
  await emu.control('POST', '/_emulator/reset', { projects: [{ ref: REF, postgres: { work_mem: '1024MB', shared_buffers: '256MB' } }] });
  ws?.remove();
  ws = workspace();
});

describe('postgres units', () => {
  it('refuses a value without a valid unit in validate, plan and apply, located, before any request', async () => {
    ws.write({ 'pg.yaml': `project: ${REF}\npostgres:\n  work_mem: lots\n  statement_timeout: 10 s\n  checkpoint_timeout: 5MB\n  shared_buffers: 1gb\n` });
    emu.clearRequests();
    for (const cmd of [['validate'], ['plan'], ['apply', '--yes']]) {
      const r = await cli([...cmd, '-c', ws.dir]);
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toContain('pg.yaml:3:13: postgres.work_mem: must be a memory size such as 4096, 64MB or 1GB (units: B, kB, MB, GB, TB)');
      expect(r.stderr).toContain('pg.yaml:4:22: postgres.statement_timeout: must be a duration');
      expect(r.stderr).toContain('pg.yaml:5:23: postgres.checkpoint_timeout: must be a duration');
      expect(r.stderr).toContain('pg.yaml:6:19: postgres.shared_buffers: must be a memory size');
      expect(r.stderr).not.toMatch(/^\s+at /m);
    }
    expect(emu.requests()).toEqual([]);
  });

  it('accepts a number for a numeric string, sees 1GB = 1024MB, and converges', async () => {
    ws.write({ 'pg.yaml': `project: ${REF}\npostgres:\n  work_mem: 1GB\n  statement_timeout: 0\n  shared_buffers: 32768\n` });
    const plan = await cli(['plan', '-c', ws.dir, '--format', 'json']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(JSON.parse(plan.stdout).projects[0].sections[0].changes).toEqual([
      { path: 'statement_timeout', action: 'update', before: null, after: '0', sensitive: false },
    ]);
    await clearRequestLog(emu);
    const apply = await cli(['apply', '-c', ws.dir, '--yes']);
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    // The live overrides are kept as they are spelt; the new one is sent as the API's string.
    expect((await loggedWrites(emu)).map((r) => [r.method, r.body])).toEqual([['PUT', { work_mem: '1024MB', shared_buffers: '256MB', statement_timeout: '0' }]]);
    const again = await cli(['plan', '-c', ws.dir, '--detailed-exitcode']);
    expect(again.code, again.stdout).toBe(0);
    expect(again.stdout).toContain('No changes.');
  });
});
