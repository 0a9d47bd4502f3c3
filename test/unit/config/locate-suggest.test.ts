import { describe, expect, it } from 'vitest';
import { formatPath, pointerToPath, PositionMap } from '../../../src/config/locate.js';
import { didYouMean, editDistance, suggest } from '../../../src/config/suggest.js';

describe('paths', () => {
  it('prints paths as section.key with list indices and quoted odd keys', () => {
    expect(formatPath(['auth', 'jwt_exp'])).toBe('auth.jwt_exp');
    expect(formatPath(['sso', 'providers', 0, 'domains', 1])).toBe('sso.providers[0].domains[1]');
    expect(formatPath(['keys', 'http://x/claims', 'name'])).toBe('keys["http://x/claims"].name');
    expect(formatPath([])).toBe('');
  });

  it('decodes JSON pointers (~1, ~0) and types list indices from the data', () => {
    const data = { a: { 'x/y': [{ '~k': 1 }] }, '0': { '1': true } };
    expect(pointerToPath('/a/x~1y/0/~0k', data)).toEqual(['a', 'x/y', 0, '~k']);
    expect(pointerToPath('/0/1', data)).toEqual(['0', '1']);
    expect(pointerToPath('', data)).toEqual([]);
  });
});

describe('PositionMap', () => {
  const at = (line: number, col: number) => ({ file: 'f.yaml', line, col });
  const map = new PositionMap(at(1, 1));
  map.set(['auth'], { key: at(2, 1), value: at(3, 3) });
  map.set(['auth', 'jwt_exp'], { key: at(3, 3), value: at(3, 12) });
  map.set(['list', 0], { value: at(9, 5) });

  it('answers value and key positions', () => {
    expect(map.value(['auth', 'jwt_exp'])).toEqual(at(3, 12));
    expect(map.key(['auth', 'jwt_exp'])).toEqual(at(3, 3));
    expect(map.key(['list', 0])).toEqual(at(9, 5));
  });

  it('falls back to the nearest parent, then the document root', () => {
    expect(map.value(['auth', 'nope', 'deeper'])).toEqual(at(3, 3));
    expect(map.value(['elsewhere'])).toEqual(at(1, 1));
    expect(map.value([])).toEqual(at(1, 1));
  });
});

describe('suggest', () => {
  const keys = ['jwt_exp', 'site_url', 'smtp_pass', 'smtp_port', 'uri_allow_list'];

  it('finds close names, including transpositions, case and dashes', () => {
    expect(suggest('jwt_expiry', keys)).toBe('jwt_exp');
    expect(suggest('stie_url', keys)).toBe('site_url');
    expect(suggest('SITE-URL', keys)).toBe('site_url');
    expect(suggest('smtp_prot', keys)).toBe('smtp_port');
  });

  it('suggests nothing for unrelated names', () => {
    expect(suggest('database', keys)).toBeUndefined();
    expect(didYouMean('zzz', keys)).toBe('');
  });

  it('formats the hint', () => {
    expect(didYouMean('jwt_expiry', keys)).toBe(' (did you mean "jwt_exp"?)');
  });

  it('computes the optimal string alignment distance', () => {
    expect(editDistance('abc', 'abc')).toBe(0);
    expect(editDistance('abc', 'acb')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });
});
