/**
 * Templates, layering, unmanage and variables (issue 14), through the real loader on temporary
 * files: the effective desired state, each value's origin, and every error rule as its located
 * one-line message.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadDesiredState, loadReferenceForms } from '../../../src/config/load.js';
import type { DesiredState, LoadOptions } from '../../../src/config/types.js';
import { ConfigError, formatIssue } from '../../../src/errors.js';

const A = 'aaaaaaaaaaaaaaaaaaaa';
const B = 'bbbbbbbbbbbbbbbbbbbb';
const C = 'cccccccccccccccccccc';
const D = 'dddddddddddddddddddd';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'supasync-fleet-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function write(files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
}

const load = (opts: Partial<LoadOptions> = {}): Promise<DesiredState> =>
  loadDesiredState([root], { secretsDirs: [], env: {}, ...opts });

/** The error lines the CLI would print, with the temporary directory shown as `.`. */
async function errors(opts: Partial<LoadOptions> = {}): Promise<string[]> {
  try {
    await load(opts);
  } catch (err) {
    if (err instanceof ConfigError) return err.issues.map((i) => formatIssue(i).split(`${root}/`).join(''));
    throw err;
  }
  throw new Error('expected a configuration error');
}

const BASE = `template: base
allow_risky: [auth.jwt_exp]
auth:
  site_url: https://base.example.com
  jwt_exp: 3600
  uri_allow_list: [https://a, https://b]
postgres:
  statement_timeout: 10s
`;
const PROD = `template: prod
extends: [base]
allow_risky: [auth.password_min_length]
auth:
  jwt_exp: 7200
  mode: observe
postgrest:
  max_rows: 500
`;

describe('layering', () => {
  it('lays templates under the project key by key, depth-first; lists replace whole; mode layers too', async () => {
    write({
      'templates/base.yaml': BASE,
      'templates/prod.yaml': PROD,
      'projects/a.yaml': `project: ${A}\nextends: [prod]\nauth:\n  uri_allow_list: [https://mine]\n`,
    });
    const [a] = (await load()).projects;
    const auth = a!.sections.get('auth')!;
    expect(auth.values).toEqual({ site_url: 'https://base.example.com', jwt_exp: 7200, uri_allow_list: ['https://mine'] });
    expect(auth.mode).toBe('observe');
    expect([...a!.sections.keys()]).toEqual(['auth', 'postgres', 'postgrest']);
    expect(a!.templates).toEqual(['base', 'prod']);
    // allow_risky accumulates through the chain.
    expect(a!.allowRisky.map((e) => e.key)).toEqual(['auth.jwt_exp', 'auth.password_min_length']);
    // Every key knows where it came from.
    const at = (section: string, key: string) => {
      const o = a!.sections.get(section)!.origin!([key])!;
      return `${o.location.file.split(`${root}/`).join('')}:${o.location.line}:${o.location.col} ${o.template ?? 'own'} ${(o.via ?? []).join('>')}`;
    };
    expect(at('auth', 'site_url')).toBe('templates/base.yaml:4:3 base prod');
    expect(at('auth', 'jwt_exp')).toBe('templates/prod.yaml:5:3 prod ');
    expect(at('auth', 'mode')).toBe('templates/prod.yaml:6:3 prod ');
    expect(at('auth', 'uri_allow_list')).toBe('projects/a.yaml:4:3 own ');
    expect(at('postgres', 'statement_timeout')).toBe('templates/base.yaml:8:3 base prod');
  });

  it('orders several templates as listed, each after its own extends, a shared one once where first reached', async () => {
    write({
      't.yaml': [
        'template: root\nauth: {jwt_exp: 1, site_url: https://root}',
        'template: left\nextends: [root]\nauth: {jwt_exp: 2}',
        'template: right\nextends: [root]\nauth: {site_url: https://right}',
      ].join('\n---\n'),
      'p.yaml': `project: ${A}\nextends: [left, right]\n`,
    });
    const [a] = (await load()).projects;
    expect(a!.templates).toEqual(['root', 'left', 'right']);
    expect(a!.sections.get('auth')!.values).toEqual({ jwt_exp: 2, site_url: 'https://right' });
  });

  it('unmanage drops inherited keys, and a whole section; a key nothing set is a warning', async () => {
    write({
      'templates/base.yaml': BASE,
      'p.yaml': `project: ${A}\nextends: [base]\nunmanage: [auth.jwt_exp, postgres, pooler.pool_mode]\n`,
    });
    const state = await load();
    const [a] = state.projects;
    expect(a!.sections.get('auth')!.values).toEqual({ site_url: 'https://base.example.com', uri_allow_list: ['https://a', 'https://b'] });
    expect(a!.sections.has('postgres')).toBe(false);
    expect(state.warnings.map((w) => w.split(`${root}/`).join(''))).toEqual([
      'p.yaml:3:36: unmanage: "pooler.pool_mode" is not set by a layer before this one, so there is nothing to stop managing',
    ]);
  });

  it('keeps several documents per project, and a project without templates, exactly as before', async () => {
    write({ 'a.yaml': `project: ${A}\nauth: {jwt_exp: 1}\n`, 'b.yaml': `project: ${A}\nauth: {site_url: https://x}\n` });
    const [a] = (await load()).projects;
    expect(a!.sections.get('auth')!.values).toEqual({ jwt_exp: 1, site_url: 'https://x' });
    expect(a!.templates).toBeUndefined();
    expect(a!.allowRisky).toEqual([]);
  });

  it('warns about a template no project uses', async () => {
    write({ 't.yaml': BASE, 'p.yaml': `project: ${A}\nauth: {jwt_exp: 1}\n` });
    expect((await load()).warnings.map((w) => w.split(`${root}/`).join(''))).toEqual(['t.yaml:1:11: template "base" is not used by any project']);
  });
});

