/** The request log's redaction: which fields count as secret, and the pure redactors. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REDACTED, redactDeep, redactFields, redactItemFields, redactJwkPrivateParts } from '../../../src/emulator/redact.js';
import { AUTH_SECRET_FIELDS as EMULATOR_AUTH_SECRETS } from '../../../src/emulator/resources/auth-secret-fields.js';
import { AUTH_SECRET_FIELDS as CLIENT_AUTH_SECRETS } from '../../../src/providers/auth.js';

const spec = JSON.parse(readFileSync(new URL('../../../vendor/openapi/supabase-management-api.json', import.meta.url), 'utf8')) as {
  components: { schemas: Record<string, { properties: Record<string, unknown> }> };
};

describe('auth secret fields', () => {
  it('the emulator and the client agree on them', () => {
    expect([...EMULATOR_AUTH_SECRETS].sort()).toEqual([...CLIENT_AUTH_SECRETS].sort());
  });

  it('every write-only-looking field of UpdateAuthConfigBody is one of them', () => {
    const looksSecret = /(_secret|_secrets|_pass|_auth_token|_api_key|_api_secret|_access_key)$/;
    const fields = Object.keys(spec.components.schemas.UpdateAuthConfigBody!.properties).filter((f) => looksSecret.test(f));
    expect(fields.length).toBeGreaterThan(30);
    expect(fields.filter((f) => !EMULATOR_AUTH_SECRETS.has(f))).toEqual([]);
  });
});

describe('redactors', () => {
  it('redactFields replaces named fields that hold a value, keeps a field named __proto__ as a field', () => {
    const body = JSON.parse('{"a": "s", "b": null, "c": 1, "__proto__": "kept"}') as unknown;
    const out = redactFields('a', 'b')(body) as Record<string, unknown>;
    expect(Object.entries(out)).toEqual([
      ['a', REDACTED],
      ['b', null],
      ['c', 1],
      ['__proto__', 'kept'],
    ]);
    expect(redactFields('a')(['a'])).toEqual(['a']);
  });

  it('redactItemFields works on each item of a list body', () => {
    expect(redactItemFields('value')([{ name: 'N', value: 'v' }, 'x'])).toEqual([{ name: 'N', value: REDACTED }, 'x']);
  });

  it('redactJwkPrivateParts hides private members of a JWK and of each key of a JWKS', () => {
    const jwk = { kty: 'EC', crv: 'P-256', x: 'X', y: 'Y', d: 'D' };
    expect(redactJwkPrivateParts('private_jwk')({ algorithm: 'ES256', private_jwk: jwk })).toEqual({
      algorithm: 'ES256',
      private_jwk: { ...jwk, d: REDACTED },
    });
    expect(redactJwkPrivateParts('custom_jwks')({ custom_jwks: { keys: [{ kty: 'oct', k: 'K' }, { kty: 'RSA', n: 'N', e: 'AQAB' }] } })).toEqual({
      custom_jwks: { keys: [{ kty: 'oct', k: REDACTED }, { kty: 'RSA', n: 'N', e: 'AQAB' }] },
    });
  });

  it('redactDeep replaces secret-named fields at any depth and bounds hostile nesting', () => {
    expect(redactDeep({ a: { smtp_pass: 's', b: [{ root_key: 'k', keep: true }] } })).toEqual({
      a: { smtp_pass: REDACTED, b: [{ root_key: REDACTED, keep: true }] },
    });
    let deep: unknown = { value: 's' };
    for (let i = 0; i < 200; i++) deep = [deep];
    expect(JSON.stringify(redactDeep(deep))).not.toContain('"s"');
  });
});
