import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDesiredState } from '../../../src/config/load.js';
import { ConfigError, formatIssue } from '../../../src/errors.js';
import { ROOT } from '../../helpers/cli.js';

const A = 'abcdefghijklmnopqrst';
const CANARY = 'canary-3f9d1c-do-not-print';
let root: string;
let secrets: string;

const write = (rel: string, text: string): string => {
  const path = join(root, rel);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
};

async function issuesOf(paths: string[], env: Record<string, string> = {}): Promise<string[]> {
  try {
    await loadDesiredState(paths, { secretsDirs: [secrets], env });
  } catch (err) {
    if (err instanceof ConfigError) return err.issues.map(formatIssue);
    throw err;
  }
  throw new Error('expected a ConfigError');
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'supasync-load-'));
  secrets = join(root, 'secrets');
  write('secrets/cidr', `${CANARY}\n`);
  write('secrets/smtp', `${CANARY}\n`);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('loadDesiredState', () => {
  it('loads the examples: two projects, sections merged across files, friendly forms kept as written', async () => {
    const state = await loadDesiredState([join(ROOT, 'examples')], { secretsDirs: [], env: {} });
    expect(state.projects.map((p) => p.ref)).toEqual([A, 'zyxwvutsrqponmlkjihg']);
    expect(state.files).toHaveLength(8);
    expect(state.warnings).toEqual([]);
    const prod = state.projects[0]!;
    expect([...prod.sections.keys()]).toEqual(['auth', 'postgres', 'pooler', 'network_restrictions', 'sso', 'storage', 'realtime']);
    expect(prod.sections.get('auth')!.values.uri_allow_list).toEqual([
      'https://app.example.com/auth/callback',
      'https://admin.example.com/auth/callback',
    ]);
    expect(prod.sections.get('auth')!.values.smtp_pass).toBe('example-smtp-password');
    const staging = state.projects[1]!.sections.get('auth')!;
    expect(staging.mode).toBe('observe');
    expect(staging.values.jwt_exp).toBe(3600);
  });

  it('takes secrets from the environment and from files, and remembers which came from files', async () => {
    const file = write('ok/auth.yaml', `project: ${A}\nauth:\n  smtp_pass: \${file:${secrets}/smtp}\n  smtp_user: \${SMTP_USER}\n`);
    const state = await loadDesiredState([file], { secretsDirs: [secrets], env: { SMTP_USER: 'mailer' } });
    const auth = state.projects[0]!.sections.get('auth')!;
    expect(auth.values).toEqual({ smtp_pass: CANARY, smtp_user: 'mailer' });
    expect([...auth.fromFile]).toEqual(['smtp_pass']);
  });

  it('reports every problem of every file at once, sorted by place', async () => {
    const a = write('many/a.yaml', `project: ${A}\nauth:\n  jwt_expiry: 1\n`);
    const b = write('many/b.yaml', `project: ${A}\npooler:\n  pool_mode: x\n  default_pool_size: \${UNSET}\n`);
    const c = write('many/c.yaml', 'project: [\n');
    expect(await issuesOf([join(root, 'many')])).toEqual([
      `${a}:3:3: auth: unknown key "jwt_expiry" (did you mean "jwt_exp"?)`,
      `${b}:3:14: pooler.pool_mode: must be one of: transaction, session`,
      `${b}:4:22: pooler.default_pool_size: environment variable UNSET is not set (give it a value, or a default: \${UNSET:-default})`,
      `${c}:2:1: YAML: Flow sequence in block collection must be sufficiently indented and end with a ]`,
    ]);
  });

  it('runs provider checks: errors located, warnings returned', async () => {
    const bad = write('net/bad.yaml', `project: ${A}\nnetwork_restrictions:\n  dbAllowedCidrs: [1.2.3.4/33]\n`);
    expect(await issuesOf([bad])).toEqual([
      `${bad}:3:20: network_restrictions.dbAllowedCidrs[0]: "1.2.3.4/33" is not a CIDR (expected e.g. 203.0.113.0/24 or 2001:db8::/32)`,
    ]);
    const warn = write('net/warn.yaml', `project: ${A}\nnetwork_restrictions:\n  dbAllowedCidrs:\n    - 10.0.0.0/8\n`);
    const state = await loadDesiredState([warn], { secretsDirs: [], env: {} });
    expect(state.warnings).toEqual([
      expect.stringMatching(new RegExp(`^${warn.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4:7: network_restrictions.dbAllowedCidrs\\[0\\]: "10.0.0.0/8" is a private range`)),
    ]);
  });

  it('checks allow_risky entries against the sections and keys', async () => {
    const f = write('risky/a.yaml', `project: ${A}\nallow_risky: [auth.password_min_lenght, sso, pooler.mode]\n`);
    expect(await issuesOf([f])).toEqual([
      `${f}:2:15: allow_risky: "auth.password_min_lenght": auth has no key "password_min_lenght" (did you mean "password_min_length"?)`,
      `${f}:2:46: allow_risky: "pooler.mode": pooler has no key "mode"`,
    ]);
  });

  it('never prints a value read from a file or a secret field, even when a check quotes it', async () => {
    const f = write(
      'canary/a.yaml',
      [
        `project: ${A}`,
        'network_restrictions:',
        `  dbAllowedCidrs: ["\${file:${secrets}/cidr}"]`,
        'auth:',
        `  site_url: "\${file:${secrets}/smtp},x"`,
        '  smtp_pass: ${SMTP_PASSWORD}',
        '  smtp_port: ["${SMTP_PASSWORD}"]',
        'pooler:',
        `  pool_mode: \${file:${secrets}/smtp}`,
      ].join('\n'),
    );
    const issues = await issuesOf([f], { SMTP_PASSWORD: CANARY });
    expect(issues.length).toBeGreaterThanOrEqual(3);
    for (const issue of issues) expect(issue.toLowerCase()).not.toContain(CANARY.toLowerCase());
    // The check's message says what is wrong with the value without quoting it.
    expect(issues.join('\n')).toContain('network_restrictions.dbAllowedCidrs[0]: the value is not a CIDR');
  });

  it('refuses a configuration that declares no project, and bad --secrets-dir options', async () => {
    const f = write('none/a.yaml', '# nothing here\n');
    expect(await issuesOf([f])).toEqual([`no project is declared in ${f} (each document needs "project: <ref>")`]);
    await expect(loadDesiredState([join(ROOT, 'examples')], { secretsDirs: [join(root, 'missing')], env: {} })).rejects.toThrow(
      /--secrets-dir .*missing: does not exist/,
    );
  });
});