describe('variables', () => {
  const TEMPLATE = `template: web
vars: {domain: default.example.com, port: 587}
auth:
  site_url: https://\${var:domain}
  uri_allow_list: ["https://\${project}.\${var:domain}/cb"]
  smtp_port: \${var:port}
  smtp_host: "\${var:port}"
`;

  it('resolve per project after merging: a template value takes each project its own value, typed as written', async () => {
    write({
      't.yaml': TEMPLATE,
      'a.yaml': `project: ${A}\nextends: [web]\nvars: {domain: a.example.com}\n`,
      'b.yaml': `project: ${B}\nextends: [web]\n`,
    });
    const [a, b] = (await load()).projects;
    expect(a!.sections.get('auth')!.values).toEqual({
      site_url: 'https://a.example.com',
      uri_allow_list: [`https://${A}.a.example.com/cb`],
      smtp_port: 587,
      smtp_host: '587',
    });
    expect(b!.sections.get('auth')!.values.site_url).toBe('https://default.example.com');
  });

  it('lets a variable that is a list be a whole value, and keeps ${VAR} and $${ as they are', async () => {
    write({
      'p.yaml': `project: ${A}
vars: {urls: [https://x/cb, https://y/cb], host: "\${SMTP_HOST}"}
auth:
  uri_allow_list: \${var:urls}
  smtp_host: \${var:host}
  site_url: "https://$\${var:x}/\${SITE}"
`,
    });
    const [a] = (await load({ env: { SMTP_HOST: 'smtp.example.com', SITE: 'app' } })).projects;
    expect(a!.sections.get('auth')!.values).toEqual({
      uri_allow_list: ['https://x/cb', 'https://y/cb'],
      smtp_host: 'smtp.example.com',
      site_url: 'https://${var:x}/app',
    });
  });

  it('treats a value read from a file as sensitive wherever a variable takes it', async () => {
    write({
      'secrets/smtp': 'canary-5f1e9b2c\n',
      'cfg/p.yaml': `project: ${A}\nvars: {pass: "\${file:${root}/secrets/smtp}"}\nauth:\n  smtp_user: "u-\${var:pass}"\n  site_url: \${var:pass}\n`,
    });
    const state = await loadDesiredState([join(root, 'cfg')], { secretsDirs: [join(root, 'secrets')], env: {} });
    const auth = state.projects[0]!.sections.get('auth')!;
    expect(auth.values.site_url).toBe('canary-5f1e9b2c');
    expect([...auth.fromFile].sort()).toEqual(['site_url', 'smtp_user']);
  });

  it('looks variables up as own properties only', async () => {
    write({ 'p.yaml': `project: ${A}\nauth:\n  site_url: https://\${var:toString}\n  smtp_host: \${var:__proto__}\n` });
    expect(await errors()).toEqual([
      `p.yaml:3:21: auth.site_url: variable "toString" is not set for project ${A} (set it under vars: in the project or in a template it extends)`,
      `p.yaml:4:14: auth.smtp_host: variable "__proto__" is not set for project ${A} (set it under vars: in the project or in a template it extends)`,
    ]);
  });

  it('checks a resolved value against the schema where it is written, naming the projects it fails in', async () => {
    write({
      't.yaml': 'template: web\nvars: {jwt: 3600}\nauth:\n  jwt_exp: ${var:jwt}\n',
      'a.yaml': `project: ${A}\nextends: [web]\nvars: {jwt: one hour}\n`,
      'b.yaml': `project: ${B}\nextends: [web]\nvars: {jwt: -5}\n`,
      'c.yaml': `project: ${C}\nextends: [web]\n`,
    });
    expect(await errors()).toEqual([
      `t.yaml:4:12: auth.jwt_exp: must be an integer or null (template web, in project ${A})`,
      `t.yaml:4:12: auth.jwt_exp: must be >= 0 (template web, in project ${B})`,
    ]);
  });
});

