/**
 * config.schema.json describes template documents, extends, vars and unmanage (issue 14), so that
 * editors complete and check them: checked with the schema itself, through the loader's validator.
 */
import { describe, expect, it } from 'vitest';
import { configSchema, validateDocument } from '../../../src/config/validate.js';
import { formatIssue } from '../../../src/errors.js';
import { treesOf } from './helpers.js';

function check(text: string): string[] {
  const [tree] = treesOf('f.yaml', text);
  if (!tree) throw new Error('no document');
  const unresolved = [...tree.unresolved, ...tree.deferred.map((d) => d.path)];
  return validateDocument({ data: tree.value, positions: tree.positions, unresolved, isSensitive: () => false }).map(formatIssue).sort();
}

describe('config.schema.json and fleets', () => {
  it('names and describes the document keys of templates and layering', () => {
    const props = configSchema().properties as Record<string, { description?: string }>;
    for (const key of ['template', 'extends', 'vars', 'unmanage']) expect(props[key]?.description, key).toBeTruthy();
  });

  it('accepts a template document (no project), and a project with extends, vars and unmanage', () => {
    expect(check('template: org-baseline\nextends: [a.b_c-1]\nvars: {domain: x, n: 1, list: [a]}\nunmanage: [auth.jwt_exp, pooler]\nauth: {jwt_exp: 1}\n')).toEqual([]);
    expect(check('project: abcdefghijklmnopqrst\nextends: [prod]\nvars: {domain: x}\nunmanage: [auth]\n')).toEqual([]);
  });

  it('still requires project: in a document that is not a template, with the same message', () => {
    expect(check('auth: {jwt_exp: 1}\n')).toEqual(['f.yaml:1:1: missing required key "project"']);
  });

  it('checks their values', () => {
    expect(check('template: -bad\nextends: [ok, "no spaces"]\nvars: {1x: a}\nunmanage: [Auth.x]\n')).toEqual([
      'f.yaml:1:11: template: must be a template name: letters, digits, _, . and - (starting with a letter or digit)',
      'f.yaml:2:15: extends[1]: must be a template name: letters, digits, _, . and - (starting with a letter or digit)',
      'f.yaml:3:8: vars: key "1x" must be letters, digits and _ (not starting with a digit)',
      'f.yaml:4:12: unmanage[0]: must be a section or section.key, e.g. auth.password_min_length',
    ]);
    expect(check('template: t\nextends: [a, a]\n')).toEqual(['f.yaml:2:10: extends: must not list the same item twice (items 1 and 0 are equal)']);
  });
});
