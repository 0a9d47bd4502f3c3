import { describe, expect, it } from 'vitest';
import { mergeDocuments } from '../../../src/config/merge.js';
import { mergeInputs } from './helpers.js';

const A = 'abcdefghijklmnopqrst';
const Z = 'zyxwvutsrqponmlkjihg';

describe('mergeDocuments', () => {
  it('merges the sections of several documents per project, key by key, sorted by ref', () => {
    const docs = [
      ...mergeInputs('z.yaml', `project: ${Z}\npooler: {pool_mode: session}\n`),
      ...mergeInputs('auth.yaml', `project: ${A}\nauth:\n  site_url: https://a\n  mode: observe\n`),
      ...mergeInputs('auth2.yaml', `project: ${A}\nauth:\n  jwt_exp: 3600\npooler:\n  default_pool_size: 5\n`),
    ];
    const { projects, issues } = mergeDocuments(docs);
    expect(issues).toEqual([]);
    expect(projects.map((p) => p.ref)).toEqual([A, Z]);
    const auth = projects[0]!.sections.get('auth')!;
    expect(auth.mode).toBe('observe');
    expect(auth.values).toEqual({ site_url: 'https://a', jwt_exp: 3600 });
    expect([...projects[0]!.sections.keys()]).toEqual(['auth', 'pooler']);
    expect(projects[1]!.sections.get('pooler')!.mode).toBe('enforce');
    expect(projects[0]!.location).toEqual({ file: 'auth.yaml', line: 1, col: 10 });
  });

  it('locates values in the document that set them, falling back to the nearest parent', () => {
    const docs = [
      ...mergeInputs('one.yaml', `project: ${A}\nnetwork_restrictions:\n  dbAllowedCidrs:\n    - 1.2.3.0/24\n`),
      ...mergeInputs('two.yaml', `project: ${A}\nnetwork_restrictions:\n  dbAllowedCidrsV6: ['2001:db8::/32']\n`),
    ];
    const section = mergeDocuments(docs).projects[0]!.sections.get('network_restrictions')!;
    expect(section.locate(['dbAllowedCidrs', 0])).toEqual({ file: 'one.yaml', line: 4, col: 7 });
    expect(section.locate(['dbAllowedCidrsV6', 0])).toEqual({ file: 'two.yaml', line: 3, col: 22 });
    expect(section.locate(['dbAllowedCidrsV6', 7])).toEqual({ file: 'two.yaml', line: 3, col: 21 });
    expect(section.locate([])).toEqual({ file: 'one.yaml', line: 2, col: 1 });
    expect(section.locate(['unknown'])).toEqual({ file: 'one.yaml', line: 2, col: 1 });
  });

  it('refuses a key set twice for one project, naming both places; mode included', () => {
    const docs = [
      ...mergeInputs('a.yaml', `project: ${A}\nauth:\n  jwt_exp: 3600\n  mode: observe\n`),
      ...mergeInputs('b.yaml', `project: ${A}\nauth:\n  mode: enforce\n  jwt_exp: 7200\n  site_url: https://x\n`),
      ...mergeInputs('c.yaml', `project: ${Z}\nauth:\n  jwt_exp: 7200\n`),
    ];
    expect(mergeDocuments(docs).issues).toEqual([
      { location: { file: 'b.yaml', line: 3, col: 3 }, path: 'auth.mode', message: `set twice for project ${A}: here and at a.yaml:4:3` },
      { location: { file: 'b.yaml', line: 4, col: 3 }, path: 'auth.jwt_exp', message: `set twice for project ${A}: here and at a.yaml:3:3` },
    ]);
  });

  it('accumulates allow_risky entries from every document of a project', () => {
    const docs = [
      ...mergeInputs('a.yaml', `project: ${A}\nallow_risky: [auth.password_min_length]\n`),
      ...mergeInputs('b.yaml', `project: ${A}\nallow_risky:\n  - sso.providers\n`),
    ];
    expect(mergeDocuments(docs).projects[0]!.allowRisky).toEqual([
      { key: 'auth.password_min_length', location: { file: 'a.yaml', line: 2, col: 15 } },
      { key: 'sso.providers', location: { file: 'b.yaml', line: 3, col: 5 } },
    ]);
  });

  it('records values read from files by their path inside the section', () => {
    const docs = mergeInputs('a.yaml', `project: ${A}\nauth: {smtp_pass: x}\n`).map((d) => ({
      ...d,
      fromFile: [['auth', 'smtp_pass']],
    }));
    expect([...mergeDocuments(docs).projects[0]!.sections.get('auth')!.fromFile]).toEqual(['smtp_pass']);
  });

  it('keeps the paths of file values below a key: list items and nested fields (issue 13, item 1)', () => {
    const yaml = `project: ${A}\nauth: {uri_allow_list: [a, b]}\nsso: {providers: [{domains: [x.com]}]}\n`;
    const docs = mergeInputs('a.yaml', yaml).map((d) => ({
      ...d,
      fromFile: [['auth', 'uri_allow_list', 1], ['sso', 'providers', 0, 'domains', 0]],
    }));
    const { projects } = mergeDocuments(docs);
    expect([...projects[0]!.sections.get('auth')!.fromFile]).toEqual(['uri_allow_list/1']);
    expect([...projects[0]!.sections.get('sso')!.fromFile]).toEqual(['providers/0/domains/0']);
  });
});
