import { describe, expect, it } from 'vitest';
import type { ApiClient } from '../../../src/api/types.js';
import { ConfigError } from '../../../src/errors.js';
import { thirdPartyAuthProvider } from '../../../src/providers/third-party-auth.js';
import { REF, section } from '../../helpers/desired.js';
import { messageOf } from './finding.js';
import { riskCases } from './risk-cases.js';

const FIREBASE = 'https://securetoken.google.com/my-app';
const JWKS_URL = 'https://auth.example.com/.well-known/jwks.json';
/** A public RSA key; `n` stands for key material that must never be printed. */
const PUBLIC_KEY = { kty: 'RSA', kid: 'k1', e: 'AQAB', n: 'KEYMATERIAL-modulus-0123456789' };
const JWKS = { keys: [PUBLIC_KEY] };

const live = (id: string, fields: { oidc_issuer_url?: string; jwks_url?: string; custom_jwks?: unknown }, type = 'oidc') => ({
  id,
  type,
  oidc_issuer_url: fields.oidc_issuer_url ?? null,
  jwks_url: fields.jwks_url ?? null,
  custom_jwks: (fields.custom_jwks ?? null) as never,
});
const diff = (values: Record<string, unknown>, integrations: ReturnType<typeof live>[], fromFile: string[] = []) =>
  thirdPartyAuthProvider.diff({ ref: REF, desired: section('third_party_auth', values, { fromFile }), live: { integrations } });
const base = `/v1/projects/${REF}/config/auth/third-party-auth`;
const shown = (d: { changes: unknown; notes?: unknown }) => JSON.stringify(d.changes) + JSON.stringify(d.notes ?? []);

describe('third-party auth provider', () => {
  it('creates a missing integration, then converges', () => {
    const created = diff({ integrations: [{ oidc_issuer_url: FIREBASE }] }, []);
    expect(created.changes).toEqual([{ path: `integrations[${FIREBASE}]`, item: FIREBASE, action: 'create', after: { oidc_issuer_url: FIREBASE }, sensitive: false }]);
    expect(created.requests).toEqual([{ method: 'POST', path: base, body: { oidc_issuer_url: FIREBASE }, idempotent: false }]);
    expect(diff({ integrations: [{ oidc_issuer_url: FIREBASE }] }, [live('t1', { oidc_issuer_url: FIREBASE }, 'firebase')])).toEqual({ changes: [], notes: [], requests: [] });
  });

  it('matches by oidc_issuer_url, else jwks_url, else by the public keys', () => {
    const byJwksUrl = diff({ integrations: [{ jwks_url: JWKS_URL }] }, [live('t1', { oidc_issuer_url: 'https://auth.example.com', jwks_url: JWKS_URL })]);
    expect(byJwksUrl.requests).toEqual([]);
    const byKeys = diff({ integrations: [{ custom_jwks: JWKS }] }, [live('t2', { custom_jwks: JWKS }, 'custom_jwks')]);
    expect(byKeys.requests).toEqual([]);
  });

  it('replaces a changed integration (DELETE then POST), keeping the live fields the YAML does not manage', () => {
    const d = diff({ integrations: [{ oidc_issuer_url: 'https://auth.example.com', custom_jwks: JWKS }] }, [live('t1', { oidc_issuer_url: 'https://auth.example.com', jwks_url: JWKS_URL })]);
    expect(d.changes).toEqual([
      {
        path: 'integrations[https://auth.example.com].custom_jwks',
        item: 'https://auth.example.com',
        action: 'update',
        before: null,
        after: expect.stringMatching(/^JWKS: 1 key \(sha256 [0-9a-f]{12}…\)$/),
        sensitive: false,
      },
    ]);
    expect(d.requests).toEqual([
      { method: 'DELETE', path: `${base}/t1` },
      { method: 'POST', path: base, body: { oidc_issuer_url: 'https://auth.example.com', jwks_url: JWKS_URL, custom_jwks: JWKS }, idempotent: false },
    ]);
    expect(d.notes).toEqual([expect.stringMatching(/cannot change an integration in place/)]);
    expect(shown(d)).not.toContain('KEYMATERIAL');
  });

  it('reports unmatched live integrations and deletes them only with prune, deletes first', () => {
    const extra = live('t9', { oidc_issuer_url: 'https://old.example.com' });
    const kept = diff({ integrations: [] }, [extra]);
    expect(kept.requests).toEqual([]);
    expect(kept.notes?.[0]).toMatch(/t9 \(oidc: https:\/\/old\.example\.com\) is not in the configuration; left untouched/);
    const pruned = diff({ prune: true, integrations: [{ oidc_issuer_url: FIREBASE }] }, [extra]);
    expect(pruned.changes.map((c) => [c.action, c.item])).toEqual([['create', FIREBASE], ['delete', 'https://old.example.com']]);
    expect(pruned.requests.map((r) => r.method)).toEqual(['DELETE', 'POST']);
    // Without `integrations`, the section manages nothing.
    expect(diff({ prune: true }, [extra]).requests).toEqual([]);
  });

  it('an ambiguous match is a configuration error naming both live integrations', () => {
    const twice = [live('a', { jwks_url: JWKS_URL, oidc_issuer_url: 'https://one.example.com' }), live('b', { jwks_url: JWKS_URL, oidc_issuer_url: 'https://two.example.com' })];
    expect(() => diff({ integrations: [{ jwks_url: JWKS_URL }] }, twice)).toThrow(ConfigError);
    expect(() => diff({ integrations: [{ jwks_url: JWKS_URL }] }, twice)).toThrow(/matches more than one live integration: live integration a \(oidc\) and live integration b \(oidc\)/);
  });

  it('labels an integration whose URL was read from a file by its position, and marks it sensitive (the plan strips the values)', () => {
    const d = diff({ integrations: [{ oidc_issuer_url: 'https://secret-issuer.example.com' }] }, [], ['integrations/0/oidc_issuer_url']);
    expect(d.changes).toEqual([{ path: 'integrations[0]', item: 'integrations[0]', action: 'create', after: { oidc_issuer_url: 'https://secret-issuer.example.com' }, sensitive: true, beforeSet: false }]);
  });

  it('drops private key members from anything read, and never reads resolved_jwks', async () => {
    const answer = [{ id: 't1', type: 'custom_jwks', oidc_issuer_url: null, jwks_url: null, custom_jwks: { keys: [{ ...PUBLIC_KEY, d: 'PRIVATE-d' }] }, resolved_jwks: { keys: [{ k: 'PRIVATE-k' }] }, inserted_at: 'x', updated_at: 'x' }];
    const client = { get: async () => answer, request: async () => { throw new Error('no writes'); } } as unknown as ApiClient;
    const read = await thirdPartyAuthProvider.read(client, REF);
    expect(JSON.stringify(read)).not.toMatch(/PRIVATE/);
    expect(read.integrations[0]?.custom_jwks).toEqual(JWKS);
    expect(thirdPartyAuthProvider.export!(read, { ref: REF, all: false, allowedKeys: new Set() })?.values).toEqual({ integrations: [{ custom_jwks: JWKS }] });
  });
});

