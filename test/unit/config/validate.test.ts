import { describe, expect, it } from 'vitest';
import { formatIssue } from '../../../src/errors.js';
import { validateDocument } from '../../../src/config/validate.js';
import { treesOf } from './helpers.js';

const A = 'abcdefghijklmnopqrst';

function check(text: string, sensitive: string[] = []): string[] {
  const [tree] = treesOf('f.yaml', text);
  if (!tree) throw new Error('no document');
  return validateDocument({
    data: tree.value,
    positions: tree.positions,
    unresolved: tree.unresolved,
    isSensitive: (path) => sensitive.includes(path.join('/')),
  })
    .map(formatIssue)
    .sort();
}

describe('validateDocument', () => {
  it('accepts a valid document, with the friendly forms', () => {
    expect(
      check(
        `project: ${A}\nauth:\n  uri_allow_list: [https://a, https://b]\n  password_required_characters: letters_digits\n  smtp_port: 587\n  mode: observe\n`,
      ),
    ).toEqual([]);
  });

  it('points an unknown key at the key, with a suggestion', () => {
    expect(check(`project: ${A}\nauth:\n  jwt_expiry: 3600\n`)).toEqual([
      'f.yaml:3:3: auth: unknown key "jwt_expiry" (did you mean "jwt_exp"?)',
    ]);
    expect(check(`project: ${A}\nauht: {}\n`)).toEqual(['f.yaml:2:1: unknown key "auht" (did you mean "auth"?)']);
    expect(check(`project: ${A}\nwhatever: 1\n`)).toEqual(['f.yaml:2:1: unknown key "whatever"']);
  });

  it('points a missing required key at the mapping that lacks it', () => {
    expect(check('\n\nauth:\n  jwt_exp: 1\n')).toEqual(['f.yaml:3:1: missing required key "project"']);
    expect(check(`project: ${A}\nsso:\n  providers:\n    - attribute_mapping: {}\n`)).toEqual([
      'f.yaml:4:7: sso.providers[0].attribute_mapping: missing required key "keys"',
    ]);
  });

  it('says what type, value or range is expected', () => {
    expect(check(`project: ${A}\npooler:\n  default_pool_size: twenty\n  pool_mode: transactoin\n`)).toEqual([
      'f.yaml:3:22: pooler.default_pool_size: must be an integer or null',
      'f.yaml:4:14: pooler.pool_mode: must be one of: transaction, session (did you mean "transaction"?)',
    ]);
    expect(check(`project: ${A}\nauth:\n  jwt_exp: 999999\n  password_min_length: 2\n`)).toEqual([
      'f.yaml:3:12: auth.jwt_exp: must be <= 604800',
      'f.yaml:4:24: auth.password_min_length: must be >= 6',
    ]);
    expect(check(`project: ${A}\nauth:\n  uri_allow_list: {a: 1}\n`)).toEqual([
      'f.yaml:3:19: auth.uri_allow_list: must be a string, a list or null',
    ]);
  });

  it('explains patterns and formats in words', () => {
    expect(check('project: ABC\n')).toEqual(['f.yaml:1:10: project: must be a project ref: 20 lowercase letters']);
    expect(check(`project: ${A}\nauth:\n  uri_allow_list: ["https://a,b"]\n  smtp_admin_email: nope\n`)).toEqual([
      'f.yaml:3:20: auth.uri_allow_list[0]: must be non-empty and contain no comma',
      'f.yaml:4:21: auth.smtp_admin_email: must be an email address',
    ]);
    expect(check(`project: ${A}\npostgres:\n  statement_timeout: 5 minutes\n`)).toEqual([
      'f.yaml:3:22: postgres.statement_timeout: must be a duration such as 60000, 60s or 5min (units: us, ms, s, min, h, d)',
    ]);
  });

  it('collapses the branches of a oneOf into one message', () => {
    expect(check(`project: ${A}\nsso:\n  providers:\n    - attribute_mapping:\n        keys:\n          email: {default: [1]}\n`)).toEqual([
      'f.yaml:6:28: sso.providers[0].attribute_mapping.keys.email.default: must be a mapping, a number, a string or true or false',
    ]);
  });

  it('quotes keys that are not identifiers, and decodes JSON-pointer escapes', () => {
    expect(check(`project: ${A}\nsso:\n  providers:\n    - attribute_mapping:\n        keys:\n          "a/b~c": {nam: x}\n`)).toEqual([
      'f.yaml:6:21: sso.providers[0].attribute_mapping.keys["a/b~c"]: unknown key "nam" (did you mean "name"?)',
    ]);
  });

  it('gives no hint about a sensitive value', () => {
    expect(check(`project: ${A}\npooler:\n  pool_mode: sessoin\n`, ['pooler/pool_mode'])).toEqual([
      'f.yaml:3:14: pooler.pool_mode: must be one of: transaction, session',
    ]);
  });

  it('does not repeat errors below an unresolved reference', () => {
    expect(check(`project: ${A}\nauth:\n  jwt_exp: \${UNSET_FOR_TEST}\n`)).toEqual([]);
  });
});
