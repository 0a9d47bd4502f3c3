/**
 * `supasync validate` end to end: the built CLI on the examples and on broken configurations.
 * Every failure must exit 3 with a one-line, located message, no stack trace, and no secret value.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli.js';

const FIXTURES = 'test/fixtures/config';
const CANARY_ENV = 'canary-env-5b1e7a-never-print';
const CANARY_FILE = 'canary-file-9c04d2-never-print';
const env = { SUPASYNC_TEST_CANARY: CANARY_ENV, SMTP_PASSWORD: CANARY_ENV, GITHUB_OAUTH_SECRET: CANARY_ENV };

function expectClean(result: CliResult): void {
  const output = result.stdout + result.stderr;
  expect(output).not.toContain('    at ');
  expect(output).not.toContain('Internal error');
  expect(output).not.toContain(CANARY_ENV);
  expect(output).not.toContain(CANARY_FILE);
}

/** Runs validate and expects exit 3 with exactly these error lines. */
async function expectErrors(args: string[], lines: string[]): Promise<void> {
  const result = await runCli(['validate', ...args], { env });
  expectClean(result);
  expect(result.stdout).toBe('');
  expect(result.stderr.trimEnd().split('\n')).toEqual(lines.map((l) => `Error: ${l}`));
  expect(result.code).toBe(3);
}

