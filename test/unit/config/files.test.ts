import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverConfigFiles, parseIgnoreFile } from '../../../src/config/files.js';
import { LIMITS } from '../../../src/config/limits.js';
import { newReadBudget, readConfigFile } from '../../../src/config/read.js';

let root: string;
const write = (rel: string, content: string | Buffer = 'project: abcdefghijklmnopqrst\n') => {
  const path = join(root, rel);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, content);
  return path;
};

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'supasync-files-'));
  write('conf/b.yaml');
  write('conf/a.yml');
  write('conf/sub/c.YAML');
  write('conf/notes.txt', 'not yaml');
  write('conf/.hidden.yaml');
  write('conf/.git/config.yaml');
  write('conf/.github/workflows/plan.yaml', 'on: pull_request\n');
  write('conf/node_modules/pkg/config.yaml', 'not: supasync\n');
  write('conf/sub/node_modules/other/action.yml', 'runs: {}\n');
  write('conf/kubernetes/deployment.yaml', 'apiVersion: apps/v1\n');
  write('conf/ci/workflow.yaml', 'on: push\n');
  write('conf/ci/keep.yaml');
  write('conf/.supasyncignore', '# not supasync configuration\nkubernetes/\n./ci/workflow.yaml\n\n');
  // Kubernetes ConfigMap volume: auth.yaml -> ..data/auth.yaml, ..data -> ..2026_01_01
  write('cm/..2026_01_01/auth.yaml');
  symlinkSync('..2026_01_01', join(root, 'cm/..data'));
  symlinkSync('..data/auth.yaml', join(root, 'cm/auth.yaml'));
  mkdirSync(join(root, 'empty'));
  symlinkSync('..', join(root, 'conf/sub/loop'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('discoverConfigFiles', () => {
  it('reads directories recursively, sorted, skipping hidden entries, node_modules, other extensions and ignored paths', async () => {
    const { files, issues } = await discoverConfigFiles([join(root, 'conf')]);
    expect(issues).toEqual([]);
    expect(files).toEqual(['conf/a.yml', 'conf/b.yaml', 'conf/ci/keep.yaml', 'conf/sub/c.YAML'].map((f) => join(root, f)));
  });

  it('reads a node_modules directory or a file in a hidden directory given with -c', async () => {
    expect((await discoverConfigFiles([join(root, 'conf/node_modules')])).files).toEqual([join(root, 'conf/node_modules/pkg/config.yaml')]);
    const hidden = join(root, 'conf/.github/workflows/plan.yaml');
    expect((await discoverConfigFiles([hidden])).files).toEqual([hidden]);
  });

  it('reads each file of a Kubernetes ConfigMap volume once', async () => {
    expect((await discoverConfigFiles([join(root, 'cm')])).files).toEqual([join(root, 'cm/auth.yaml')]);
  });

  it('reads a file given explicitly, whatever its name, and a file given twice once', async () => {
    const txt = join(root, 'conf/notes.txt');
    const b = join(root, 'conf/b.yaml');
    expect((await discoverConfigFiles([txt, b, join(root, 'conf')])).files).toHaveLength(5);
    expect((await discoverConfigFiles([b, b])).files).toEqual([b]);
  });

  it('reports a path that does not exist, and a directory without configuration', async () => {
    const missing = join(root, 'nope');
    expect((await discoverConfigFiles([missing])).issues).toEqual([{ path: '', message: `${missing}: no such file or directory` }]);
    expect((await discoverConfigFiles([join(root, 'empty')])).issues[0]?.message).toMatch(/^no configuration files/);
  });

  it('parses .supasyncignore lines', () => {
    expect([...parseIgnoreFile('# c\n a/ \n./b.yaml\r\nc\\d\n\n')]).toEqual(['a', 'b.yaml', 'c/d']);
  });
});

describe('readConfigFile guards', () => {
  it('reads UTF-8 text and drops a byte-order mark', async () => {
    const path = write('text/bom.yaml', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('a: é\n')]));
    expect(await readConfigFile(path, newReadBudget())).toEqual({ ok: true, text: 'a: é\n' });
  });

  it('refuses a binary file at its first NUL byte', async () => {
    const path = write('text/bin.yaml', Buffer.from('a: 1\nb: x\u0000y\n'));
    expect(await readConfigFile(path, newReadBudget())).toEqual({
      ok: false,
      issue: { location: { file: path, line: 2, col: 5 }, path: '', message: 'binary file (contains a NUL byte), not YAML text' },
    });
  });

  it('refuses text that is not UTF-8, at the first bad character', async () => {
    const path = write('text/latin1.yaml', Buffer.concat([Buffer.from('a: 1\nname: caf'), Buffer.from([0xe9]), Buffer.from('\n')]));
    const result = await readConfigFile(path, newReadBudget());
    expect(result).toMatchObject({ ok: false, issue: { location: { line: 2, col: 10 }, message: expect.stringContaining('not valid UTF-8') } });
  });

  it('refuses an oversized file without reading it, and stops at the total budget', async () => {
    const path = write('text/big.yaml', Buffer.alloc(LIMITS.fileBytes + 1, 0x61));
    expect(await readConfigFile(path, newReadBudget())).toMatchObject({
      ok: false,
      issue: { location: { line: 1, col: 1 }, message: expect.stringContaining('file is too large') },
    });
    const small = write('text/small.yaml', 'a: 1\n');
    const budget = { remainingBytes: 3 };
    expect(await readConfigFile(small, budget)).toMatchObject({ ok: false, issue: { message: expect.stringContaining('configuration is too large') } });
  });
});
