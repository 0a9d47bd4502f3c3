import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonical, diffFlat, flatRules, hmacHex, sameValue, splitCommaList, toApiValue } from '../../../src/providers/normalise.js';

const rules = {
  commaLists: new Set(['uri_allow_list']),
  aliases: { mode: { short: 'the-long-api-value' } },
  numericStrings: new Set(['smtp_port']),
  secrets: new Set(['smtp_pass']),
  restart: new Set(['max_connections']),
};
const REF = 'abcdefghijklmnopqrst';

describe('normalise', () => {
  it('hashes like the API: HMAC-SHA256 keyed by the project ref', () => {
    expect(hmacHex(REF, 'pw')).toBe(createHmac('sha256', REF).update('pw').digest('hex'));
    // Known vector: key "" and message "test-key".
    expect(hmacHex('', 'test-key').startsWith('ed64b769')).toBe(true);
  });

  it('splits comma lists, trimming and dropping empties and duplicates', () => {
    expect(splitCommaList(' a, b,,a ,c ')).toEqual(['a', 'b', 'c']);
  });

  it('converts YAML forms to API values', () => {
    expect(toApiValue('uri_allow_list', ['https://a', 'https://b'], rules)).toBe('https://a,https://b');
    expect(toApiValue('mode', 'short', rules)).toBe('the-long-api-value');
    expect(toApiValue('smtp_port', 587, rules)).toBe('587');
    expect(toApiValue('other', 5, rules)).toBe(5);
    expect(toApiValue('other', null, rules)).toBeNull();
  });

  it('treats null, absent, empty string and empty list alike', () => {
    expect(canonical('x', '', rules)).toBeNull();
    expect(canonical('x', undefined, rules)).toBeNull();
    expect(canonical('uri_allow_list', '', rules)).toBeNull();
    expect(canonical('uri_allow_list', [], rules)).toBeNull();
  });

  it('compares comma lists as sets', () => {
    expect(sameValue(['a', 'b'], ['b', 'a'])).toBe(true);
    expect(sameValue(['a'], ['a', 'b'])).toBe(false);
  });

  it('diffs only desired keys and builds a patch of changed keys', () => {
    const live = { site_url: 'https://x', jwt_exp: 3600, uri_allow_list: 'https://b,https://a', smtp_port: '587', untouched: 1 };
    const desired = { site_url: 'https://x', jwt_exp: 7200, uri_allow_list: ['https://a', 'https://b'], smtp_port: 587 };
    const { changes, patch } = diffFlat(desired, live, rules, REF);
    expect(patch).toEqual({ jwt_exp: 7200 });
    expect(changes).toEqual([{ path: 'jwt_exp', action: 'update', before: 3600, after: 7200, sensitive: false }]);
  });

  it('compares secrets by HMAC and never exposes them', () => {
    const live = { smtp_pass: hmacHex(REF, 'old') };
    expect(diffFlat({ smtp_pass: 'old' }, live, rules, REF).changes).toEqual([]);
    const { changes, patch } = diffFlat({ smtp_pass: 'new-canary' }, live, rules, REF);
    expect(changes).toEqual([{ path: 'smtp_pass', action: 'update', sensitive: true, beforeSet: true }]);
    expect(JSON.stringify(changes)).not.toContain('new-canary');
    expect(patch).toEqual({ smtp_pass: 'new-canary' });
    expect(diffFlat({ smtp_pass: 'x' }, { smtp_pass: null }, rules, REF).changes[0]?.beforeSet).toBe(false);
    expect(diffFlat({ smtp_pass: null }, { smtp_pass: null }, rules, REF).changes).toEqual([]);
  });

  it('marks values read from files as sensitive, keeping the values for the guardrails (the plan strips them)', () => {
    const { changes } = diffFlat({ site_url: 'https://file-canary' }, { site_url: 'https://x' }, rules, REF, new Set(['site_url']));
    expect(changes).toEqual([{ path: 'site_url', action: 'update', before: 'https://x', after: 'https://file-canary', sensitive: true, beforeSet: true }]);
  });

  it('a list with one item read from a file is a sensitive field (issue 13, item 1)', () => {
    const desired = { uri_allow_list: ['https://a.example.com', 'https://b.example.com/file-canary'], sessions_tags: ['x'] };
    const { changes } = diffFlat(desired, { uri_allow_list: '', sessions_tags: '' }, rules, REF, new Set(['uri_allow_list/1']));
    expect(changes.map((c) => [c.path, c.sensitive, c.beforeSet])).toEqual([
      ['sessions_tags', false, undefined],
      ['uri_allow_list', true, false],
    ]);
  });

  it('flags parameters that need a restart', () => {
    const { changes } = diffFlat({ max_connections: 200 }, { max_connections: 100 }, rules, REF);
    expect(changes[0]?.restart).toBe(true);
  });
});

describe('flatRules: the diff rules a descriptor implies', () => {
  it('derives every set from the descriptor, formats as numeric strings too', () => {
    const rules = flatRules({
      description: 'x',
      commaLists: ['a'],
      orderedLists: ['b'],
      numericStrings: ['c'],
      aliases: { d: { short: 'long' } },
      secretFields: ['e'],
      restartFields: ['f'],
      formats: { g: { kind: 'memory', unit: 'kB' } },
    });
    expect(rules).toEqual({
      commaLists: new Set(['a']),
      orderedLists: new Set(['b']),
      numericStrings: new Set(['c', 'g']),
      aliases: { d: { short: 'long' } },
      secrets: new Set(['e']),
      restart: new Set(['f']),
      formats: { g: { kind: 'memory', unit: 'kB' } },
    });
    expect(flatRules({ description: 'nothing' })).toEqual({});
  });

  it('compares ordered lists in order and comma lists as sets', () => {
    const rules = flatRules({ description: 'x', commaLists: ['set'], orderedLists: ['path'] });
    expect(diffFlat({ set: ['b', 'a'], path: ['x', 'y'] }, { set: 'a,b', path: 'x,y' }, rules, REF).changes).toEqual([]);
    expect(diffFlat({ path: ['y', 'x'] }, { path: 'x,y' }, rules, REF).patch).toEqual({ path: 'y,x' });
  });

  it('compares quantities by amount and sends the YAML number as the API string', () => {
    const rules = flatRules({ description: 'x', formats: { work_mem: { kind: 'memory', unit: 'kB' }, statement_timeout: { kind: 'time', unit: 'ms' } } });
    expect(diffFlat({ work_mem: '1GB', statement_timeout: '60s' }, { work_mem: '1024MB', statement_timeout: '60000' }, rules, REF).changes).toEqual([]);
    const { changes, patch } = diffFlat({ work_mem: '2GB', statement_timeout: 0 }, { work_mem: '1024MB', statement_timeout: '8s' }, rules, REF);
    expect(patch).toEqual({ work_mem: '2GB', statement_timeout: '0' });
    expect(changes.map((c) => [c.path, c.before, c.after])).toEqual([
      ['statement_timeout', '8s', '0'],
      ['work_mem', '1024MB', '2GB'],
    ]);
  });
});
