import { describe, expect, it } from 'vitest';
import { parseYaml } from '../../../src/config/parse.js';
import { treesOf } from './helpers.js';

const one = (text: string, env: Record<string, string> = {}) => {
  const [tree] = treesOf('f.yaml', text, { env });
  if (!tree) throw new Error('no document');
  return tree;
};

describe('YAML documents to values', () => {
  it('records where every key and value stands', () => {
    const tree = one('project: abcdefghijklmnopqrst\nauth:\n  jwt_exp: 3600\n  uri_allow_list:\n    - https://a\n    - https://b\n');
    expect(tree.positions.key(['auth', 'jwt_exp'])).toEqual({ file: 'f.yaml', line: 3, col: 3 });
    expect(tree.positions.value(['auth', 'jwt_exp'])).toEqual({ file: 'f.yaml', line: 3, col: 12 });
    expect(tree.positions.value(['auth', 'uri_allow_list', 1])).toEqual({ file: 'f.yaml', line: 6, col: 7 });
  });

  it('ignores empty documents and keeps the others', () => {
    const trees = treesOf('f.yaml', '# nothing\n---\nproject: abcdefghijklmnopqrst\n---\n~\n---\n');
    expect(trees.map((t) => t.value)).toEqual([{ project: 'abcdefghijklmnopqrst' }, undefined, undefined]);
  });

  it('re-types a plain single reference by YAML rules; quoted stays a string', () => {
    const tree = one('a: ${N}\nb: "${N}"\nc: ${N}s\nd: ${B}\ne: !!str ${N}\n', { N: '3600', B: 'true' });
    expect(tree.value).toEqual({ a: 3600, b: '3600', c: '3600s', d: true, e: '3600' });
  });

  it('keeps values read from files as strings and records their paths', () => {
    const [tree] = treesOf('f.yaml', 'auth:\n  smtp_pass: ${file:/s/pass}\n  smtp_port: ${file:/s/port}\n', {
      readFile: (p) => ({ ok: true, text: p.endsWith('port') ? '587' : 'pw' }),
    });
    expect(tree?.value).toEqual({ auth: { smtp_pass: 'pw', smtp_port: '587' } });
    expect(tree?.fromFile).toEqual([['auth', 'smtp_pass'], ['auth', 'smtp_port']]);
  });

  it('refuses a reference in a mapping key, located at the key: keys are never interpolated (issue 13, canary suite)', () => {
    const [tree] = treesOf('f.yaml', 'sso:\n  providers:\n    - attribute_mapping:\n        keys:\n          "${file:/s/claim}": {name: x}\n', {
      readFile: () => {
        throw new Error('a key must not be read');
      },
    });
    expect(tree?.issues).toEqual([
      {
        location: { file: 'f.yaml', line: 5, col: 11 },
        path: 'sso.providers[0].attribute_mapping.keys',
        message: 'a mapping key cannot hold a ${...} reference (keys are never interpolated; put the reference in a value)',
      },
    ]);
    expect(tree?.fromFile).toEqual([]);
  });

  it('locates an unset variable at the reference itself', () => {
    const tree = one('auth:\n  smtp_pass: "x-${UNSET}"\n');
    expect(tree.issues).toEqual([
      {
        location: { file: 'f.yaml', line: 2, col: 17 },
        path: 'auth.smtp_pass',
        message: expect.stringContaining('environment variable UNSET is not set'),
      },
    ]);
    expect(tree.unresolved).toEqual([['auth', 'smtp_pass']]);
  });

  it('expands aliases', () => {
    const tree = one('base: &d [a.com, b.com]\nsso:\n  domains: *d\n');
    expect(tree.value).toEqual({ base: ['a.com', 'b.com'], sso: { domains: ['a.com', 'b.com'] } });
    expect(tree.positions.value(['sso', 'domains'])).toEqual({ file: 'f.yaml', line: 3, col: 12 });
  });

  it('stops an alias bomb at the alias that exceeds the budget', () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]',
    ].join('\n');
    const tree = one(bomb);
    expect(tree.value).toBeUndefined();
    expect(tree.issues).toHaveLength(1);
    expect(tree.issues[0]?.message).toMatch(/too many alias expansions \(more than 100\)/);
    expect(tree.issues[0]?.location).toEqual({ file: 'f.yaml', line: 4, col: 8 });
  });

  it('reports an alias without an anchor', () => {
    expect(one('a: *nowhere\n').issues[0]).toMatchObject({ path: 'a', message: expect.stringContaining('unknown alias *nowhere') });
  });

  it('keeps a __proto__ key as data', () => {
    const value = one('__proto__: {polluted: true}\n').value as Record<string, unknown>;
    expect(Object.keys(value)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
  });

  it('refuses complex mapping keys', () => {
    expect(parseYaml('f.yaml', '? [a, b]\n: c\n').issues[0]?.message).toBe('YAML: mapping keys must be plain strings');
  });
});

describe('YAML syntax', () => {
  const issues = (text: string) => parseYaml('f.yaml', text).issues.map((i) => `${i.location?.line}:${i.location?.col} ${i.message}`);

  it('reports syntax errors with their position, once per document', () => {
    expect(issues('a: b: c\n')).toEqual(['1:4 YAML: Nested mappings are not allowed in compact mappings']);
    expect(issues('- a\nb: 1\n')).toEqual(['2:1 YAML: Unexpected scalar at node end']);
  });

  it('names duplicate keys', () => {
    expect(issues('auth:\n  site_url: x\n  site_url: y\n')).toEqual([
      '3:3 YAML: duplicate key "site_url": a key may appear only once in a mapping',
    ]);
  });

  it('never quotes the source in a message', () => {
    const all = [
      ...issues('key: "unterminated hunter2-secret\n'),
      ...issues('a:\n  - x\n  hunter2-secret: y: z\n'),
      ...issues('[a, b]]\nhunter2-secret\n'),
      ...issues('a: |x hunter2-secret\n  b\n'),
    ];
    expect(all.length).toBeGreaterThan(0);
    for (const message of all) expect(message).not.toContain('hunter2');
  });

  it('refuses nesting deeper than the cap before composing it', () => {
    expect(issues('['.repeat(200000))).toEqual(['1:33 nesting is too deep (more than 32 levels)']);
    const block = Array.from({ length: 40 }, (_, i) => `${' '.repeat(i * 2)}k${i}:`).join('\n');
    expect(issues(block)[0]).toMatch(/^33:\d+ nesting is too deep/);
  });
});
