import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.js';
import { locate, parseToml, readTomlFile } from '../../../src/import/toml-file.js';

const dir = mkdtempSync(join(tmpdir(), 'supasync-toml-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('no error');
}

describe('reading config.toml', () => {
  it('a syntax error is located at line:col and never quotes the file', () => {
    const err = errorOf(() => parseToml('config.toml', '[auth.email.smtp]\nhost = "x"\npass = "canary-unterminated\n'));
    expect(err.issues).toHaveLength(1);
    expect(err.issues[0]!.location).toMatchObject({ file: 'config.toml', line: 3 });
    expect(err.issues[0]!.message).toMatch(/^invalid TOML: /);
    expect(err.message).not.toContain('canary');
  });

  it('a duplicate key and a bad value are located too', () => {
    expect(errorOf(() => parseToml('c.toml', 'a = 1\na = 2\n')).issues[0]!.location).toMatchObject({ line: 2 });
    expect(errorOf(() => parseToml('c.toml', '\n\nb = [1,\n')).issues[0]!.location!.line).toBeGreaterThanOrEqual(3);
  });

  it('refuses __proto__ keys and nesting beyond the loader\'s depth', () => {
    expect(errorOf(() => parseToml('c.toml', '[__proto__]\nx = 1\n')).issues[0]!.message).toMatch(/^invalid TOML/);
    const deep = `x = ${'['.repeat(40)}${']'.repeat(40)}\n`;
    expect(errorOf(() => parseToml('c.toml', deep)).issues[0]!.message).toMatch(/^invalid TOML/);
  });

  it('is bounded: size, regular files only, no NUL, UTF-8', () => {
    const big = join(dir, 'big.toml');
    writeFileSync(big, `x = "${'a'.repeat(1024 * 1024)}"\n`);
    expect(errorOf(() => readTomlFile(big)).issues[0]!.message).toMatch(/too large/);
    mkdirSync(join(dir, 'sub.toml'));
    expect(errorOf(() => readTomlFile(join(dir, 'sub.toml'))).issues[0]!.message).toMatch(/not a regular file \(a directory\)/);
    writeFileSync(join(dir, 'nul.toml'), 'a = 1\nb = "\u0000"\n');
    expect(errorOf(() => readTomlFile(join(dir, 'nul.toml'))).issues[0]!.location).toMatchObject({ line: 2, col: 6 });
    writeFileSync(join(dir, 'latin1.toml'), Buffer.from([0x61, 0x3d, 0x22, 0xe9, 0x22, 0x0a]));
    expect(errorOf(() => readTomlFile(join(dir, 'latin1.toml'))).issues[0]!.message).toMatch(/UTF-8/);
    expect(errorOf(() => readTomlFile(join(dir, 'missing.toml'))).issues[0]!.message).toMatch(/no such file/);
  });
});

describe('locating keys', () => {
  const toml = parseToml(
    'c.toml',
    'project_id = "x"\n[auth]\nsite_url = "a"\ntext = """\nfake = 1\n"""\n  [auth.email.smtp]\n  pass = "p"\n[remotes.staging]\nauth.site_url = "b"\n[remotes.staging.db."settings"]\nwork_mem = "1MB"\n',
  );
  it.each([
    ['project_id', 1, 1],
    ['auth.site_url', 3, 1],
    ['auth.email.smtp.pass', 8, 3],
    ['remotes.staging.auth.site_url', 10, 1],
    ['remotes.staging.db.settings.work_mem', 12, 1],
    ['auth.email.smtp.missing', 7, 3],
  ])('%s at %i:%i', (path, line, col) => expect(locate(toml, path)).toEqual({ file: 'c.toml', line, col }));

  it('skips multi-line strings and falls back to the first line', () => {
    expect(locate(toml, 'auth.fake')).toEqual({ file: 'c.toml', line: 2, col: 1 });
    expect(locate(toml, 'nowhere')).toEqual({ file: 'c.toml', line: 1, col: 1 });
  });
});
