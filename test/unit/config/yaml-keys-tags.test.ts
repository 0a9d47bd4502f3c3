/**
 * YAML 1.2 core, no silent surprises (issue 13, item 12): mapping keys are strings exactly as
 * written, `%YAML 1.1` is refused, and every explicit tag either resolves as YAML 1.2 core says or
 * fails with a located error.
 */
import { describe, expect, it } from 'vitest';
import { parseYaml } from '../../../src/config/parse.js';
import { treesOf } from './helpers.js';

const issues = (text: string) => parseYaml('f.yaml', text).issues.map((i) => `${i.location?.line}:${i.location?.col} ${i.message}`);
const valueOf = (text: string) => treesOf('f.yaml', text)[0]?.value;

describe('mapping keys', () => {
  it('keeps a plain key as written: TRUE, 1.0, 0x1F, ~ and null stay those strings', () => {
    expect(valueOf('TRUE: a\n1.0: b\n0x1F: c\n~: d\nnull: e\nyes: f\n010: g\n')).toEqual({
      TRUE: 'a',
      '1.0': 'b',
      '0x1F': 'c',
      '~': 'd',
      null: 'e',
      yes: 'f',
      '010': 'g',
    });
  });

  it('keeps TRUE and "true" apart (two secrets, not one)', () => {
    expect(valueOf('secrets:\n  values:\n    TRUE: a\n    "true": b\n')).toEqual({ secrets: { values: { TRUE: 'a', true: 'b' } } });
  });

  it('reports a plain key and a quoted key with the same text as a duplicate', () => {
    expect(issues('true: a\n"true": b\n')).toEqual(['2:1 YAML: duplicate key "true": a key may appear only once in a mapping']);
    expect(issues('1: a\n\'1\': b\n')).toEqual(['2:1 YAML: duplicate key "1": a key may appear only once in a mapping']);
  });

  it('no longer treats keys that YAML would resolve to the same value as duplicates', () => {
    expect(issues('~: a\nnull: b\n1: c\n1.0: d\n')).toEqual([]);
  });

  it('refuses keys that are not scalars, an empty key, and a key with a non-string tag', () => {
    expect(issues('? [a, b]\n: c\n')).toEqual(['1:3 YAML: mapping keys must be plain strings']);
    expect(issues('a: 1\n? {x: 1}\n: c\n')).toEqual(['2:3 YAML: mapping keys must be plain strings']);
    expect(issues('a: 1\n: c\n')).toEqual(['2:1 YAML: mapping keys must be plain strings (this key is empty)']);
    expect(issues('!!int 1: a\n')).toEqual(['1:1 YAML: mapping keys must be plain strings']);
    expect(valueOf('!!str 1: a\n')).toEqual({ 1: 'a' });
  });
});

describe('directives', () => {
  it('refuses %YAML 1.1 at the directive (1:00:01 would be 3601, yes would be true)', () => {
    const text = 'project: abcdefghijklmnopqrst\n---\n%YAML 1.1\n---\nauth:\n  jwt_exp: 1:00:01\n';
    expect(issues('%YAML 1.1\n---\nauth:\n  jwt_exp: 1:00:01\n  disable_signup: yes\n')).toEqual([
      '1:1 YAML: %YAML 1.1 is not supported: supasync reads YAML 1.2 (remove the directive)',
    ]);
    expect(issues(text.replace('project: abcdefghijklmnopqrst\n---\n', 'project: abcdefghijklmnopqrst\n...\n'))[0]).toMatch(
      /^3:1 YAML: %YAML 1\.1 is not supported/,
    );
    expect(issues('%YAML 1.0\n---\na: 1\n')[0]).toMatch(/^1:1 YAML: %YAML 1\.0 is not supported/);
  });

  it('accepts %YAML 1.2, and %TAG as YAML 1.2 defines it', () => {
    expect(valueOf('%YAML 1.2\n---\na: 1:00:01\nb: yes\n')).toEqual({ a: '1:00:01', b: 'yes' });
    expect(valueOf('%TAG !e! tag:yaml.org,2002:\n---\na: !e!int "12"\n')).toEqual({ a: 12 });
    expect(issues('%TAG ! tag:example.com,2000:\n---\na: !foo x\n')).toEqual([
      '3:4 YAML: unsupported tag !<tag:example.com,2000:foo> (YAML 1.2 core tags only: !!str, !!int, !!float, !!bool, !!null, !!seq, !!map)',
    ]);
    expect(issues('%TAG !! tag:example.com,2000:\n---\na: !!str x\n')[0]).toMatch(/^3:4 YAML: unsupported tag !<tag:example\.com,2000:str>/);
  });
});

describe('explicit tags', () => {
  it('resolves the YAML 1.2 core tags', () => {
    expect(valueOf('a: !!str 1\nb: !!int "0x1F"\nc: !!float 1e3\nd: !!bool "true"\ne: !!null ""\nf: !!map {x: 1}\ng: !!seq [1]\nh: ! 12\ni: !<tag:yaml.org,2002:str> 1\n')).toEqual({
      a: '1',
      b: 31,
      c: 1000,
      d: true,
      e: null,
      f: { x: 1 },
      g: [1],
      h: '12',
      i: '1',
    });
  });

  it('refuses a core tag whose value does not fit it, at the tag', () => {
    expect(issues('a: !!int "abc"\n')).toEqual(['1:4 YAML: the value does not fit its tag !!int']);
    expect(issues('a: !!bool "yes"\n')).toEqual(['1:4 YAML: the value does not fit its tag !!bool']);
    expect(issues('a: !!map [1]\n')).toEqual(['1:4 YAML: the value does not fit its tag !!map']);
  });

  it('refuses the YAML 1.1 types and custom tags, at the tag (no Buffer, Date, Set or ordered map sneaks in)', () => {
    const unsupported = (tag: string) => `unsupported tag ${tag} (YAML 1.2 core tags only: !!str, !!int, !!float, !!bool, !!null, !!seq, !!map)`;
    expect(issues('a: !!binary aGVsbG8=\n')).toEqual([`1:4 YAML: ${unsupported('!!binary')}`]);
    expect(issues('a: !!timestamp 2001-12-14\n')).toEqual([`1:4 YAML: ${unsupported('!!timestamp')}`]);
    expect(issues('a: !!set {x, y}\n')).toEqual([`1:4 YAML: ${unsupported('!!set')}`]);
    expect(issues('a: !!omap [b: 1]\n')).toEqual([`1:4 YAML: ${unsupported('!!omap')}`]);
    expect(issues('a: !!pairs [b: 1]\n')).toEqual([`1:4 YAML: ${unsupported('!!pairs')}`]);
    expect(issues('a: !foo x\n')).toEqual([`1:4 YAML: ${unsupported('!foo')}`]);
  });
});