describe('error rules, each one located line', () => {
  it('an unknown template, with a suggestion', async () => {
    write({ 't.yaml': BASE, 'p.yaml': `project: ${A}\nextends: [bse]\n` });
    expect(await errors()).toEqual(['p.yaml:2:11: extends: unknown template "bse" (did you mean "base"?)']);
  });

  it('a cycle, naming the chain', async () => {
    write({ 't.yaml': 'template: one\nextends: [two]\n---\ntemplate: two\nextends: [three]\n---\ntemplate: three\nextends: [one]\n', 'p.yaml': `project: ${A}\nextends: [one]\n` });
    expect(await errors()).toEqual([`t.yaml:8:11: extends: template cycle: one → two → three → one (template three, used by project ${A})`]);
  });

  it('the same key twice within one layer, naming both places; across layers it overrides', async () => {
    write({
      't1.yaml': 'template: base\nauth:\n  jwt_exp: 1\n',
      't2.yaml': 'template: base\nauth:\n  jwt_exp: 2\n',
      'p1.yaml': `project: ${A}\nextends: [base]\nauth:\n  jwt_exp: 3\n`,
      'p2.yaml': `project: ${A}\nauth:\n  jwt_exp: 4\n`,
    });
    expect(await errors()).toEqual([
      `p2.yaml:3:3: auth.jwt_exp: set twice for project ${A}: here and at p1.yaml:4:3`,
      `t2.yaml:3:3: auth.jwt_exp: set twice in this template: here and at t1.yaml:3:3 (template base, used by project ${A})`,
    ]);
  });

  it('template: and project: in one document', async () => {
    write({ 'p.yaml': `project: ${A}\ntemplate: base\nauth: {jwt_exp: 1}\n` });
    expect(await errors()).toEqual(['p.yaml:2:1: template: a document is either a project (project:) or a template (template:), not both']);
  });

  it('unmanage of a key the project also sets', async () => {
    write({ 't.yaml': BASE, 'p.yaml': `project: ${A}\nextends: [base]\nunmanage: [auth.jwt_exp]\nauth:\n  jwt_exp: 5\n` });
    expect(await errors()).toEqual([
      'p.yaml:3:12: unmanage: "auth.jwt_exp": auth.jwt_exp is also set by this project (at p.yaml:5:3); a layer cannot both set and unmanage a key',
    ]);
  });

  it('unmanage entries that name nothing', async () => {
    write({ 't.yaml': BASE, 'p.yaml': `project: ${A}\nextends: [base]\nunmanage: [auth.jwt_expiry, authh, auth.mode]\n` });
    expect(await errors()).toEqual([
      'p.yaml:3:12: unmanage: "auth.jwt_expiry": auth has no key "jwt_expiry" (did you mean "jwt_exp"?)',
      'p.yaml:3:29: unmanage: "authh": unknown section "authh" (did you mean "auth"?)',
      'p.yaml:3:36: unmanage: "auth.mode": mode cannot be unmanaged; set it (mode: enforce or observe) instead',
    ]);
  });

  it('an unset variable, naming the projects and the reference', async () => {
    write({
      't.yaml': 'template: web\nauth:\n  site_url: https://${var:domain}/x\n',
      'a.yaml': `project: ${A}\nextends: [web]\n`,
      'b.yaml': `project: ${B}\nextends: [web]\n`,
      'c.yaml': `project: ${C}\nextends: [web]\nvars: {domain: c.example.com}\n`,
      'd.yaml': `project: ${D}\nextends: [web]\n`,
    });
    expect(await errors()).toEqual([
      `t.yaml:3:21: auth.site_url: variable "domain" is not set for projects ${A}, ${B} and ${D} (template web; set it under vars: in the project or in a template it extends)`,
    ]);
  });

  it('a schema error in a template, with the projects it affects', async () => {
    write({ 't.yaml': 'template: web\nauth:\n  jwt_exp: -1\n', 'a.yaml': `project: ${A}\nextends: [web]\n` });
    expect(await errors()).toEqual([`t.yaml:3:12: auth.jwt_exp: must be >= 0 (template web, used by project ${A})`]);
  });

  it('a semantic error in a template, with the projects it affects', async () => {
    write({
      't.yaml': 'template: net\nnetwork_restrictions:\n  dbAllowedCidrs: [not-a-cidr]\n',
      'a.yaml': `project: ${A}\nextends: [net]\n`,
      'b.yaml': `project: ${B}\nextends: [net]\n`,
    });
    const [line] = await errors();
    expect(line).toMatch(/^t\.yaml:3:20: network_restrictions\.dbAllowedCidrs\[0\]: .+ \(template net, in projects a{20} and b{20}\)$/);
  });

  it('templates nested too deep, and too many templates for one project (the chain is up to the input)', async () => {
    const chain = Array.from({ length: 5000 }, (_, i) => `template: t${i}\n${i ? `extends: [t${i - 1}]\n` : ''}`).join('---\n');
    write({ 'chain.yaml': chain, 'p.yaml': `project: ${A}\nextends: [t4999]\n` });
    const lines = await errors();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^chain\.yaml:\d+:11: extends: templates nest deeper than 16 levels \(template t4984, used by project a{20}\)$/);
    rmSync(join(root, 'chain.yaml'));
    const many = Array.from({ length: 70 }, (_, i) => `template: w${i}\nauth: {jwt_exp: ${i}}\n`).join('---\n');
    write({ 'many.yaml': many, 'p.yaml': `project: ${A}\nextends: [${Array.from({ length: 70 }, (_, i) => `w${i}`).join(', ')}]\n` });
    expect(await errors()).toEqual([`p.yaml:1:10: extends: project ${A} has 70 templates (at most 63)`]);
  });

  it('per-project references outside section values and vars', async () => {
    write({ 'p.yaml': `project: ${A}\nallow_risky: ["\${var:x}"]\n` });
    expect(await errors()).toContainEqual('p.yaml:2:16: allow_risky[0]: ${var:...} and ${project} may be used only in section values and vars');
  });
});

