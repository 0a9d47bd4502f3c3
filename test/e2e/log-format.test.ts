/**
 * Issue 17 item 1: `--log-format json|pretty` (env SUPASYNC_LOG_FORMAT). On a terminal the default is
 * pretty — one short coloured line per event, through pino-pretty; through a pipe it is pino's JSON,
 * one object per line, as Kubernetes and CI read it. The event here: a retried read (a 503 answered
 * once), logged by `plan --log-level info` on stderr.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { REF, TOKEN, startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { cliCommand, runInTerminal } from '../helpers/pty.js';
import { workspace, type Workspace } from '../helpers/workspace.js';

let emu: TestEmulator;
let ws: Workspace;
const env = () => ({ SUPABASE_API_URL: emu.url, SUPABASE_ACCESS_TOKEN: TOKEN });
const plan = (...more: string[]) => ['plan', '-c', ws.dir, '--log-level', 'info', ...more];
const RETRY_LINE = new RegExp(`^\\[\\d\\d:\\d\\d:\\d\\d\\] WARN: ${REF} retrying GET …/config/auth \\(503\\) in \\d+ ms, attempt 2/5$`, 'm');

beforeAll(async () => {
  emu = await startTestEmulator();
  ws = workspace({ 'auth.yaml': `project: ${REF}\nauth:\n  site_url: https://app.example.com\n` });
});
afterAll(async () => {
  ws.remove();
  await emu.close();
});
beforeEach(async () => {
  await emu.control('DELETE', '/_emulator/faults');
  await emu.control('POST', '/_emulator/faults', [{ method: 'GET', path: '/config/auth$', status: 503, body: { message: 'try again' }, times: 1 }]);
});

describe('--log-format', () => {
  it('on a terminal: pretty by default, one coloured line per event, no JSON', async () => {
    const run = await runInTerminal(cliCommand(plan()), { env: env() });
    expect(run.code, run.output).toBe(0);
    // Coloured: the level in yellow, the message in cyan (pino-pretty's colours).
    expect(run.output).toMatch(new RegExp(`\\[\\d\\d:\\d\\d:\\d\\d\\] \\u001b\\[33mWARN\\u001b\\[39m: \\u001b\\[36m${REF} retrying GET …/config/auth \\(503\\) in \\d+ ms, attempt 2/5\\u001b\\[39m\\n`));
    expect(run.output).not.toContain('{"level"');
    expect(run.output).toContain('Plan: 0 to create, 1 to update, 0 to delete (1 change).');
  });

  it('on a terminal with NO_COLOR: the same line without colour', async () => {
    const run = await runInTerminal(cliCommand(plan()), { env: { ...env(), NO_COLOR: '1' } });
    expect(run.output).toMatch(RETRY_LINE);
  });

  it('through a pipe: pino JSON by default, every line an object', async () => {
    const run = await runCli(plan(), { env: env() });
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stderr.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 'warn', name: 'supasync', msg: 'api retry', method: 'GET', path: `/v1/projects/${REF}/config/auth`, status: 503, attempt: 1, maxAttempts: 5 }),
    );
    expect(run.stdout).toContain('Plan: 0 to create, 1 to update, 0 to delete (1 change).');
  });

  it('--log-format json on a terminal, and SUPASYNC_LOG_FORMAT=pretty through a pipe (before or after the command)', async () => {
    const json = await runInTerminal(cliCommand(['--log-format', 'json', ...plan()]), { env: env() });
    expect(json.output).toMatch(/^\{"level":"warn","time":"[^"]+","name":"supasync","method":"GET",.*"msg":"api retry"\}$/m);
    await emu.control('POST', '/_emulator/faults', [{ method: 'GET', path: '/config/auth$', status: 503, times: 1 }]);
    const pretty = await runCli(plan(), { env: { ...env(), SUPASYNC_LOG_FORMAT: 'pretty' } });
    expect(pretty.stderr).toMatch(RETRY_LINE);
    await emu.control('POST', '/_emulator/faults', [{ method: 'GET', path: '/config/auth$', status: 503, times: 1 }]);
    const after = await runCli([...plan(), '--log-format', 'pretty'], { env: env() });
    expect(after.stderr).toMatch(RETRY_LINE);
  });

  it('a format that does not exist is a usage error (exit 3), from the flag or the environment', async () => {
    const flag = await runCli(['--log-format', 'yaml', ...plan()], { env: env() });
    expect(flag.code).toBe(3);
    expect(flag.stderr).toMatch(/option '--log-format <format>' argument 'yaml' is invalid\. Allowed choices are json, pretty\./);
    const fromEnv = await runCli(plan(), { env: { ...env(), SUPASYNC_LOG_FORMAT: 'text' } });
    expect(fromEnv.code).toBe(3);
    expect(fromEnv.stderr).toMatch(/value 'text' from env 'SUPASYNC_LOG_FORMAT' is invalid\. Allowed choices are json, pretty\./);
  });
});
