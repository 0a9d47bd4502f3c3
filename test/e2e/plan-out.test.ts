/**
 * Issue 13 item 8 and issue 17 item 6 (last sentence): `plan --out FILE` writes a NEW file (temp +
 * fsync + rename), never through a symlink, refuses a target that is not a regular file (exit 3,
 * nothing written), and when the configuration is invalid writes the located errors instead of
 * leaving a stale plan for a PR comment to publish.
 */
import { execFileSync } from 'node:child_process';
import { linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MARKDOWN_MARKER } from '../../src/reconcile/render/markdown.js';
import { PLAN_FORMAT_VERSION } from '../../src/reconcile/types.js';
import { runCli } from '../helpers/cli.js';
import { REF, TOKEN, startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { workspace, type Workspace } from '../helpers/workspace.js';

const TOKEN_FILE_TEXT = 'sbp_runner_secret_token_do_not_publish_0000';
const VALID = `project: ${REF}\nauth:\n  site_url: https://app.example.com\n`;
const INVALID = `project: ${REF}\nauth:\n  site_url: https://app.example.com\n  jwt_exp_typo: 3600\n`;

let emu: TestEmulator;
let ws: Workspace;
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(async () => {
  await emu.close();
});
beforeEach(() => {
  ws = workspace();
  mkdirSync(ws.path('checkout'));
  mkdirSync(ws.path('runner'));
  // A file of the runner's that a pull request must never be able to overwrite or publish.
  writeFileSync(ws.path('runner/token'), TOKEN_FILE_TEXT, { mode: 0o600 });
});
afterEach(() => ws.remove());

const plan = (config: string, out: string, format = 'markdown') => {
  ws.write({ 'checkout/config/auth.yaml': config });
  return runCli(['plan', '-c', ws.path('checkout/config'), '--format', format, '--out', out], {
    // No commit from the environment of the machine running the tests.
    env: { SUPABASE_API_URL: emu.url, SUPABASE_ACCESS_TOKEN: TOKEN, GITHUB_SHA: undefined, CI_COMMIT_SHA: undefined },
  });
};
const entries = (dir: string) => readdirSync(ws.path(dir)).sort();

describe('plan --out refuses what it must not write to', () => {
  for (const [name, config] of [['valid', VALID], ['invalid', INVALID]] as const) {
    it(`a symlink to a runner file, with a ${name} configuration: exit 3, nothing written, nothing published`, async () => {
      symlinkSync(ws.path('runner/token'), ws.path('checkout/plan.md'));
      const result = await plan(config, ws.path('checkout/plan.md'));
      expect(result.code).toBe(3);
      expect(result.stderr).toContain(`--out ${ws.path('checkout/plan.md')} is a symbolic link; refusing to write to it (nothing written)`);
      expect(result.stdout + result.stderr).not.toContain(TOKEN_FILE_TEXT);
      expect(readFileSync(ws.path('runner/token'), 'utf8')).toBe(TOKEN_FILE_TEXT);
      expect(readlinkSync(ws.path('checkout/plan.md'))).toBe(ws.path('runner/token'));
      expect(entries('checkout')).toEqual(['config', 'plan.md']); // no temp file left either
      expect(result.stderr).not.toMatch(/Internal error|\n\s+at /);
    });
  }

  it('a dangling symlink (where a write would create the file it points at)', async () => {
    symlinkSync(ws.path('runner/created-by-pr'), ws.path('checkout/plan.md'));
    const result = await plan(VALID, ws.path('checkout/plan.md'));
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/is a symbolic link/);
    expect(entries('runner')).toEqual(['token']);
  });

  it('a directory and a FIFO (which would block a plain open)', async () => {
    mkdirSync(ws.path('checkout/dir.md'));
    const dir = await plan(VALID, ws.path('checkout/dir.md'));
    expect(dir.code).toBe(3);
    expect(dir.stderr).toMatch(/dir\.md is a directory; refusing/);
    execFileSync('mkfifo', [ws.path('checkout/fifo.md')]);
    const fifo = await plan(VALID, ws.path('checkout/fifo.md'));
    expect(fifo.code).toBe(3);
    expect(fifo.stderr).toMatch(/fifo\.md is not a regular file/);
    expect(lstatSync(ws.path('checkout/fifo.md')).isFIFO()).toBe(true);
  });

  it('a missing directory, clearly', async () => {
    const result = await plan(VALID, ws.path('checkout/nope/plan.md'));
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('cannot create the file (its directory does not exist)');
  });
});

describe('export --out', () => {
  it('refuses a symlink too, and writes a new file otherwise', async () => {
    symlinkSync(ws.path('runner/token'), ws.path('checkout/export.yaml'));
    const env = { SUPABASE_API_URL: emu.url, SUPABASE_ACCESS_TOKEN: TOKEN };
    const refused = await runCli(['export', '--project', REF, '--sections', 'auth', '--out', ws.path('checkout/export.yaml')], { env });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/export\.yaml is a symbolic link; refusing/);
    expect(readFileSync(ws.path('runner/token'), 'utf8')).toBe(TOKEN_FILE_TEXT);
    const ok = await runCli(['export', '--project', REF, '--sections', 'auth', '--out', ws.path('checkout/new.yaml')], { env });
    expect(ok.code, ok.stderr).toBe(0);
    expect(readFileSync(ws.path('checkout/new.yaml'), 'utf8')).toContain(`project: ${REF}`);
  });
});

