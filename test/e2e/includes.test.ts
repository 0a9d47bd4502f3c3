/**
 * `${include:PATH}` end to end (issue 16 item 4): an email template kept in its own file is planned,
 * applied and converges against the emulator; it shows in plans (it is no secret) and its `${...}`
 * stays text; a commit that changes only the included file makes the project changed for
 * `plan --changed-since` (the base revision reads its own version from git); refusals are exit 3
 * with the reference's file:line:col and no request.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { REF, STAGING_REF, TOKEN, clearRequestLog, loggedRequests, loggedWrites, startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { workspace, type Workspace } from '../helpers/workspace.js';

let emu: TestEmulator;
let ws: Workspace;
const INVITE = '<h2>You have been invited</h2>\n<p>${not_a_variable}: <a href="{{ .ConfirmationURL }}">accept</a></p>\n';

const cli = (args: string[]) => runCli(args, { cwd: ws.dir, env: { SUPABASE_API_URL: emu.url, SUPABASE_ACCESS_TOKEN: TOKEN } });
const git = (...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: ws.dir, encoding: 'utf8' });
const commit = (message: string) => {
  git('add', '-A');
  git('commit', '-q', '-m', message);
};

beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(async () => {
  ws?.remove();
  await emu.close();
});
beforeEach(async () => {
  await emu.control('POST', '/_emulator/reset', { projects: [{ ref: REF }, { ref: STAGING_REF }] });
  ws?.remove();
  ws = workspace({
    'config/templates/invite.html': INVITE,
    'config/templates/base.yaml': 'template: base\nauth:\n  mailer_subjects_invite: You are invited\n  mailer_templates_invite_content: ${include:invite.html}\n',
    'config/projects/prod.yaml': `project: ${REF}\nextends: [base]\n`,
    'config/projects/staging.yaml': `project: ${STAGING_REF}\nauth:\n  site_url: https://staging.example.com\n`,
  });
});

describe('${include:} end to end', () => {
  it('plan → apply → plan (No changes): the template reaches the API exactly as the file holds it, and shows in the plan', async () => {
    const plan = await cli(['plan', '-c', 'config', '--format', 'json']);
    expect(plan.code, plan.stderr).toBe(0);
    const changes = JSON.parse(plan.stdout).projects.find((p: { ref: string }) => p.ref === REF).sections[0].changes;
    expect(changes).toContainEqual(expect.objectContaining({ path: 'mailer_templates_invite_content', after: INVITE, sensitive: false }));

    await clearRequestLog(emu);
    const apply = await cli(['apply', '-c', 'config', '--yes']);
    expect(apply.code, apply.stderr).toBe(0);
    const patch = (await loggedWrites(emu)).find((w) => w.path === `/v1/projects/${REF}/config/auth`);
    expect(patch?.body).toMatchObject({ mailer_templates_invite_content: INVITE });
    const live = await emu.call<Record<string, unknown>>('GET', `/v1/projects/${REF}/config/auth`);
    expect(live.body.mailer_templates_invite_content).toBe(INVITE);

    const again = await cli(['plan', '-c', 'config', '--detailed-exitcode']);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toContain('No changes.');
  });

  it('plan --changed-since: a commit changing only the included file plans the projects using it', async () => {
    git('init', '-q', '-b', 'main');
    commit('base');
    await cli(['apply', '-c', 'config', '--yes']);
    ws.write({ 'config/templates/invite.html': INVITE.replace('accept', 'accept the invitation') });
    commit('reword the invitation');
    await clearRequestLog(emu);
    const changed = await cli(['plan', '-c', 'config', '--changed-since', 'HEAD~1', '--format', 'json']);
    expect(changed.code, changed.stderr).toBe(0);
    const plan = JSON.parse(changed.stdout);
    expect(plan.projects.map((p: { ref: string }) => p.ref)).toEqual([REF]);
    expect(plan.partial).toMatchObject({ unchanged: 1 });
    expect(plan.projects[0].sections[0].changes).toEqual([
      expect.objectContaining({ path: 'mailer_templates_invite_content', before: INVITE, after: INVITE.replace('accept', 'accept the invitation') }),
    ]);
    expect([...new Set((await loggedRequests(emu)).map((q) => q.path.split('/')[3]))]).toEqual([REF]);

    // Moving the include (same text, another file) changes nothing; neither does a change elsewhere
    // in the same project that leaves its effective state as it was.
    ws.write({
      'config/templates/mail/invite.html': INVITE.replace('accept', 'accept the invitation'),
      'config/templates/base.yaml': 'template: base\nauth:\n  mailer_templates_invite_content: ${include:mail/invite.html}\n',
      'config/projects/prod.yaml': `project: ${REF}\nextends: [base]\nauth: {mailer_subjects_invite: You are invited}\n`,
    });
    git('rm', '-q', 'config/templates/invite.html');
    commit('move the template');
    const moved = await cli(['plan', '-c', 'config', '--changed-since', 'HEAD~1', '--format', 'json']);
    expect(moved.code, moved.stderr).toBe(0);
    expect(JSON.parse(moved.stdout)).toMatchObject({ projects: [], partial: { unchanged: 2 } });
  });

  it('refuses an include leading outside the -c directory: exit 3, located at the reference, no request', async () => {
    ws.write({ 'config/projects/staging.yaml': `project: ${STAGING_REF}\nauth:\n  sms_template: "\${include:../../../etc/passwd}"\n` });
    await clearRequestLog(emu);
    for (const command of [['validate'], ['plan'], ['apply', '--yes']]) {
      const r = await cli([...command, '-c', 'config']);
      expect(r.code).toBe(3);
      expect(r.stderr).toBe(
        'Error: config/projects/staging.yaml:3:18: auth.sms_template: ${include:../../../etc/passwd}: the path leads outside config, the -c directory this file was found under\n',
      );
    }
    expect(await loggedRequests(emu)).toEqual([]);
  });
});
