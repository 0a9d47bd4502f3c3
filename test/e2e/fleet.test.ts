/**
 * Issue 14, end to end: fleets built from templates, with the built CLI against the emulator.
 * A generated 500-project fleet validates and plans exactly as the same fleet written out in full
 * (same plan apart from origins, same requests); a template change reaches exactly the projects
 * that inherit it, each change saying where it came from; `explain`; risky changes through a
 * template; the error rules as the CLI prints them.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { FLEET_TEMPLATES, fleetProjects, fleetSeed, fullProjectYaml, templatedProjectYaml, writeFleet } from '../../bench/lib/fleet.js';
import { ROOT, runCli, type CliResult } from '../helpers/cli.js';
import { TOKEN, clearRequestLog, loggedRequests, loggedWrites, startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { workspace, type Workspace } from '../helpers/workspace.js';

let emu: TestEmulator;
let ws: Workspace;

const env = () => ({ SUPABASE_API_URL: emu.url, SUPABASE_ACCESS_TOKEN: TOKEN });
const cli = (args: string[], timeoutMs = 20_000) => runCli(args, { env: env(), timeoutMs });
const json = (r: CliResult) => JSON.parse(r.stdout) as PlanJson;

interface ChangeJson {
  path: string;
  origin?: { file: string; line: number; col: number; template?: string; via?: string[] };
  risk?: { allowed: boolean };
}
interface PlanJson {
  projects: Array<{ ref: string; sections: Array<{ section: string; changes: ChangeJson[] }> }>;
  summary: Record<string, number>;
}

/** The plan without its origin fields. */
/** The plan without its origins, nor the time it was made at (two plans are made seconds apart). */
function withoutOrigins(plan: PlanJson): unknown {
  return JSON.parse(JSON.stringify(plan), (key, value: unknown) => (key === 'origin' || key === 'planned_at' ? undefined : value));
}

const requestLines = async () => (await loggedRequests(emu)).map((r) => `${r.method} ${r.path} ${r.status} ${JSON.stringify(r.body ?? null)}`).sort();

beforeAll(async () => {
  emu = await startTestEmulator();
  ws = workspace();
});
afterAll(async () => {
  ws.remove();
  await emu.close();
});