describe('documents of other tools', () => {
  it('says so once, and how to skip them', async () => {
    const k8s = write('foreign/deploy.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\n');
    const gha = write('foreign/ci.yml', 'name: ci\non: push\njobs: {}\n');
    expect(await issuesOf([join(root, 'foreign')])).toEqual([
      `${gha}:1:1: not a supasync document (it looks like a GitHub Actions workflow); list its path in a .supasyncignore file to skip it`,
      `${k8s}:1:1: not a supasync document (it looks like a Kubernetes manifest); list its path in a .supasyncignore file to skip it`,
    ]);
  });
});

describe('loadDesiredState: what is redacted (issue 13, items 1-2)', () => {
  it('the content of a file embedded in a longer value is redacted by itself, in any case', async () => {
    const f = write('embedded/a.yaml', `project: ${A}\nauth:\n  site_url: "https://\${file:${secrets}/smtp}.example.com/cb"\n`);
    const state = await loadDesiredState([f], { secretsDirs: [secrets], env: {} });
    expect(state.sensitive.redact(`site ${CANARY.toUpperCase()} here`)).toBe('site [redacted] here');
    expect(state.sensitive.reveals(`https://${CANARY}.example.com/other`)).toBe(true);
  });
});

describe('loadDesiredState: more secrets than redaction can index', () => {
  it('is refused (fails closed) rather than redacted unreliably', async () => {
    const values = Array.from({ length: 700 }, (_, i) => `    S${i}: "${createHash('sha256').update(String(i)).digest('hex')}${'q'.repeat(40)}"`).join('\n');
    const f = write('budget/a.yaml', `project: ${A}\nsecrets:\n  values:\n${values}\n`);
    const issues = await issuesOf([f]);
    expect(issues).toEqual([expect.stringMatching(/add up to more than 512 Ki characters in the forms redaction looks for/)]);
  });
});
