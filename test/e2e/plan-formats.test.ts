/**
 * Issue 17 items 5, 6 and 8 and the rendering half of issue 16 item 4, through the CLI against the
 * emulator: one unit (the change) in the header, the tables and the JSON; a project that could not
 * be planned marked so; notes under their section; the PR comment's diff blocks, per-project
 * summaries, commit and time; the JSON plan valid against its documented schema, in snake_case;
 * a changed long text as a diff of lines (never a sensitive one); origins in every format.
 */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/cli.js';
import { REF, STAGING_REF, TOKEN, startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { workspace, type Workspace } from '../helpers/workspace.js';

const SHA = 'c0ffee0123456789abcdef0123456789abcdef01';
/** 2026-11-30T09:39:37Z */
const EPOCH = '1796031577';

const BEFORE = '<h2>You are invited</h2>\n<p>Hello,</p>\n<p>Follow this link to accept the invite:</p>\n<p><a href="{{ .ConfirmationURL }}">Accept</a></p>\n';
const AFTER = '<h2>You are invited</h2>\n<p>Hello,</p>\n<p>Follow this link to join the team:</p>\n<p><a href="{{ .ConfirmationURL }}">Accept the invite</a></p>\n';

const seed = {
  projects: [
    {
      ref: REF,
      auth: { site_url: 'https://app.example.com', jwt_exp: 3600, password_min_length: 12, mailer_templates_invite_content: BEFORE },
      secrets: { KEEP: 'keep-value-0001', LEGACY: 'legacy-value-01' },
    },
    // On the free plan SSO cannot be read: the project cannot be planned.
    { ref: STAGING_REF, plan: 'free', auth: { site_url: 'https://staging.example.com' } },
  ],
};

const production = `project: ${REF}
auth:
  jwt_exp: 7200
  password_min_length: 8
  mailer_templates_invite_content: ${JSON.stringify(AFTER)}
secrets:
  values:
    KEEP: \${KEEP_VALUE}
pooler:
  mode: observe
  default_pool_size: 30
`;
const staging = `project: ${STAGING_REF}
auth:
  site_url: https://staging.example.org
sso:
  providers:
    - metadata_url: https://idp.example.com/metadata
      domains: [example.com]
`;

let emu: TestEmulator;
let ws: Workspace;
const env = (more: Record<string, string> = {}) => ({ SUPABASE_API_URL: emu.url, SUPABASE_ACCESS_TOKEN: TOKEN, KEEP_VALUE: 'keep-value-0001', GITHUB_SHA: '', CI_COMMIT_SHA: '', ...more });
const plan = (format: string, more: string[] = [], extraEnv: Record<string, string> = {}) =>
  runCli(['plan', '-c', ws.dir, '--format', format, ...more], { env: env(extraEnv) });

beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(async () => {
  await emu.close();
});
beforeEach(async () => {
  await emu.control('POST', '/_emulator/reset', seed);
  ws?.remove();
  ws = workspace({ 'production.yaml': production, 'staging.yaml': staging });
});

interface JsonProject {
  ref: string;
  status: string;
  summary: Record<string, number>;
  sections: Array<{ section: string; notes: string[]; changes: Array<Record<string, unknown>> }>;
}

describe('counts agree (item 5)', () => {
  it('the text header, the Markdown table and summaries and the JSON count the same changes', async () => {
    const json = JSON.parse((await plan('json')).stdout) as { summary: Record<string, number>; projects: JsonProject[] };
    // jwt_exp, password_min_length, the template: 3 updates; the pooler drift is observed; the
    // staging project's site_url is found but not applied.
    expect(json.summary).toEqual({ create: 0, update: 3, delete: 0, refused: 1, observed: 1, not_applied: 1, projects: 2, projects_failed: 1, sections_failed: 1 });
    const [prod, stag] = json.projects;
    expect(prod).toMatchObject({ ref: REF, status: 'refused', summary: { update: 3, refused: 1, observed: 1 } });
    expect(stag).toMatchObject({ ref: STAGING_REF, status: 'failed', summary: { not_applied: 1, sections_failed: 1 } });

    const text = (await plan('text')).stdout;
    expect(text).toContain('Plan: 0 to create, 3 to update, 0 to delete (3 changes).');
    expect(text).toContain(`Project ${REF}: 3 to update; 1 refused; 1 drifted (observe mode)`);

    const md = (await plan('markdown')).stdout;
    expect(md).toContain('**Plan: 0 to create, 3 to update, 0 to delete (3 changes).**');
    expect(md).toContain(`| \`${REF}\` | ⛔ refused | 0 | 3 | 0 | 1 | 1 |`);
    expect(md).toContain(`<summary><code>${REF}</code> · ⛔ refused · 3 to update; 1 refused; 1 drifted (observe mode)</summary>`);
  });

  it('a project that could not be planned is marked, its changes are not pending, and the summary says so in words', async () => {
    const text = (await plan('text')).stdout;
    expect(text).toContain(`Project ${STAGING_REF}: could not be planned; nothing will be applied to it`);
    expect(text).toContain('  ~ auth: 1 change found, not applied (the project could not be planned)');
    expect(text).toMatch(/ {2}! sso: could not be read or compared: .*SAML 2\.0 support is not enabled/);
    expect(text).toContain(
      `1 section could not be read or compared: ${STAGING_REF} (sso). 1 project could not be planned, so nothing is applied to it; its 1 change found elsewhere is not applied.`,
    );

    const md = (await plan('markdown')).stdout;
    expect(md).toContain('> [!WARNING]\n> 1 section could not be read or compared, so 1 project could not be planned and nothing is applied to it');
    expect(md).toContain(`| \`${STAGING_REF}\` | ❌ could not be planned (1 change not applied) | – | – | – | – | 0 |`);
    expect(md).toContain('# auth: 1 change found; not applied: the project could not be planned\n~   site_url: "https://staging.example.com" → "https://staging.example.org"\n');
    expect(md).not.toMatch(/^!\s+site_url/m);
  });

  it("a section's notes appear under that section", async () => {
    const text = (await plan('text')).stdout.split('\n');
    const secrets = text.findIndex((l) => /^ {2}\S secrets|^ {4}secrets: no changes/.test(l));
    expect(text[secrets]).toBe('    secrets: no changes');
    expect(text[secrets + 1]).toMatch(/^ {6}note: 1 live secret\(s\) not in the configuration, left untouched: LEGACY/);
    const md = (await plan('markdown')).stdout;
    expect(md).toMatch(/# secrets: no changes\n# {3}note: 1 live secret\(s\) not in the configuration, left untouched: LEGACY/);
  });
});

describe('the PR comment (item 6)', () => {
  it('changes in diff blocks, each project under its status and counts, the commit and time it was planned at', async () => {
    const md = (await plan('markdown', [], { GITHUB_SHA: SHA, SOURCE_DATE_EPOCH: EPOCH })).stdout;
    expect(md.startsWith('<!-- supasync-plan -->\n### supasync plan · ❌ 1 project could not be planned\n')).toBe(true);
    expect(md).toContain('```diff\n# auth: 3 to update\n!   jwt_exp: 3600 → 7200\n');
    expect(md).toContain('# pooler: 1 change drifted; observe mode: reported, never applied\n~   default_pool_size: (not set) → 30');
    expect(md).toContain('#     ⛔ RISKY (auth.password_min_length.lowered): lowers password_min_length from 12 to 8');
    expect(md).toContain('#         allow_risky: [auth.password_min_length]');
    expect(md).toContain(`<sub>Planned by supasync for commit ${SHA} at 2026-11-30 09:39 UTC.</sub>`);
    // --commit wins over the environment.
    const flagged = (await plan('markdown', ['--commit', 'ABCDEF1234'], { GITHUB_SHA: SHA })).stdout;
    expect(flagged).toContain('for commit abcdef1234 at ');
  });

  it('refuses a --commit that is not a SHA (exit 3), before anything is read', async () => {
    const r = await plan('markdown', ['--commit', 'main; rm -rf /']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('expected a git commit SHA (7 to 64 hex digits)');
  });

  it('an invalid configuration: --out holds the errors in the same layout, with the commit and time', async () => {
    ws.write({ 'production.yaml': `${production}  jwt_exp_typo: 1\n` });
    const out = ws.path('plan.md');
    const r = await runCli(['plan', '-c', ws.dir, '--format', 'markdown', '--out', out], { env: env({ GITHUB_SHA: SHA, SOURCE_DATE_EPOCH: EPOCH }) });
    expect(r.code).toBe(3);
    const md = readFileSync(out, 'utf8');
    expect(md).toMatch(/^<!-- supasync-plan -->\n### supasync plan · ❌ configuration invalid\n\n\*\*Configuration invalid: 1 error; nothing was planned\.\*\*\n/);
    expect(md).toMatch(/```text\n.*production\.yaml:\d+:\d+: .*jwt_exp_typo.*\n```\n/);
    expect(md).toContain(`<sub>Planned by supasync for commit ${SHA} at 2026-11-30 09:39 UTC.</sub>`);
  });
});

describe('the JSON plan (item 8)', () => {
  it('is valid against the documented schema, every field in snake_case, commit and time included', async () => {
    const r = await plan('json', ['--commit', SHA], { SOURCE_DATE_EPOCH: EPOCH });
    const parsed = JSON.parse(r.stdout) as Record<string, unknown>;
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(JSON.parse(readFileSync(`${ROOT}/docs/plan-format.schema.json`, 'utf8')) as object);
    expect(validate(parsed), JSON.stringify(validate.errors)).toBe(true);
    expect(parsed).toMatchObject({ format_version: '2.0', planned_at: '2026-11-30T09:39:37Z', commit: SHA });
    expect(r.stdout).not.toMatch(/"[a-z]+[A-Z][A-Za-z]*":/);
  });

  it('the invalid-configuration report is valid against it too', async () => {
    ws.write({ 'production.yaml': `${production}  jwt_exp_typo: 1\n` });
    const out = ws.path('plan.json');
    await runCli(['plan', '-c', ws.dir, '--format', 'json', '--out', out], { env: env({ GITHUB_SHA: SHA }) });
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(JSON.parse(readFileSync(`${ROOT}/docs/plan-format.schema.json`, 'utf8')) as object);
    const report = JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>;
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report).toMatchObject({ commit: SHA });
  });
});

describe('long texts (issue 16 item 4)', () => {
  it('a changed template is a unified diff of lines in text and Markdown, not one long string', async () => {
    const text = (await plan('text')).stdout;
    expect(text).toContain('      ~ mailer_templates_invite_content: text, 4 lines → 4 lines\n            <h2>You are invited</h2>\n');
    expect(text).toContain('          - <p>Follow this link to accept the invite:</p>\n');
    expect(text).toContain('          + <p>Follow this link to join the team:</p>\n');
    expect(text).not.toContain('\\n<p>');
    const md = (await plan('markdown')).stdout;
    expect(md).toContain('-       <p>Follow this link to accept the invite:</p>\n');
    expect(md).toContain('+       <p>Follow this link to join the team:</p>\n');
    // JSON keeps the values whole.
    const json = JSON.parse((await plan('json')).stdout) as { projects: JsonProject[] };
    expect(json.projects[0]!.sections[0]!.changes.find((c) => c.path === 'mailer_templates_invite_content')).toMatchObject({ before: BEFORE, after: AFTER });
  });

  it('a template read from a file (sensitive) is never diffed', async () => {
    ws.write({ 'secrets/invite.html': AFTER, 'production.yaml': production.replace(`  mailer_templates_invite_content: ${JSON.stringify(AFTER)}\n`, '  mailer_templates_invite_content: ${file:' + ws.path('secrets/invite.html') + '}\n') });
    for (const format of ['text', 'markdown', 'json']) {
      const r = await runCli(['plan', '-c', ws.path('production.yaml'), '--secrets-dir', ws.path('secrets'), '--format', format], { env: env() });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).not.toContain('join the team');
      expect(r.stdout).not.toContain('accept the invite');
      if (format !== 'json') expect(r.stdout).toContain('mailer_templates_invite_content: (sensitive value)');
    }
  });
});

describe('origins (fleets) in every format', () => {
  it('text, Markdown and JSON all show where a value came from', async () => {
    ws.remove();
    ws = workspace({
      'templates/prod.yaml': 'template: prod\nauth:\n  jwt_exp: 7200\n',
      'projects/a.yaml': `project: ${REF}\nextends: [prod]\n`,
    });
    const text = (await plan('text')).stdout;
    expect(text).toMatch(/from .*templates\/prod\.yaml:3:3 \(template prod\)/);
    const md = (await plan('markdown')).stdout;
    expect(md).toMatch(/# {5}from .*templates\/prod\.yaml:3:3 \(template prod\)/);
    const json = JSON.parse((await plan('json')).stdout) as { projects: JsonProject[] };
    expect(json.projects[0]!.sections[0]!.changes[0]!.origin).toMatchObject({ line: 3, col: 3, template: 'prod' });
  });
});
