/**
 * Issue 17, items 3 and 4, end to end against the emulator: a token of the wrong shape is refused
 * before any request, saying what is wrong (never what it is); a token the API refuses (401) is
 * reported once for the run, not once per section; `apply` asks only when something can be applied,
 * and asks on the terminal, never on stdout.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { REF, STAGING_REF, TOKEN, clearRequestLog, loggedRequests, loggedWrites, startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { cliCommand, runInTerminal } from '../helpers/pty.js';
import { workspace, type Workspace } from '../helpers/workspace.js';

const UNKNOWN_TOKEN = `sbp_${'5'.repeat(40)}`;
const PROMPT = 'Only "yes" will be accepted';

let emu: TestEmulator;
let ws: Workspace;

const twoProjects = {
  'a.yaml': `project: ${REF}\nauth:\n  site_url: https://app.example.com\npooler:\n  default_pool_size: 21\npostgres:\n  statement_timeout: 9s\n`,
  'b.yaml': `project: ${STAGING_REF}\nauth:\n  site_url: https://staging.example.com\npooler:\n  default_pool_size: 11\n`,
};
const env = (token = TOKEN) => ({ SUPABASE_API_URL: emu.url, SUPABASE_ACCESS_TOKEN: token });

beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(async () => {
  await emu.close();
});
beforeEach(async () => {
  await emu.control('POST', '/_emulator/reset', {
    projects: [{ ref: REF, plan: 'pro', auth: { password_min_length: 12 } }, { ref: STAGING_REF, plan: 'pro' }],
    tokens: [{ token: TOKEN }],
  });
  ws?.remove();
  ws = workspace(twoProjects);
  await clearRequestLog(emu);
});

describe('one token mistake, one message', () => {
  it.each([
    ['plan', ['plan']],
    ['apply', ['apply', '--yes']],
  ])('%s: a malformed token is refused before any request (exit 3), naming what is wrong, never the token', async (_name, args) => {
    const token = `sbp_${'AB12'.repeat(10)}`;
    const run = await runCli([...args, '-c', ws.dir], { env: env(token) });
    expect(run.code).toBe(3);
    expect(run.stderr.trim()).toBe(
      'Error: the access token from SUPABASE_ACCESS_TOKEN is not a Supabase access token: the hex after "sbp_" has capital letters; access tokens are lower-case; ' +
        'expected "sbp_" and 40 lower-case hex characters (a personal access token, from the dashboard\'s Account → Access Tokens) or "sbp_oauth_" and 40 (an OAuth access token)',
    );
    expect(run.stdout + run.stderr).not.toContain('AB12AB12');
    expect(await loggedRequests(emu)).toEqual([]);
  });

  it('an OAuth access token (sbp_oauth_ + 40 hex) is accepted, as the official CLI accepts it', async () => {
    const oauth = `sbp_oauth_${'0c'.repeat(20)}`;
    await emu.control('POST', '/_emulator/reset', { projects: [{ ref: REF, plan: 'pro' }, { ref: STAGING_REF, plan: 'pro' }], tokens: [{ token: oauth }] });
    const run = await runCli(['plan', '-c', ws.dir], { env: env(oauth) });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Plan:');
  });

  it('plan: a refused token (401) is one line that says to check the token, and the run stops asking', async () => {
    const run = await runCli(['plan', '-c', ws.dir, '--max-in-flight', '1'], { env: env(UNKNOWN_TOKEN) });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      'Error: the API did not accept the access token (401 Unauthorized): check the token in SUPABASE_ACCESS_TOKEN — is it expired, revoked, or for another account?\n',
    );
    expect(run.stderr).not.toContain(UNKNOWN_TOKEN);
    // Five sections in two projects, one request: nothing else was sent with a token the API refused.
    expect((await loggedRequests(emu)).map((r) => r.status)).toEqual([401]);
  });

  it('plan --out: the file says why there is no plan', async () => {
    const out = ws.path('plan.md');
    const run = await runCli(['plan', '-c', ws.dir, '--format', 'markdown', '--out', out], { env: env(UNKNOWN_TOKEN) });
    expect(run.code).toBe(1);
    expect(run.stderr.match(/check the token/g)).toHaveLength(1);
    expect(readFileSync(out, 'utf8')).toContain('the API did not accept the access token (401 Unauthorized): check the token in SUPABASE_ACCESS_TOKEN');
  });

  it('apply and export: the same one line, naming --token-file when the token came from there', async () => {
    ws.write({ token: `${UNKNOWN_TOKEN}\n` });
    const apply = await runCli(['apply', '-c', ws.dir, '--yes', '--token-file', ws.path('token')], { env: env() });
    expect(apply.code).toBe(1);
    expect(apply.stderr).toBe(
      `Error: the API did not accept the access token (401 Unauthorized): check the token in the token file ${ws.path('token')} — is it expired, revoked, or for another account?\n`,
    );
    expect(await loggedWrites(emu)).toEqual([]);
    const exported = await runCli(['export', '--project', REF], { env: env(UNKNOWN_TOKEN) });
    expect(exported.code).toBe(1);
    expect(exported.stderr.match(/Error: /g)).toHaveLength(1);
    expect(exported.stderr).toContain('check the token in SUPABASE_ACCESS_TOKEN');
  });
});

describe('apply asks only when something can be applied, and never on stdout', () => {
  it('every change refused: says so and exits 4 without asking, on a terminal', async () => {
    ws.remove();
    ws = workspace({ 'a.yaml': `project: ${REF}\nauth:\n  password_min_length: 8\npooler:\n  default_pool_size: 21\n` });
    const run = await runInTerminal(cliCommand(['apply', '-c', ws.dir]), { env: env() });
    expect(run.code, run.output).toBe(4);
    expect(run.output).not.toContain(PROMPT);
    expect(run.output).toContain('Nothing to apply: every project with changes holds a risky change that is not allowed (allow it with allow_risky, or --allow-risky). Nothing was written and no confirmation is asked.');
    expect(await loggedWrites(emu)).toEqual([]);
  });

  it('every project failed: says so and exits 1 without asking, on a terminal', async () => {
    // A 400 is not retried: the read fails at once.
    await emu.control('POST', '/_emulator/faults', [{ method: 'GET', path: '/config/auth$', status: 400, body: { message: 'bad request' } }]);
    try {
      const run = await runInTerminal(cliCommand(['apply', '-c', ws.dir]), { env: env() });
      expect(run.code, run.output).toBe(1);
      expect(run.output).not.toContain(PROMPT);
      expect(run.output).toContain('Nothing to apply: no project could be planned.');
      expect(await loggedWrites(emu)).toEqual([]);
    } finally {
      await emu.control('DELETE', '/_emulator/faults');
    }
  });

  it('stdout piped or redirected: the plan and the question are on the terminal, stdout has the plan only', async () => {
    const out = ws.path('stdout.txt');
    const run = await runInTerminal(`${cliCommand(['apply', '-c', ws.dir])} > ${JSON.stringify(out)}`, { env: env(), answer: { when: PROMPT, text: 'no' } });
    expect(run.code, run.output).toBe(4);
    expect(run.output).toContain('Plan: 0 to create, 5 to update, 0 to delete (5 changes).');
    expect(run.output).toContain(`Do you want to apply these changes? ${PROMPT}`);
    expect(run.output).toContain('apply cancelled');
    const stdout = readFileSync(out, 'utf8');
    expect(stdout).toContain('Plan: 0 to create, 5 to update, 0 to delete (5 changes).');
    expect(stdout).not.toContain('Do you want');
    expect(await loggedWrites(emu)).toEqual([]);
  });
});