describe('reference forms (for --changed-since)', () => {
  it('keep ${VAR} and ${file:} as written, resolve ${var:} and ${project}, and read no secret', async () => {
    write({
      't.yaml': 'template: web\nauth:\n  site_url: https://${var:domain}\n  smtp_pass: ${file:/nonexistent/secret}\n  smtp_user: ${SMTP_USER}\n',
      'a.yaml': `project: ${A}\nextends: [web]\nvars: {domain: a.example.com}\n`,
    });
    const forms = await loadReferenceForms([root], {});
    expect(forms.project(A).sections.get('auth')!.values).toEqual({
      site_url: 'https://a.example.com',
      smtp_pass: '${file:/nonexistent/secret}',
      smtp_user: '${SMTP_USER}',
    });
  });

  it('are also computed next to the resolved state', async () => {
    write({ 'a.yaml': `project: ${A}\nauth:\n  smtp_user: \${SMTP_USER}\n  jwt_exp: \${JWT}\n` });
    const state = await load({ env: { SMTP_USER: 'canary-user', JWT: '60' }, referenceForms: true });
    expect(state.projects[0]!.sections.get('auth')!.values).toEqual({ smtp_user: 'canary-user', jwt_exp: 60 });
    expect(state.references!.project(A).sections.get('auth')!.values).toEqual({ smtp_user: '${SMTP_USER}', jwt_exp: '${JWT}' });
  });
});