describe('third-party auth checks', () => {
  const check = (integrations: unknown[]) => thirdPartyAuthProvider.check!(section('third_party_auth', { integrations }));

  it('needs one of the three fields, https URLs, and each integration once', () => {
    const findings = check([{}, { oidc_issuer_url: 'http://insecure.example.com' }, { oidc_issuer_url: FIREBASE }, { oidc_issuer_url: FIREBASE, jwks_url: JWKS_URL }]);
    expect(findings.map((f) => [f.path, messageOf(f)])).toEqual([
      [['integrations', 0], 'give oidc_issuer_url, jwks_url or custom_jwks'],
      [['integrations', 1, 'oidc_issuer_url'], 'oidc_issuer_url must be an https:// URL'],
      [['integrations', 3, 'oidc_issuer_url'], 'integrations[2] has the same oidc_issuer_url; an integration is listed once'],
    ]);
  });

  it('refuses private key material in custom_jwks, naming the members, never the values', () => {
    const findings = check([{ custom_jwks: { keys: [PUBLIC_KEY, { kty: 'RSA', n: 'x', e: 'AQAB', d: 'PRIVATE-exponent', p: 'PRIVATE-p' }, { kty: 'oct', k: 'PRIVATE-symmetric' }] } }, { custom_jwks: 'not a set' }]);
    expect(findings.map((f) => [f.path, messageOf(f)])).toEqual([
      [['integrations', 0, 'custom_jwks', 'keys', 1], 'holds private key material (d, p): give public keys only'],
      [['integrations', 0, 'custom_jwks', 'keys', 2], 'holds private key material (k): give public keys only'],
      [['integrations', 1, 'custom_jwks'], 'custom_jwks must be a JSON Web Key Set: {keys: [...]} with at least one key'],
    ]);
    expect(JSON.stringify(findings.map((f) => messageOf(f)))).not.toMatch(/PRIVATE/);
  });
});

describe('third-party auth risk rules', () => {
  riskCases(thirdPartyAuthProvider, [
    {
      rule: 'third_party_auth.integration.deleted',
      risky: { path: `integrations[${FIREBASE}]`, item: FIREBASE, action: 'delete', sensitive: false },
      safe: { path: `integrations[${FIREBASE}]`, item: FIREBASE, action: 'create', sensitive: false },
    },
    {
      rule: 'third_party_auth.integration.replaced',
      risky: { path: `integrations[${FIREBASE}].jwks_url`, item: FIREBASE, action: 'update', before: null, after: JWKS_URL, sensitive: false },
      safe: { path: `integrations[${FIREBASE}]`, item: FIREBASE, action: 'create', sensitive: false },
    },
  ]);
});