describe('supasync validate', () => {
  it('accepts the examples without any environment', async () => {
    const result = await runCli(['validate', '-c', 'examples/'], { env: { SMTP_PASSWORD: undefined, GITHUB_OAUTH_SECRET: undefined } });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('Valid: 8 files, 2 projects (abcdefghijklmnopqrst, zyxwvutsrqponmlkjihg).\n');
    expect(result.code).toBe(0);
  });

  it('accepts the examples with secrets set, and prints none of them', async () => {
    const result = await runCli(['validate', '-c', 'examples/config/auth.yaml', '-c', 'examples/config/staging.yaml'], { env });
    expectClean(result);
    expect(result.stdout).toBe('Valid: 2 files, 2 projects (abcdefghijklmnopqrst, zyxwvutsrqponmlkjihg).\n');
    expect(result.code).toBe(0);
  });

  it('reads several documents of one file and ignores empty ones', async () => {
    const result = await runCli(['validate', '-c', `${FIXTURES}/multi-document.yaml`]);
    expect(result.stdout).toBe('Valid: 1 file, 1 project (abcdefghijklmnopqrst).\n');
    expect(result.code).toBe(0);
  });

  it('prints provider warnings to stderr and still succeeds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'supasync-warn-'));
    try {
      const file = join(dir, 'net.yaml');
      writeFileSync(file, 'project: abcdefghijklmnopqrst\nnetwork_restrictions:\n  dbAllowedCidrs: [192.168.0.0/16]\n');
      const result = await runCli(['validate', '-c', file]);
      expect(result.stderr).toMatch(new RegExp(`^Warning: ${file}:3:20: network_restrictions.dbAllowedCidrs\\[0\\]: "192.168.0.0/16" is a private range`));
      expect(result.code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ['unknown key, with a suggestion', 'unknown-key.yaml', '4:3: auth: unknown key "jwt_expiry" (did you mean "jwt_exp"?)'],
    ['wrong type', 'wrong-type.yaml', '3:22: pooler.default_pool_size: must be an integer or null'],
    ['bad enum value', 'bad-enum.yaml', '3:14: pooler.pool_mode: must be one of: transaction, session (did you mean "transaction"?)'],
    ['number out of range', 'out-of-range.yaml', '3:12: auth.jwt_exp: must be <= 604800'],
    [
      'unset variable',
      'unset-var.yaml',
      '4:14: auth.smtp_pass: environment variable SUPASYNC_TEST_UNSET_PASSWORD is not set (this is a secret field: set SUPASYNC_TEST_UNSET_PASSWORD in the environment, or read the secret from a file with ${file:/path}; a default would put the secret in git)',
    ],
    ['YAML syntax error', 'syntax-error.yaml', '5:3: YAML: Flow sequence in block collection must be sufficiently indented and end with a ]'],
    ['duplicate key in a mapping', 'duplicate-key.yaml', '5:3: YAML: duplicate key "pool_mode": a key may appear only once in a mapping'],
    ['alias bomb', 'alias-bomb.yaml', '5:8: too many alias expansions (more than 100); is this an alias bomb?'],
    ['missing project', 'missing-project.yaml', '2:1: missing required key "project"'],
    ['binary file', 'binary.yaml', '3:19: binary file (contains a NUL byte), not YAML text'],
    ['non-UTF-8 file', 'non-utf8.yaml', '3:24: not valid UTF-8 text (save the file as UTF-8)'],
    ['nesting too deep', 'too-deep.yaml', '2:37: nesting is too deep (more than 32 levels)'],
  ])('refuses %s (exit 3, located)', async (_name, file, message) => {
    await expectErrors(['-c', `${FIXTURES}/${file}`], [`${FIXTURES}/${file}:${message}`]);
  });

  it('refuses the same key set in two files, naming both', async () => {
    await expectErrors(
      ['-c', `${FIXTURES}/duplicate`],
      [
        `${FIXTURES}/duplicate/more-auth.yaml:4:3: auth.jwt_exp: set twice for project abcdefghijklmnopqrst: here and at ${FIXTURES}/duplicate/auth.yaml:4:3`,
      ],
    );
  });

  it('reports every problem of every file in one run', async () => {
    const result = await runCli(['validate', '-c', `${FIXTURES}/unknown-key.yaml`, '-c', `${FIXTURES}/bad-enum.yaml`, '-c', `${FIXTURES}/binary.yaml`]);
    expect(result.stderr.trimEnd().split('\n').map((l) => l.split(': ')[1])).toEqual([
      `${FIXTURES}/bad-enum.yaml:3:14`,
      `${FIXTURES}/binary.yaml:3:19`,
      `${FIXTURES}/unknown-key.yaml:4:3`,
    ]);
    expect(result.code).toBe(3);
  });

  it('never prints an environment secret, even in a document with errors about those values', async () => {
    await expectErrors(
      ['-c', `${FIXTURES}/canary-env.yaml`],
      [
        `${FIXTURES}/canary-env.yaml:5:14: auth.smtp_port: must be a string, an integer or null`,
        `${FIXTURES}/canary-env.yaml:6:12: auth.jwt_exp: must be an integer or null`,
        `${FIXTURES}/canary-env.yaml:10:5: secrets.values: key "bad-name" must be letters, digits and _ (not starting with a digit), and must not start with SUPABASE_ (reserved)`,
      ],
    );
  });

  it('validate -c . in a repository skips node_modules and dot-directories, and still reads them when named', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'supasync-repo-'));
    try {
      const put = (rel: string, text: string) => {
        mkdirSync(join(repo, rel, '..'), { recursive: true });
        writeFileSync(join(repo, rel), text);
      };
      put('supabase/auth.yaml', 'project: abcdefghijklmnopqrst\nauth:\n  site_url: https://example.com\n');
      put('node_modules/some-pkg/config.yaml', 'name: some-pkg\nversion: 1\n');
      put('node_modules/.cache/x.yml', 'a: 1\n');
      put('.github/workflows/plan.yaml', 'on: pull_request\njobs: {}\n');
      const result = await runCli(['validate', '-c', '.'], { cwd: repo });
      expect(result.stderr).toBe('');
      expect(result.stdout).toBe('Valid: 1 file, 1 project (abcdefghijklmnopqrst).\n');
      expect(result.code).toBe(0);
      // Named explicitly, a file in a skipped directory is read (and here is no supasync configuration).
      const named = await runCli(['validate', '-c', '.', '-c', 'node_modules/some-pkg/config.yaml'], { cwd: repo });
      expect(named.stderr).toContain('node_modules/some-pkg/config.yaml:1:1');
      expect(named.code).toBe(3);
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });

  it('an unset variable in a secret field is not offered a default; elsewhere it is', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'supasync-unset-'));
    try {
      const file = join(dir, 'auth.yaml');
      writeFileSync(
        file,
        // OTHER is resolved per project (it names ${project}), after merging: the same rule applies.
        'project: abcdefghijklmnopqrst\nauth:\n  site_url: ${SITE_URL}\n  smtp_pass: ${SMTP_PASSWORD}\nsecrets:\n  values:\n    API_KEY: ${API_KEY}\n    OTHER: "${project}-${OTHER_KEY}"\n',
      );
      const result = await runCli(['validate', '-c', file], { env: { SMTP_PASSWORD: undefined, SITE_URL: undefined, API_KEY: undefined, OTHER_KEY: undefined } });
      expect(result.stderr.trimEnd().split('\n')).toEqual([
        `Error: ${file}:3:13: auth.site_url: environment variable SITE_URL is not set (give it a value, or a default: \${SITE_URL:-default})`,
        `Error: ${file}:4:14: auth.smtp_pass: environment variable SMTP_PASSWORD is not set (this is a secret field: set SMTP_PASSWORD in the environment, or read the secret from a file with \${file:/path}; a default would put the secret in git)`,
        `Error: ${file}:7:14: secrets.values.API_KEY: environment variable API_KEY is not set (this is a secret field: set API_KEY in the environment, or read the secret from a file with \${file:/path}; a default would put the secret in git)`,
        `Error: ${file}:8:24: secrets.values.OTHER: environment variable OTHER_KEY is not set (this is a secret field: set OTHER_KEY in the environment, or read the secret from a file with \${file:/path}; a default would put the secret in git)`,
      ]);
      expect(result.code).toBe(3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a path that does not exist, and a missing -c', async () => {
    await expectErrors(['-c', 'no/such/dir'], ['no/such/dir: no such file or directory']);
    const result = await runCli(['validate']);
    expect(result.stderr).toContain("required option '-c, --config <path>' not specified");
    expect(result.code).toBe(3);
  });
});