describe('a 500-project fleet from three templates', () => {
  it('validates, and plans exactly as the same fleet written out in full: same plan apart from origins, same requests', async () => {
    const templated = await writeFleet(ws.path('templated'), 500, 'templated');
    await writeFleet(ws.path('full'), 500, 'full');
    for (const p of templated.projects) expect(templatedProjectYaml(p).trimEnd().split('\n').length).toBeLessThanOrEqual(6);

    const valid = await cli(['validate', '-c', ws.path('templated')]);
    expect(valid.stderr).toBe('');
    expect(valid.code).toBe(0);
    expect(valid.stdout).toMatch(/^Valid: 503 files, 500 projects \(/);

    await emu.control('POST', '/_emulator/reset', fleetSeed(templated.projects));
    const fromTemplates = await cli(['plan', '-c', ws.path('templated'), '--format', 'json', '--rate-limit', '0'], 120_000);
    expect(fromTemplates.code, fromTemplates.stderr).toBe(0);
    const templatedRequests = await requestLines();

    await emu.control('POST', '/_emulator/reset', fleetSeed(templated.projects));
    const inFull = await cli(['plan', '-c', ws.path('full'), '--format', 'json', '--rate-limit', '0'], 120_000);
    expect(inFull.code, inFull.stderr).toBe(0);
    const fullRequests = await requestLines();

    const a = json(fromTemplates);
    const b = json(inFull);
    expect(a.summary).toMatchObject({ update: 500, refused: 0, projects_failed: 0 });
    expect(withoutOrigins(a)).toEqual(withoutOrigins(b));
    expect(templatedRequests).toEqual(fullRequests);
    expect(templatedRequests).toHaveLength(2500);
    // Every change of the templated fleet says where it came from; the fleet in full has no origins.
    const changes = a.projects.flatMap((p) => p.sections.flatMap((s) => s.changes));
    expect(changes).toHaveLength(500);
    for (const c of changes) expect(c.origin?.file).toMatch(/(templates\/(prod|staging)|projects\/\w+)\.yaml$/);
    expect(inFull.stdout).not.toContain('"origin"');
    const overridden = a.projects[9]!.sections.find((s) => s.section === 'postgrest')!.changes[0]!;
    expect(overridden.origin).toEqual({ file: join(ws.path('templated'), 'projects', `${templated.projects[9]!.ref}.yaml`), line: 4, col: 13 });
    expect(a.projects[0]!.sections.find((s) => s.section === 'postgrest')!.changes[0]!.origin).toEqual({
      file: join(ws.path('templated'), 'templates/prod.yaml'),
      line: 6,
      col: 3,
      template: 'prod',
    });
  }, 300_000);
});

describe('a template change', () => {
  const projects = fleetProjects(12);
  let dir: string;

  beforeAll(async () => {
    dir = (await writeFleet(ws.path('twelve'), 12, 'templated')).dir;
  });

  it('shows as a change in every project that inherits the key and in no other, each with its origin', async () => {
    await emu.control('POST', '/_emulator/reset', fleetSeed(projects, { converged: true }));
    const converged = await cli(['plan', '-c', dir, '--detailed-exitcode']);
    expect(converged.code, converged.stdout + converged.stderr).toBe(0);

    writeFileSync(join(dir, 'templates/staging.yaml'), FLEET_TEMPLATES['templates/staging.yaml']!.replace('statement_timeout: 30s', 'statement_timeout: 45s'));
    onTestFinished(() => writeFileSync(join(dir, 'templates/staging.yaml'), FLEET_TEMPLATES['templates/staging.yaml']!));
    const plan = json(await cli(['plan', '-c', dir, '--format', 'json']));
    const changed = plan.projects.filter((p) => p.sections.some((s) => s.changes.length));
    expect(changed.map((p) => p.ref)).toEqual(projects.filter((p) => p.template === 'staging').map((p) => p.ref));
    for (const p of changed) {
      expect(p.sections.flatMap((s) => s.changes.map((c) => [s.section, c.path, c.origin]))).toEqual([
        ['postgres', 'statement_timeout', { file: join(dir, 'templates/staging.yaml'), line: 6, col: 3, template: 'staging' }],
      ]);
    }
    const text = await cli(['plan', '-c', dir]);
    expect(text.stdout).toContain(`from ${join(dir, 'templates/staging.yaml')}:6:3 (template staging)`);
  });

  it('a risky change through a template is refused in every inheriting project unless allowed, and says which template', async () => {
    await emu.control('POST', '/_emulator/reset', fleetSeed(projects, { converged: true }));
    const baseline = join(dir, 'templates/baseline.yaml');
    const first = projects[0]!;
    onTestFinished(() => {
      writeFileSync(baseline, FLEET_TEMPLATES['templates/baseline.yaml']!);
      writeFileSync(join(dir, 'projects', `${first.ref}.yaml`), templatedProjectYaml(first));
    });
    writeFileSync(baseline, FLEET_TEMPLATES['templates/baseline.yaml']!.replace('password_min_length: 12', 'password_min_length: 8'));
    const plan = json(await cli(['plan', '-c', dir, '--format', 'json']));
    expect(plan.summary.refused).toBe(12);
    for (const p of plan.projects) {
      const change = p.sections.find((s) => s.section === 'auth')!.changes[0]!;
      expect(change.risk?.allowed).toBe(false);
      expect(change.origin).toMatchObject({ file: baseline, template: 'baseline', via: [projects.find((x) => x.ref === p.ref)!.template] });
    }
    const text = await cli(['plan', '-c', dir]);
    expect(text.stdout).toContain('RISKY (auth.password_min_length.lowered)');
    expect(text.stdout).toContain(`from ${baseline}:6:3 (template baseline via prod)`);
    const md = await cli(['plan', '-c', dir, '--format', 'markdown']);
    expect(md.stdout).toContain(`#     from ${baseline}:6:3 (template baseline via staging)`);

    await clearRequestLog(emu);
    const refused = await cli(['apply', '-c', dir, '--yes']);
    expect(refused.code).toBe(4);
    expect(await loggedWrites(emu)).toEqual([]);

    // Allowed in one project: that one is applied, the others stay refused.
    writeFileSync(join(dir, 'projects', `${first.ref}.yaml`), `${templatedProjectYaml(first)}allow_risky: [auth.password_min_length]\n`);
    await clearRequestLog(emu);
    const partly = await cli(['apply', '-c', dir, '--yes']);
    expect(partly.code).toBe(4);
    expect((await loggedWrites(emu)).map((w) => `${w.method} ${w.path}`)).toEqual([`PATCH /v1/projects/${first.ref}/config/auth`]);

    // Allowed in the template: every project inheriting it is applied.
    writeFileSync(baseline, readFileSync(baseline, 'utf8').replace('allow_risky: [auth.jwt_exp]', 'allow_risky: [auth.jwt_exp, auth.password_min_length]'));
    await clearRequestLog(emu);
    const applied = await cli(['apply', '-c', dir, '--yes']);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(await loggedWrites(emu)).toHaveLength(11);
  });
});

describe('explain', () => {
  it('lists every key of one project with its origin, and masks secrets', async () => {
    const dir = (await writeFleet(ws.path('explain'), 2, 'templated')).dir;
    const [p] = fleetProjects(2);
    writeFileSync(join(dir, 'projects', `${p!.ref}.yaml`), `${templatedProjectYaml(p!)}auth: {smtp_pass: "\${SMTP_PASS}"}\n`);
    const result = await runCli(['explain', '-c', dir, '--project', p!.ref, '--format', 'json'], { env: { SMTP_PASS: 'canary-explain-77aa' } });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).not.toContain('canary-explain-77aa');
    const explained = JSON.parse(result.stdout) as {
      templates: string[];
      sections: Record<string, Record<string, { value?: unknown; sensitive?: boolean; origin?: { file: string; template?: string; via?: string[] } }>>;
      allow_risky: unknown[];
      vars: Record<string, unknown>;
    };
    expect(explained.templates).toEqual(['baseline', 'prod']);
    // Every key the fleet in full writes for this project, and nothing else.
    const full = fullProjectYaml(p!);
    for (const [section, keys] of Object.entries(explained.sections)) {
      for (const [key, entry] of Object.entries(keys)) {
        if (key === 'mode') {
          expect(entry).toEqual({ value: 'enforce' });
          continue;
        }
        if (key !== 'smtp_pass') expect(full, `${section}.${key}`).toContain(`\n  ${key}: `);
        expect(entry.origin?.file, `${section}.${key}`).toMatch(/\.yaml$/);
      }
    }
    const keyCount = Object.values(explained.sections).reduce((n, keys) => n + Object.keys(keys).length - 1, 0);
    expect(keyCount).toBe((full.match(/^ {2}\w+:/gm) ?? []).length + 1);
    expect(explained.sections.auth!.site_url).toEqual({
      value: `https://${p!.domain}`,
      origin: { file: join(dir, 'templates/baseline.yaml'), line: 4, col: 3, template: 'baseline', via: ['prod'] },
    });
    expect(explained.sections.auth!.smtp_pass).toEqual({ sensitive: true, origin: { file: join(dir, 'projects', `${p!.ref}.yaml`), line: 4, col: 8 } });
    expect(explained.sections.postgrest!.max_rows!.origin).toMatchObject({ template: 'prod' });
    expect(explained.vars.domain).toMatchObject({ value: p!.domain });

    const text = await runCli(['explain', '-c', dir, '--project', p!.ref], { env: { SMTP_PASS: 'canary-explain-77aa' } });
    expect(text.stdout).toContain(`site_url: "https://${p!.domain}"`);
    expect(text.stdout).toMatch(/smtp_pass: \(sensitive value\) +# from .*\.yaml:4:8\n/);
    expect(text.stdout).not.toContain('canary-explain-77aa');
    const yaml = await runCli(['explain', '-c', dir, '--project', p!.ref, '--format', 'yaml'], { env: { SMTP_PASS: 'canary-explain-77aa' } });
    expect(yaml.stdout).toContain('template: baseline');
    expect(yaml.stdout).not.toContain('canary-explain-77aa');
  });
});

describe('errors, as the CLI prints them', () => {
  it('one located line per problem, exit 3, nothing contacted', async () => {
    const errs = workspace({
      'templates/web.yaml': 'template: web\nauth:\n  site_url: https://${var:domain}\n',
      'templates/loop.yaml': 'template: loop\nextends: [loop]\n',
      'a.yaml': 'project: aaaaaaaaaaaaaaaaaaaa\nextends: [wbe]\n',
      'b.yaml': 'project: bbbbbbbbbbbbbbbbbbbb\nextends: [web, loop]\nunmanage: [auth.site_url]\nauth:\n  site_url: https://b\n',
      'c.yaml': 'project: cccccccccccccccccccc\ntemplate: web\n',
      'd.yaml': 'project: dddddddddddddddddddd\nextends: [web]\n',
    });
    try {
      await clearRequestLog(emu);
      const r = await cli(['plan', '-c', errs.dir]);
      expect(r.code).toBe(3);
      expect(r.stdout).toBe('');
      const d = errs.dir;
      expect(r.stderr.trimEnd().split('\n')).toEqual([
        `Error: ${d}/a.yaml:2:11: extends: unknown template "wbe" (did you mean "web"?)`,
        `Error: ${d}/b.yaml:3:12: unmanage: "auth.site_url": auth.site_url is also set by this project (at ${d}/b.yaml:5:3); a layer cannot both set and unmanage a key`,
        `Error: ${d}/c.yaml:2:1: template: a document is either a project (project:) or a template (template:), not both`,
        `Error: ${d}/templates/loop.yaml:2:11: extends: template cycle: loop → loop (template loop, used by project bbbbbbbbbbbbbbbbbbbb)`,
        `Error: ${d}/templates/web.yaml:3:21: auth.site_url: variable "domain" is not set for project dddddddddddddddddddd (template web; set it under vars: in the project or in a template it extends)`,
      ]);
      expect(await loggedRequests(emu)).toEqual([]);
    } finally {
      errs.remove();
    }
  });
});

describe('examples/fleet', () => {
  const dir = join(ROOT, 'examples/fleet');
  const projectFiles = readdirSync(join(dir, 'projects'));

  it('has three templates and at least twelve projects of at most six lines, and validates with no warning', async () => {
    expect(readdirSync(join(dir, 'templates')).sort()).toEqual(['org-baseline.yaml', 'prod.yaml', 'staging.yaml']);
    expect(projectFiles.length).toBeGreaterThanOrEqual(12);
    for (const f of projectFiles) expect(readFileSync(join(dir, 'projects', f), 'utf8').trimEnd().split('\n').length, f).toBeLessThanOrEqual(6);
    const r = await runCli(['validate', '-c', 'examples/fleet/'], { env: { SMTP_PASSWORD: undefined } });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(new RegExp(`^Valid: ${projectFiles.length + 3} files, ${projectFiles.length} projects`));
  });

  it('plans against the emulator', async () => {
    const refs = projectFiles.map((f) => /project: (\w+)/.exec(readFileSync(join(dir, 'projects', f), 'utf8'))![1]!);
    await emu.control('POST', '/_emulator/reset', { projects: refs.map((ref) => ({ ref, plan: 'pro' })) });
    const r = await runCli(['plan', '-c', 'examples/fleet/', '--format', 'json'], { env: { ...env(), SMTP_PASSWORD: undefined } });
    expect(r.code, r.stderr).toBe(0);
    const plan = json(r);
    expect(plan.summary).toMatchObject({ projects_failed: 0, update: expect.any(Number) });
    expect(plan.projects).toHaveLength(refs.length);
    for (const p of plan.projects) for (const s of p.sections) for (const c of s.changes) expect(c.origin, `${p.ref} ${s.section}.${c.path}`).toBeDefined();
  });
});

describe('secrets through templates and variables', () => {
  it('a value read from a file stays hidden wherever a variable puts it: plans, explain, errors', async () => {
    const secrets = workspace({ host: 'canary-host-4b7c9e.example.com\n', cidr: 'canary-cidr-55aa\n' });
    const cfg = workspace({
      't.yaml': 'template: web\nauth:\n  site_url: https://${var:host}/app\n',
      'a.yaml': `project: aaaaaaaaaaaaaaaaaaaa\nextends: [web]\nvars: {host: "\${file:${secrets.dir}/host}"}\n`,
    });
    try {
      await emu.control('POST', '/_emulator/reset', { projects: [{ ref: 'aaaaaaaaaaaaaaaaaaaa' }] });
      const args = ['-c', cfg.dir, '--secrets-dir', secrets.dir];
      for (const format of ['text', 'markdown', 'json']) {
        const plan = await cli(['plan', ...args, '--format', format, '--log-level', 'trace']);
        expect(plan.code, plan.stderr).toBe(0);
        expect(plan.stdout + plan.stderr).not.toContain('canary-host');
        expect(plan.stdout).toContain(format === 'json' ? '"sensitive": true' : 'site_url: (sensitive value)');
      }
      for (const format of ['text', 'yaml', 'json']) {
        const explained = await cli(['explain', ...args, '--project', 'aaaaaaaaaaaaaaaaaaaa', '--format', format]);
        expect(explained.code, explained.stderr).toBe(0);
        expect(explained.stdout).not.toContain('canary-host');
      }
      cfg.write({ 'net.yaml': `template: net\nnetwork_restrictions:\n  dbAllowedCidrs: ["\${var:cidr}"]\n`, 'b.yaml': `project: bbbbbbbbbbbbbbbbbbbb\nextends: [net]\nvars: {cidr: "\${file:${secrets.dir}/cidr}"}\n` });
      const invalid = await cli(['validate', ...args]);
      expect(invalid.code).toBe(3);
      expect(invalid.stderr).toMatch(/net\.yaml:3:20: network_restrictions\.dbAllowedCidrs\[0\]: .*\(template net, in project b{20}\)\n$/);
      expect(invalid.stderr).not.toContain('canary-cidr');
    } finally {
      cfg.remove();
      secrets.remove();
    }
  });
});
