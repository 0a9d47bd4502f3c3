import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSecretFileReader } from '../../../src/config/secret-files.js';

let root: string;
let secrets: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'supasync-secrets-'));
  secrets = join(root, 'secrets');
  mkdirSync(secrets);
  writeFileSync(join(secrets, 'smtp'), 'p4ssword\n');
  writeFileSync(join(secrets, 'crlf'), 'value\r\n');
  writeFileSync(join(secrets, 'two-newlines'), 'value\n\n');
  writeFileSync(join(secrets, 'latin1'), Buffer.from([0x63, 0x61, 0x66, 0xe9]));
  writeFileSync(join(root, 'outside'), 'not for you');
  mkdirSync(join(secrets, 'nested'));
  // Kubernetes Secret volume layout: name -> ..data/name, ..data -> ..<timestamp>
  mkdirSync(join(secrets, '..2026_01_01'));
  writeFileSync(join(secrets, '..2026_01_01', 'token'), 'k8s-token');
  symlinkSync('..2026_01_01', join(secrets, '..data'));
  symlinkSync('..data/token', join(secrets, 'token'));
  symlinkSync(join(root, 'outside'), join(secrets, 'escape'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const read = (path: string, dirs = [secrets]) => createSecretFileReader(dirs).read(path);
const failure = (path: string, dirs = [secrets]) => {
  const r = read(path, dirs);
  if (r.ok) throw new Error(`expected ${path} to be refused`);
  return r.message;
};

describe('secret file references', () => {
  it('reads a file below a secrets directory, without one trailing newline', () => {
    expect(read(join(secrets, 'smtp'))).toEqual({ ok: true, text: 'p4ssword' });
    expect(read(join(secrets, 'crlf'))).toEqual({ ok: true, text: 'value' });
    expect(read(join(secrets, 'two-newlines'))).toEqual({ ok: true, text: 'value\n' });
  });

  it('follows symlinks that stay inside the directory (Kubernetes Secret volumes)', () => {
    expect(read(join(secrets, 'token'))).toEqual({ ok: true, text: 'k8s-token' });
  });

  it('refuses paths outside the secrets directories', () => {
    expect(failure(join(root, 'outside'))).toMatch(/outside the secrets directories \(allowed: .*secrets\)/);
    expect(failure('/etc/passwd')).toMatch(/outside the secrets directories/);
  });

  it('refuses .. segments even when they would resolve inside', () => {
    expect(failure(`${secrets}/../outside`)).toContain('".." is not allowed');
    expect(failure(`${secrets}/nested/../smtp`)).toContain('".." is not allowed');
  });

  it('refuses a symlink leading out of the directory', () => {
    expect(failure(join(secrets, 'escape'))).toContain('symlink to a path outside');
  });

  it('refuses relative paths, and any reference without --secrets-dir', () => {
    expect(failure('secrets/smtp')).toContain('must be absolute');
    expect(failure(join(secrets, 'smtp'), [])).toContain('need --secrets-dir');
  });

  it('reports a missing file, a directory and a non-UTF-8 file', () => {
    expect(failure(join(secrets, 'nope'))).toContain('no such file');
    expect(failure(join(secrets, 'nested'))).toContain('not a regular file');
    expect(failure(join(secrets, 'latin1'))).toContain('not UTF-8');
  });

  it('does not echo file contents in any message', () => {
    expect(failure(join(secrets, 'escape'))).not.toContain('not for you');
  });

  it('reports --secrets-dir options that are not directories', () => {
    const reader = createSecretFileReader([join(root, 'missing'), join(secrets, 'smtp')]);
    expect(reader.issues.map((i) => i.message)).toEqual([
      `--secrets-dir ${join(root, 'missing')}: does not exist`,
      `--secrets-dir ${join(secrets, 'smtp')}: not a directory`,
    ]);
  });

  it('refuses an empty --secrets-dir instead of reading below the current directory', () => {
    const reader = createSecretFileReader(['']);
    expect(reader.issues.map((i) => i.message)).toEqual(['--secrets-dir "": an empty value is not a directory']);
    expect(reader.read(join(process.cwd(), 'package.json'))).toMatchObject({ ok: false });
  });
});