describe('supasync validate: ${file:...} and file limits', () => {
  let dir: string;
  let secrets: string;
  const config = (name: string, line: string): string => {
    const file = join(dir, name);
    writeFileSync(file, `project: abcdefghijklmnopqrst\nauth:\n  smtp_host: smtp.example.com\n${line}\n`);
    return file;
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'supasync-e2e-validate-'));
    secrets = join(dir, 'secrets');
    mkdirSync(secrets);
    writeFileSync(join(secrets, 'smtp'), `${CANARY_FILE}\n`);
    writeFileSync(join(dir, 'outside'), `${CANARY_FILE}\n`);
    symlinkSync(join(dir, 'outside'), join(secrets, 'escape'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a secret below --secrets-dir and prints nothing of it', async () => {
    const file = config('ok.yaml', `  smtp_pass: \${file:${secrets}/smtp}`);
    const result = await runCli(['validate', '-c', file, '--secrets-dir', secrets]);
    expectClean(result);
    expect(result.stdout).toBe('Valid: 1 file, 1 project (abcdefghijklmnopqrst).\n');
    expect(result.code).toBe(0);
  });

  it('refuses a file outside the secrets directories', async () => {
    const file = config('outside.yaml', `  smtp_pass: \${file:${dir}/outside}`);
    await expectErrors(
      ['-c', file, '--secrets-dir', secrets],
      [`${file}:4:14: auth.smtp_pass: cannot read \${file:${dir}/outside}: the path is outside the secrets directories (allowed: ${secrets})`],
    );
  });

  it('refuses a .. escape', async () => {
    const file = config('dotdot.yaml', `  smtp_pass: "x\${file:${secrets}/../outside}"`);
    await expectErrors(
      ['-c', file, '--secrets-dir', secrets],
      [`${file}:4:16: auth.smtp_pass: cannot read \${file:${secrets}/../outside}: ".." is not allowed in the path`],
    );
  });

  it('refuses a symlink that leads out', async () => {
    const file = config('symlink.yaml', `  smtp_pass: \${file:${secrets}/escape}`);
    await expectErrors(
      ['-c', file, '--secrets-dir', secrets],
      [`${file}:4:14: auth.smtp_pass: cannot read \${file:${secrets}/escape}: it is a symlink to a path outside the secrets directories (allowed: ${secrets})`],
    );
  });

  it('refuses a missing file, and any file reference without --secrets-dir', async () => {
    const missing = config('missing.yaml', `  smtp_pass: \${file:${secrets}/nope}`);
    await expectErrors(['-c', missing, '--secrets-dir', secrets], [`${missing}:4:14: auth.smtp_pass: cannot read \${file:${secrets}/nope}: no such file`]);
    const ok = config('no-dir.yaml', `  smtp_pass: \${file:${secrets}/smtp}`);
    await expectErrors(['-c', ok], [`${ok}:4:14: auth.smtp_pass: cannot read \${file:${secrets}/smtp}: file references need --secrets-dir`]);
  });

  it('never prints a value read from a file, even when it is invalid', async () => {
    const file = config('bad-value.yaml', `  smtp_admin_email: \${file:${secrets}/smtp}\n  site_url: "\${file:${secrets}/smtp},"`);
    await expectErrors(
      ['-c', file, '--secrets-dir', secrets],
      [`${file}:4:21: auth.smtp_admin_email: must be an email address`, `${file}:5:13: auth.site_url: must be non-empty and contain no comma`],
    );
  });

  it('refuses an oversized file without parsing it', async () => {
    const file = join(dir, 'huge.yaml');
    writeFileSync(file, `project: abcdefghijklmnopqrst\n# ${'x'.repeat(1024 * 1024)}\n`);
    await expectErrors(['-c', file], [`${file}:1:1: file is too large (1048609 bytes; at most 1 MiB per file)`]);
  });
});
