import { describe, expect, it } from 'vitest';
import { canonicalJson, compareFleets, effectiveFingerprint } from '../../../src/config/effective-diff.js';
import type { ReferenceForms } from '../../../src/config/reference-forms.js';
import type { DesiredProject } from '../../../src/config/types.js';
import { project, section } from '../../helpers/desired.js';

const A = 'aaaaaaaaaaaaaaaaaaaa';
const B = 'bbbbbbbbbbbbbbbbbbbb';
const C = 'cccccccccccccccccccc';
const D = 'dddddddddddddddddddd';
const E = 'eeeeeeeeeeeeeeeeeeee';

describe('effective-diff', () => {
  it('canonical JSON ignores key order, not list order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: null } })).toBe(canonicalJson({ a: { c: null, d: [2, 1] }, b: 1 }));
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
  });

  it('fingerprints sections with their mode and values, and the set of allowed risky keys', () => {
    const base = project(A, [section('auth', { jwt_exp: 1, site_url: 'x' })], ['auth.jwt_exp', 'auth.jwt_exp']);
    expect(effectiveFingerprint(base)).toBe(effectiveFingerprint(project(A, [section('auth', { site_url: 'x', jwt_exp: 1 })], ['auth.jwt_exp'])));
    expect(effectiveFingerprint(base)).not.toBe(effectiveFingerprint(project(A, [section('auth', { jwt_exp: 1, site_url: 'x' }, { mode: 'observe' })], ['auth.jwt_exp'])));
    expect(effectiveFingerprint(base)).not.toBe(effectiveFingerprint(project(A, [section('auth', { jwt_exp: 1, site_url: 'x' })])));
    expect(effectiveFingerprint(base)).not.toBe(effectiveFingerprint(project(A, [section('auth', { jwt_exp: 1, site_url: 'x' }), section('pooler', {})], ['auth.jwt_exp'])));
  });

  it('sorts projects into added, changed, unchanged and removed', () => {
    const forms = (projects: Record<string, DesiredProject>, layers: Record<string, string>): ReferenceForms => ({
      refs: () => Object.keys(projects),
      has: (ref) => ref in projects,
      layers: (ref) => layers[ref]!,
      project: (ref) => projects[ref]!,
    });
    const p = (ref: string, jwt: number) => project(ref, [section('auth', { jwt_exp: jwt })]);
    // A and B: different layers, and composed: A has the same effective state, B not. C: the same layers.
    const base = forms({ [A]: p(A, 1), [B]: p(B, 1), [C]: p(C, 1), [E]: p(E, 1) }, { [A]: 'a1', [B]: 'b1', [C]: 'c', [E]: 'e' });
    const head = forms({ [A]: p(A, 1), [B]: p(B, 2), [C]: p(C, 9), [D]: p(D, 1) }, { [A]: 'a2', [B]: 'b2', [C]: 'c', [D]: 'd' });
    expect(compareFleets(base, head)).toEqual({ added: [D], changed: [B], unchanged: [A, C], removed: [E] });
  });
});