describe('plan --out writes a new file', () => {
  it('replaces a hard link instead of writing into the file it shares', async () => {
    // Git cannot commit hard links, but the write must not depend on that: rename swaps the entry.
    linkSync(ws.path('runner/token'), ws.path('checkout/plan.md'));
    const result = await plan(VALID, ws.path('checkout/plan.md'));
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(ws.path('runner/token'), 'utf8')).toBe(TOKEN_FILE_TEXT);
    const written = readFileSync(ws.path('checkout/plan.md'), 'utf8');
    expect(written.startsWith(MARKDOWN_MARKER)).toBe(true);
    expect(statSync(ws.path('checkout/plan.md')).ino).not.toBe(statSync(ws.path('runner/token')).ino);
  });

  it('with mode 0644 (less the umask), the plan as printed, and no temp file left behind', async () => {
    const result = await plan(VALID, ws.path('checkout/plan.json'), 'json');
    expect(result.code, result.stderr).toBe(0);
    const written = readFileSync(ws.path('checkout/plan.json'), 'utf8');
    expect(written).toBe(result.stdout);
    expect(JSON.parse(written)).toMatchObject({ format_version: PLAN_FORMAT_VERSION });
    expect(statSync(ws.path('checkout/plan.json')).mode & 0o777).toBe(0o644 & ~process.umask());
    expect(entries('checkout')).toEqual(['config', 'plan.json']);
  });
});

describe('plan --out with an invalid configuration writes the errors, not a stale plan', () => {
  it('markdown: the marker, the located errors, exit 3 unchanged', async () => {
    writeFileSync(ws.path('checkout/plan.md'), `${MARKDOWN_MARKER}\n### supasync plan\n\n**No changes.** (stale, from the last push)\n`);
    const result = await plan(INVALID, ws.path('checkout/plan.md'));
    expect(result.code).toBe(3);
    const file = join(ws.path('checkout/config'), 'auth.yaml');
    expect(result.stderr).toContain(`Error: ${file}:4:3: auth: unknown key "jwt_exp_typo"`);
    const md = readFileSync(ws.path('checkout/plan.md'), 'utf8');
    expect(md.startsWith(`${MARKDOWN_MARKER}\n`)).toBe(true);
    expect(md).not.toContain('No changes');
    expect(md).toContain('Configuration invalid: 1 error; nothing was planned.');
    expect(md).toContain(`${file}:4:3: auth: unknown key "jwt_exp_typo"`);
    expect(md).toMatch(/```text\n[^`]*jwt_exp_typo[^`]*\n```/);
  });

  it('json: {format_version, errors: [{file, line, col, path, message}]}', async () => {
    const result = await plan(INVALID, ws.path('checkout/plan.json'), 'json');
    expect(result.code).toBe(3);
    const report = JSON.parse(readFileSync(ws.path('checkout/plan.json'), 'utf8'));
    expect(report).toEqual({
      format_version: PLAN_FORMAT_VERSION,
      planned_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      errors: [{ file: join(ws.path('checkout/config'), 'auth.yaml'), line: 4, col: 3, path: 'auth', message: expect.stringContaining('unknown key "jwt_exp_typo"') }],
    });
  });

  it('text: one "Error:" line per issue, as on stderr', async () => {
    const result = await plan(INVALID, ws.path('checkout/plan.txt'), 'text');
    expect(result.code).toBe(3);
    const text = readFileSync(ws.path('checkout/plan.txt'), 'utf8');
    expect(text).toMatch(/^Configuration invalid: 1 error; nothing was planned\./);
    for (const line of result.stderr.trim().split('\n')) expect(text).toContain(line);
  });

  it('a secret read from a file is not in the errors written', async () => {
    ws.write({ 'secrets/pass': 'filesecret-canary-41d2' });
    ws.write({ 'checkout/config/auth.yaml': `${INVALID}  smtp_pass: \${file:${ws.path('secrets/pass')}}\n  site_url_typo: \${file:${ws.path('secrets/pass')}}\n` });
    const result = await runCli(['plan', '-c', ws.path('checkout/config'), '--secrets-dir', ws.path('secrets'), '--format', 'markdown', '--out', ws.path('checkout/plan.md')], {
      env: { SUPABASE_API_URL: emu.url, SUPABASE_ACCESS_TOKEN: TOKEN },
    });
    expect(result.code).toBe(3);
    const md = readFileSync(ws.path('checkout/plan.md'), 'utf8');
    expect(md).toContain('site_url_typo');
    expect(md + result.stdout + result.stderr).not.toContain('filesecret-canary-41d2');
  });
});
