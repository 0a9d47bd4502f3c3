/**
 * The backup schedule end to end against the emulator (issue 16, item 7): plan → apply → plan →
 * export → plan; a time that is not HH:MM:SS refused before any request; a plan without the feature
 * (402) unsupported for that project while another is reconciled.
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

beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(async () => {
  await emu.close();
});
beforeEach(async () => {
  await emu.control('POST', '/_emulator/reset', { projects: [{ ref: REF, plan: 'pro', backup_schedule: { schedule_for: '13:00:00' } }, { ref: STAGING_REF, plan: 'free' }] });
  ws?.remove();
  ws = workspace();
});

describe('backups', () => {
  it('plan → apply → plan → export → plan', async () => {
    // YAML 1.2: an unquoted 04:30:00 is a string, as the API wants it.
    ws.write({ 'backups.yaml': `project: ${REF}\nbackups:\n  schedule_for: 04:30:00\n` });
    const plan = await cli(['plan', '-c', ws.dir, '--detailed-exitcode']);
    expect(plan.code, all(plan)).toBe(2);
    expect(plan.stdout).toContain('schedule_for: "13:00:00" → "04:30:00"');
    expect(plan.stdout).toMatch(/ {2}~ backups: 1 to update\n.*\n {6}note: the backup schedule can be changed 3 times in 24 hours/);
    await clearRequestLog(emu);
    const apply = await cli(['apply', '-c', ws.dir, '--yes']);
    expect(apply.code, all(apply)).toBe(0);
    expect((await loggedWrites(emu)).map((r) => [r.method, r.path, r.body])).toEqual([['PATCH', `/v1/projects/${REF}/database/backups/schedule`, { schedule_for: '04:30:00' }]]);
    expect((await cli(['plan', '-c', ws.dir, '--detailed-exitcode'])).code).toBe(0);
    const target = workspace();
    try {
      const out = target.path('project.yaml');
      const exported = await cli(['export', '--project', REF, '--sections', 'backups', '--out', out]);
      expect(exported.code, exported.stderr).toBe(0);
      expect((parse(readFileSync(out, 'utf8')) as { backups: unknown }).backups).toEqual({ schedule_for: '04:30:00' });
      const back = await cli(['plan', '-c', out, '--detailed-exitcode']);
      expect(back.code, all(back)).toBe(0);
      expect(back.stdout).toContain('No changes.');
    } finally {
      target.remove();
    }
  });

  it('refuses a time that is not HH:MM:SS before any request, located', async () => {
    ws.write({ 'backups.yaml': `project: ${REF}\nbackups:\n  schedule_for: 4am\n` });
    emu.clearRequests();
    const r = await cli(['plan', '-c', ws.dir]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('backups.yaml:3:17: backups.schedule_for: must be a time of day in UTC, HH:MM:SS (e.g. 04:00:00)');
    expect(emu.requests()).toEqual([]);
  });

  it('a project whose plan lacks the feature is unsupported (exit 1, its own error); the other is applied; export skips it', async () => {
    ws.write({
      'pro.yaml': `project: ${REF}\nbackups:\n  schedule_for: "02:00:00"\n`,
      'free.yaml': `project: ${STAGING_REF}\nbackups:\n  schedule_for: "02:00:00"\n`,
    });
    await clearRequestLog(emu);
    const apply = await cli(['apply', '-c', ws.dir, '--yes']);
    expect(apply.code, all(apply)).toBe(1);
    expect(apply.stdout).toContain(`the backup schedule is not available for project ${STAGING_REF} on its current plan (Feature requires a higher plan)`);
    expect((await loggedWrites(emu)).map((r) => r.path)).toEqual([`/v1/projects/${REF}/database/backups/schedule`]);
    const exported = await cli(['export', '--project', STAGING_REF, '--sections', 'backups,realtime']);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stderr).toMatch(/Skipped backups: the backup schedule is not available/);
  });
});
