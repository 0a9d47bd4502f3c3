/**
 * Issue 14, `plan --changed-since`: a real git repository in a temporary directory, the built CLI,
 * the emulator. Only what a commit changed is planned (and read); moves and reformatting plan
 * nothing; new projects are planned, deleted ones are reported as no longer managed; the base
 * revision's secrets are never needed.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FLEET_TEMPLATES, fleetProjects, fleetSeed, templatedProjectYaml, type FleetProject } from '../../bench/lib/fleet.js';
import { runCli } from '../helpers/cli.js';
import { TOKEN, clearRequestLog, loggedRequests, startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { workspace, type Workspace } from '../helpers/workspace.js';

let emu: TestEmulator;
let ws: Workspace;
const projects = fleetProjects(8);
const NEW: FleetProject = { ref: 'newprojectnewproject', template: 'prod', domain: 'new.example.com' };

const git = (...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], {
    cwd: ws.dir,
    encoding: 'utf8',
  });
const commit = (message: string) => {
  git('add', '-A');
  git('commit', '-q', '-m', message);
};
const file = (p: FleetProject) => join(ws.dir, 'config/projects', `${p.ref}.yaml`);

interface PlanJson {
  projects: Array<{ ref: string; sections: Array<{ changes: unknown[] }> }>;
  partial?: { changed_since: string; commit: string; unchanged: number; no_longer_managed: string[] };
}

async function planSince(rev: string, format = 'json', extra: string[] = []) {
  await clearRequestLog(emu);
  const r = await runCli(['plan', '-c', 'config', '--changed-since', rev, '--format', format, ...extra], {
    cwd: ws.dir,
    env: { SUPABASE_API_URL: emu.url, SUPABASE_ACCESS_TOKEN: TOKEN },
  });
  const requested = [...new Set((await loggedRequests(emu)).map((q) => `${q.method} ${q.path.split('/')[3]}`))];
  return { ...r, requested, plan: format === 'json' && r.code !== 3 ? (JSON.parse(r.stdout) as PlanJson) : undefined };
}

beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(async () => {
  await emu.close();
});
beforeEach(async () => {
  ws?.remove();
  ws = workspace();
  git('init', '-q', '-b', 'main');
  ws.write(Object.fromEntries(Object.entries(FLEET_TEMPLATES).map(([f, text]) => [`config/${f}`, text])));
  for (const p of projects) ws.write({ [`config/projects/${p.ref}.yaml`]: templatedProjectYaml(p) });
  commit('base');
  await emu.control('POST', '/_emulator/reset', fleetSeed([...projects, NEW], { converged: true }));
});

describe('plan --changed-since', () => {
  it('a commit changing one project file plans exactly that project, and reads only its sections', async () => {
    const target = projects[3]!;
    writeFileSync(file(target), `${templatedProjectYaml(target)}postgrest: {max_rows: 50}\n`);
    commit('one project');
    const r = await planSince('HEAD~1');
    expect(r.code, r.stderr).toBe(0);
    expect(r.plan!.projects.map((p) => p.ref)).toEqual([target.ref]);
    expect(r.requested).toEqual([`GET ${target.ref}`]);
    expect((await loggedRequests(emu)).length).toBe(5);
    expect(r.plan!.partial).toEqual({ changed_since: 'HEAD~1', commit: git('rev-parse', 'HEAD~1').trim(), unchanged: 7, no_longer_managed: [] });
  });

  it('a commit changing a template plans every project inheriting it and no other', async () => {
    writeFileSync(join(ws.dir, 'config/templates/staging.yaml'), FLEET_TEMPLATES['templates/staging.yaml']!.replace('30s', '45s'));
    commit('staging template');
    const r = await planSince('HEAD~1');
    const staging = projects.filter((p) => p.template === 'staging').map((p) => p.ref);
    expect(r.plan!.projects.map((p) => p.ref)).toEqual(staging);
    expect(r.requested.sort()).toEqual(staging.map((ref) => `GET ${ref}`).sort());
    expect(r.plan!.partial!.unchanged).toBe(4);
    // A change of the baseline reaches all of them.
    writeFileSync(join(ws.dir, 'config/templates/baseline.yaml'), FLEET_TEMPLATES['templates/baseline.yaml']!.replace('jwt_exp: 3600', 'jwt_exp: 1800'));
    commit('baseline');
    const all = await planSince('HEAD~1');
    // staging sets its own jwt_exp: only prod projects inherit the baseline's.
    expect(all.plan!.projects.map((p) => p.ref)).toEqual(projects.filter((p) => p.template === 'prod').map((p) => p.ref));
  });

  it('a commit that only moves or reformats files plans nothing and reads nothing', async () => {
    mkdirSync(join(ws.dir, 'config/teams/a'), { recursive: true });
    for (const p of projects.slice(0, 4)) renameSync(file(p), join(ws.dir, 'config/teams/a', `${p.ref}.yml`));
    // Reformatted: block style, keys reordered, a comment, quotes.
    const p = projects[5]!;
    writeFileSync(file(p), `# moved to block style\nvars:\n  domain: "${p.domain}"\nextends:\n  - ${p.template}\nproject: ${p.ref}\n`);
    writeFileSync(
      join(ws.dir, 'config/templates/prod.yaml'),
      "template: prod\npostgrest: {db_schema: [public, graphql_public], max_rows: 500}\npostgres: {statement_timeout: '60s'}\nextends: [baseline]\n",
    );
    commit('move and reformat');
    for (const format of ['json', 'text', 'markdown']) {
      const r = await planSince('HEAD~1', format, ['--detailed-exitcode']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.requested).toEqual([]);
      if (r.plan) expect(r.plan).toMatchObject({ projects: [], partial: { unchanged: 8, no_longer_managed: [] } });
      if (format === 'text') {
        expect(r.stdout).toContain('Partial plan: only projects whose configuration changed since HEAD~1 (');
        expect(r.stdout).toContain('0 projects planned, 8 projects unchanged (skipped).');
        expect(r.stdout).toContain('No changes.');
      }
      if (format === 'markdown') expect(r.stdout).toMatch(/> \[!NOTE\]\n> Partial plan: only projects whose configuration changed since HEAD~1 \([0-9a-f]{12}\)/);
    }
  });

  it('a new project is planned; a deleted one is listed as no longer managed, and nothing is deleted', async () => {
    ws.write({ [`config/projects/${NEW.ref}.yaml`]: templatedProjectYaml(NEW) });
    rmSync(file(projects[0]!));
    commit('add one, remove one');
    const r = await planSince('HEAD~1');
    expect(r.code, r.stderr).toBe(0);
    expect(r.plan!.projects.map((p) => p.ref)).toEqual([NEW.ref]);
    expect(r.plan!.partial).toMatchObject({ unchanged: 7, no_longer_managed: [projects[0]!.ref] });
    expect(r.requested).toEqual([`GET ${NEW.ref}`]);
    const text = await planSince('HEAD~1', 'text');
    expect(text.stdout).toContain(`No longer managed (gone from the configuration; nothing is deleted): ${projects[0]!.ref}.`);
    const md = await planSince('HEAD~1', 'markdown');
    expect(md.stdout).toContain(`> No longer managed (gone from the configuration; nothing is deleted): ${projects[0]!.ref}.`);
  });

  it('compares secret references, never their values: the base needs no secret, a changed reference is a change', async () => {
    const secrets = join(ws.dir, '..', `${ws.dir.split('/').pop()}-secrets`);
    mkdirSync(secrets, { recursive: true });
    writeFileSync(join(secrets, 'smtp'), 'canary-smtp-0c1d\n');
    const [a, b] = projects as [FleetProject, FleetProject];
    writeFileSync(file(a), `${templatedProjectYaml(a)}auth: {smtp_pass: "\${file:/nonexistent/old-secret}"}\n`);
    writeFileSync(file(b), `${templatedProjectYaml(b)}auth: {smtp_user: "\${SMTP_USER}"}\n`);
    commit('secrets that cannot be read now');
    writeFileSync(file(a), `${templatedProjectYaml(a)}auth: {smtp_pass: "\${file:${secrets}/smtp}"}\n`);
    commit('a new secret reference');
    await clearRequestLog(emu);
    const r = await runCli(['plan', '-c', 'config', '--changed-since', 'HEAD~1', '--format', 'json', '--secrets-dir', secrets], {
      cwd: ws.dir,
      env: { SUPABASE_API_URL: emu.url, SUPABASE_ACCESS_TOKEN: TOKEN, SMTP_USER: 'changed-value-does-not-count' },
    });
    rmSync(secrets, { recursive: true, force: true });
    expect(r.code, r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout) as PlanJson;
    expect(plan.projects.map((p) => p.ref)).toEqual([a.ref]);
    expect(r.stdout).not.toContain('canary-smtp-0c1d');
    expect(r.stdout).not.toContain('does not load');
  });

  it('fails with exit 3 and one clear line for a revision that does not resolve, or outside a git repository', async () => {
    const bad = await planSince('no-such-ref');
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/^Error: --changed-since no-such-ref: no such commit in the repository at .+fetch-depth: 0\)\n$/);
    const option = await planSince('--upload-pack=touch /tmp/x');
    expect(option.code).toBe(3);
    expect(option.stderr).toBe('Error: --changed-since: "--upload-pack=touch /tmp/x" is not a git revision\n');
    const outside = workspace({ 'p.yaml': `project: ${projects[0]!.ref}\n` });
    try {
      const r = await runCli(['plan', '-c', outside.dir, '--changed-since', 'HEAD'], { env: { SUPABASE_API_URL: emu.url, SUPABASE_ACCESS_TOKEN: TOKEN } });
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/^Error: --changed-since: .+ is not in a git repository \(git: fatal: not a git repository/);
    } finally {
      outside.remove();
    }
    expect(bad.requested).toEqual([]);
  });
});

afterAll(() => ws?.remove());
