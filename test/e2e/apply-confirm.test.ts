/**
 * Issue 17 item 15: apply confirms what it wrote. A change the API answered but did not take (it
 * still differs when the section is read again), or one that cannot be confirmed, is a failed
 * section: exit 1, said in the report, `error` E_NOT_TAKEN / E_NOT_CONFIRMED and `not_taken` in
 * `apply --format json` (valid against the documented schema, snake_case). Faults are the
 * emulator's own (`POST /_emulator/faults`): a PUT answered 200 the way the API answers it, but not
 * applied; a read after the write that fails.
 */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ROOT, runCli, type CliResult } from '../helpers/cli.js';
import { REF, TOKEN, startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { workspace, type Workspace } from '../helpers/workspace.js';

let emu: TestEmulator;
let ws: Workspace;
const cli = (args: string[]) => runCli(args, { env: { SUPABASE_API_URL: emu.url, SUPABASE_ACCESS_TOKEN: TOKEN } });
const all = (r: CliResult) => r.stdout + r.stderr;
const SSL = '/ssl-enforcement$';

interface JsonSection {
  section: string;
  status: string;
  error?: { kind: string; code: string; message: string };
  not_taken?: string[];
}
interface ApplyJson {
  outcome: { projects: Array<{ ref: string; status: string; sections: JsonSection[] }> };
}

const faults = (rules: unknown) => emu.control('POST', '/_emulator/faults', rules);
const sslNow = async () => (await emu.call<{ currentConfig: { database: boolean } }>('GET', `/v1/projects/${REF}/ssl-enforcement`)).body.currentConfig.database;

beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(async () => {
  await emu.close();
});
beforeEach(async () => {
  await emu.control('POST', '/_emulator/reset', { projects: [{ ref: REF, plan: 'pro' }] });
  ws?.remove();
  ws = workspace({ 'project.yaml': `project: ${REF}\nssl_enforcement:\n  database: true\nauth:\n  site_url: https://app.example.com\n` });
});

describe('apply confirms what it wrote (issue 17 item 15)', () => {
  it('an SSL enforcement change the API answered but did not take fails its section: exit 1, the other section applied', async () => {
    // Answered as the API answers a PUT — but nothing is applied.
    await faults({ method: 'PUT', path: SSL, status: 200, body: { currentConfig: { database: false }, appliedSuccessfully: true } });
    const r = await cli(['apply', '-c', ws.dir, '--yes']);
    expect(r.code, all(r)).toBe(1);
    expect(r.stdout).toContain(
      `${REF}: failed — auth: 1 change applied; ssl_enforcement: failed (the API answered but did not take this change: database still differs after apply)`,
    );
    expect(r.stdout).toMatch(/Apply complete: 1 change applied to 1 project\. Projects: 0 changed, 0 unchanged, 0 drifted \(observe mode\), 0 refused, 1 failed\.\n$/);
    expect(await sslNow()).toBe(false);
  });

  it('apply --format json says so in snake_case, valid against the documented schema', async () => {
    await faults({ method: 'PUT', path: SSL, status: 200, body: { currentConfig: { database: false }, appliedSuccessfully: true } });
    const r = await cli(['apply', '-c', ws.dir, '--yes', '--format', 'json']);
    expect(r.code, all(r)).toBe(1);
    const report = JSON.parse(r.stdout) as ApplyJson;
    const validate = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(`${ROOT}/docs/plan-format.schema.json`, 'utf8')) as object);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(r.stdout).not.toMatch(/"[a-z]+[A-Z][A-Za-z]*":/);
    const project = report.outcome.projects[0]!;
    expect(project.status).toBe('error');
    expect(project.sections.find((s) => s.section === 'ssl_enforcement')).toEqual({
      section: 'ssl_enforcement',
      status: 'error',
      changes: 1,
      requests: 1,
      error: { kind: 'api', code: 'E_NOT_TAKEN', message: 'the API answered but did not take this change: database still differs after apply' },
      not_taken: ['database'],
      warnings: [],
    });
    expect(project.sections.find((s) => s.section === 'auth')).toMatchObject({ status: 'applied', changes: 1 });
  });

  it('a change that cannot be confirmed (the read after the write fails) fails its section too', async () => {
    // The plan's read goes through; every later read of the section is refused.
    await faults([
      { method: 'GET', path: SSL, delay_ms: 0, times: 1 },
      { method: 'GET', path: SSL, status: 404, body: { message: 'Not found' } },
    ]);
    const r = await cli(['apply', '-c', ws.dir, '--yes']);
    expect(r.code, all(r)).toBe(1);
    expect(r.stdout).toMatch(/ssl_enforcement: failed \(written, but not confirmed: GET \/v1\/projects\/[a-z]{20}\/ssl-enforcement failed 404/);
    await emu.control('DELETE', '/_emulator/faults');
    expect(await sslNow()).toBe(true); // it was written: only its confirmation failed
  });

  it('a change taken is applied, exit 0; applying again finds nothing to do', async () => {
    const r = await cli(['apply', '-c', ws.dir, '--yes']);
    expect(r.code, all(r)).toBe(0);
    expect(r.stdout).toContain(`${REF}: changed — auth: 1 change applied; ssl_enforcement: 1 change applied`);
    expect(await sslNow()).toBe(true);
    const again = await cli(['plan', '-c', ws.dir, '--detailed-exitcode']);
    expect(again.code, all(again)).toBe(0);
  });
});
