/**
 * Issue 4, end to end: the built CLI against the emulator over HTTP. plan → apply → plan converges,
 * with exactly the minimal requests; secrets stay hidden; observe mode writes nothing; exit codes.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hashAuthSecret } from '../../src/emulator/hashing.js';
import { REDACTED } from '../../src/emulator/redact.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { REF, STAGING_REF, TOKEN, clearRequestLog, loggedRequests, loggedWrites, startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { workspace, type Workspace } from '../helpers/workspace.js';


const CANARY = 'canary-smtp-9f3b1e77';
const SCHEMA = '# yaml-language-server: $schema=../config.schema.json\n';

const seed = {
  projects: [
    {
      ref: REF,
      plan: 'pro',
      auth: { site_url: 'https://old.example.com', jwt_exp: 3600, smtp_pass: 'initial-password' },
      postgres: { shared_buffers: '256MB', statement_timeout: '8s' },
      pooler: { default_pool_size: 15, pool_mode: 'transaction' },
    },
    { ref: STAGING_REF, plan: 'pro' },
  ],
};

const config = `${SCHEMA}project: ${REF}
auth:
  site_url: https://app.example.com
  jwt_exp: 3600
  smtp_pass: \${SMTP_PASS}
  uri_allow_list:
    - https://app.example.com/callback
postgres:
  statement_timeout: 10s
pooler:
  default_pool_size: 25
  pool_mode: transaction
`;

let emu: TestEmulator;
let ws: Workspace;

const env = (extra: Record<string, string> = {}) => ({
  SUPABASE_API_URL: emu.url,
  SUPABASE_ACCESS_TOKEN: TOKEN,
  SMTP_PASS: CANARY,
  ...extra,
});
const cli = (args: string[], extra: Record<string, string> = {}) => runCli(args, { env: env(extra) });
const requests = () => loggedRequests(emu);
const writes = () => loggedWrites(emu);
const clearLog = () => clearRequestLog(emu);
const everything = (r: CliResult) => r.stdout + r.stderr;

beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(async () => {
  await emu.close();
});
beforeEach(async () => {
  await emu.control('POST', '/_emulator/reset', seed);
  ws?.remove();
  ws = workspace({ 'project.yaml': config });
});

describe('plan → apply → plan', () => {
  it('plans exactly the drifted keys, applies them with minimal requests, then converges', async () => {
    const before = (await emu.call<Record<string, unknown>>('GET', `/v1/projects/${REF}/config/auth`)).body;
    await clearLog();

    const plan = await cli(['plan', '-c', ws.dir, '--detailed-exitcode', '--format', 'json']);
    expect(plan.code, plan.stderr).toBe(2);
    const parsed = JSON.parse(plan.stdout);
    const paths = parsed.projects[0].sections.map((s: { section: string; changes: { path: string }[] }) => [
      s.section,
      s.changes.map((c) => c.path),
    ]);
    expect(paths).toEqual([
      ['auth', ['site_url', 'smtp_pass', 'uri_allow_list']],
      ['postgres', ['statement_timeout']],
      ['pooler', ['default_pool_size']],
    ]);
    // plan reads one GET per managed section and writes nothing.
    expect((await requests()).map((r) => `${r.method} ${r.path}`).sort()).toEqual([
      `GET /v1/projects/${REF}/config/auth`,
      `GET /v1/projects/${REF}/config/database/pooler`,
      `GET /v1/projects/${REF}/config/database/postgres`,
    ]);

    await clearLog();
    const apply = await cli(['apply', '-c', ws.dir, '--yes']);
    expect(apply.code, everything(apply)).toBe(0);
    expect(apply.stdout).toContain('Apply complete: 5 changes applied to 1 project. Projects: 1 changed, 0 unchanged');
    const sent = await writes();
    expect(sent.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      `PATCH /v1/projects/${REF}/config/auth 200`,
      `PUT /v1/projects/${REF}/config/database/postgres 200`,
      `PATCH /v1/projects/${REF}/config/database/pooler 200`,
    ]);
    // The request log never holds a secret value; the value that arrived shows as its HMAC below.
    expect(sent[0]!.body).toEqual({
      site_url: 'https://app.example.com',
      smtp_pass: REDACTED,
      uri_allow_list: 'https://app.example.com/callback',
    });
    // PUT replaces the override set: the live overrides the YAML does not mention are kept.
    expect(sent[1]!.body).toEqual({ shared_buffers: '256MB', statement_timeout: '10s' });
    expect(sent[2]!.body).toEqual({ default_pool_size: 25 });

    const again = await cli(['plan', '-c', ws.dir, '--detailed-exitcode']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('No changes.');

    // Keys absent from the YAML are unchanged.
    const after = (await emu.call<Record<string, unknown>>('GET', `/v1/projects/${REF}/config/auth`)).body;
    const managed = new Set(['site_url', 'smtp_pass', 'uri_allow_list']);
    for (const key of Object.keys(before)) if (!managed.has(key)) expect(after[key], key).toEqual(before[key]);
    expect(after.smtp_pass).toBe(hashAuthSecret(REF, CANARY));
    const overrides = (await emu.call('GET', `/v1/projects/${REF}/config/database/postgres`)).body;
    expect(overrides).toEqual({ shared_buffers: '256MB', statement_timeout: '10s' });
  });

  it('writes nothing to a converged project', async () => {
    expect((await cli(['apply', '-c', ws.dir, '--yes'])).code).toBe(0);
    await clearLog();
    const apply = await cli(['apply', '-c', ws.dir, '--yes']);
    expect(apply.code).toBe(0);
    expect(apply.stdout).toContain('No changes.');
    expect(await writes()).toEqual([]);
  });

  it('shows a changed ${VAR} secret as exactly one sensitive change and never its value', async () => {
    expect((await cli(['apply', '-c', ws.dir, '--yes'])).code).toBe(0);
    const rotated = 'canary-rotated-51c2d0aa';
    const outFile = ws.path('plan.json');
    for (const format of ['text', 'markdown', 'json']) {
      const plan = await cli(['plan', '-c', ws.dir, '--detailed-exitcode', '--format', format, '--out', outFile, '--log-level', 'trace'], { SMTP_PASS: rotated });
      expect(plan.code, plan.stderr).toBe(2);
      expect(everything(plan)).toContain('smtp_pass');
      expect(everything(plan)).toContain(format === 'json' ? '"sensitive": true' : '(sensitive value)');
      for (const text of [everything(plan), readFileSync(outFile, 'utf8')]) {
        expect(text).not.toContain(rotated);
        expect(text).not.toContain(CANARY);
      }
    }
    const json = await cli(['plan', '-c', ws.dir, '--format', 'json'], { SMTP_PASS: rotated });
    const changes = JSON.parse(json.stdout).projects[0].sections.flatMap((s: { changes: unknown[] }) => s.changes);
    expect(changes).toEqual([{ path: 'smtp_pass', action: 'update', sensitive: true, before_set: true }]);
  });

  it('keeps the canary out of every output on failure paths', async () => {
    await emu.control('POST', '/_emulator/faults', [{ method: 'PATCH', path: '/config/auth$', status: 500, body: { message: 'boom' } }]);
    const apply = await cli(['apply', '-c', ws.dir, '--yes', '--log-level', 'trace']);
    expect(apply.code).toBe(1);
    expect(everything(apply)).toMatch(/PATCH \/v1\/projects\/\w+\/config\/auth failed 500: boom/);
    expect(everything(apply)).not.toContain(CANARY);
    expect(everything(apply)).not.toContain(TOKEN);
    expect(everything(apply)).not.toMatch(/\n\s+at /);
  });
});

describe('observe mode', () => {
  it('reports drift and writes nothing', async () => {
    ws.write({ 'project.yaml': config.replace('pooler:\n', 'pooler:\n  mode: observe\n') });
    const plan = await cli(['plan', '-c', ws.dir]);
    expect(plan.stdout).toMatch(/pooler: 1 change drifted \(observe mode/);
    expect(plan.stdout).toContain('default_pool_size: 15 → 25');
    await clearLog();
    const apply = await cli(['apply', '-c', ws.dir, '--yes']);
    expect(apply.code).toBe(0);
    expect((await writes()).map((r) => r.path)).not.toContain(`/v1/projects/${REF}/config/database/pooler`);
    expect(apply.stdout).toMatch(/pooler: 1 change drifted \(observe mode: not applied\)/);
  });
});

describe('exit codes', () => {
  it('0: nothing to change', async () => {
    await cli(['apply', '-c', ws.dir, '--yes']);
    expect((await cli(['plan', '-c', ws.dir, '--detailed-exitcode'])).code).toBe(0);
  });

  it('1: an API error, reported per project while the others are still planned', async () => {
    ws.write({ 'staging.yaml': `project: ${STAGING_REF}\npooler:\n  default_pool_size: 30\n` });
    await emu.control('POST', '/_emulator/faults', [{ path: `${REF}/config/database/pooler$`, status: 403, body: { message: 'Forbidden resource' } }]);
    const plan = await cli(['plan', '-c', ws.dir]);
    expect(plan.code).toBe(1);
    expect(plan.stdout).toContain('failed 403: Forbidden resource');
    expect(plan.stdout).toContain('default_pool_size: (not set) → 30');
    await clearLog();
    const apply = await cli(['apply', '-c', ws.dir, '--yes']);
    expect(apply.code).toBe(1);
    // Nothing is written to the project whose read failed; the other one is reconciled.
    expect((await writes()).map((r) => r.path)).toEqual([`/v1/projects/${STAGING_REF}/config/database/pooler`]);
  });

  it('1: a rejected token (well-formed, but not one the API knows)', async () => {
    const unknown = `sbp_${'7'.repeat(40)}`;
    await emu.control('POST', '/_emulator/reset', { ...seed, tokens: [{ token: TOKEN }] });
    const plan = await cli(['plan', '-c', ws.dir], { SUPABASE_ACCESS_TOKEN: unknown });
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain('401');
    expect(everything(plan)).not.toContain(unknown);
  });

  it('3: a token of the wrong shape, before any request', async () => {
    await clearLog();
    const plan = await cli(['plan', '-c', ws.dir], { SUPABASE_ACCESS_TOKEN: 'not-a-token' });
    expect(plan.code).toBe(3);
    expect(plan.stderr).toMatch(/not a Supabase access token: it does not start with "sbp_"/);
    expect(everything(plan)).not.toContain('not-a-token');
    expect(await requests()).toEqual([]);
  });

  it('2: changes pending with --detailed-exitcode only', async () => {
    expect((await cli(['plan', '-c', ws.dir, '--detailed-exitcode'])).code).toBe(2);
    expect((await cli(['plan', '-c', ws.dir])).code).toBe(0);
  });

  it('3: invalid configuration, before any request', async () => {
    ws.write({ 'project.yaml': config.replace('jwt_exp: 3600', 'jwt_exp: soon') });
    await clearLog();
    const plan = await cli(['plan', '-c', ws.dir]);
    expect(plan.code).toBe(3);
    expect(plan.stderr).toMatch(/project\.yaml:5:\d+: auth\.jwt_exp: /);
    expect(await requests()).toEqual([]);
  });

  it('3: usage — an unknown --project, a missing token, an unknown flag', async () => {
    expect((await cli(['plan', '-c', ws.dir, '--project', 'nosuchprojectrefxxxx'])).code).toBe(3);
    const noToken = await runCli(['plan', '-c', ws.dir], { env: { SUPABASE_API_URL: emu.url, SUPABASE_ACCESS_TOKEN: '', SMTP_PASS: 'x' } });
    expect(noToken.code).toBe(3);
    expect(noToken.stderr).toMatch(/token/i);
    expect((await cli(['plan', '-c', ws.dir, '--colour'])).code).toBe(3);
  });

  it('4: apply without a terminal and without --yes refuses and writes nothing', async () => {
    await clearLog();
    const apply = await cli(['apply', '-c', ws.dir]);
    expect(apply.code).toBe(4);
    expect(apply.stderr).toMatch(/--yes/);
    expect(await writes()).toEqual([]);
  });
});

describe('--project and --out', () => {
  it('plans only the projects asked for and writes the markdown plan to a file', async () => {
    ws.write({ 'staging.yaml': `project: ${STAGING_REF}\npooler:\n  default_pool_size: 30\n` });
    const out = ws.path('plan.md');
    const plan = await cli(['plan', '-c', ws.dir, '--project', STAGING_REF, '--format', 'markdown', '--out', out]);
    expect(plan.code).toBe(0);
    const md = readFileSync(out, 'utf8');
    expect(md.startsWith('<!-- supasync-plan -->')).toBe(true);
    expect(md).toContain(STAGING_REF);
    expect(md).not.toContain(REF);
  });
});
