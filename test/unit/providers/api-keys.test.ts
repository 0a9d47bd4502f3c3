import { describe, expect, it } from 'vitest';
import type { ApiClient } from '../../../src/api/types.js';
import { apiKeysProvider, type ApiKeysLive, type LiveKey } from '../../../src/providers/api-keys.js';
import { REF, section } from '../../helpers/desired.js';
import { messageOf } from './finding.js';
import { riskCases, upd } from './risk-cases.js';

const base = `/v1/projects/${REF}/api-keys`;
const SECRET_VALUE = 'sb_secret_NEVERprintedKEYmaterial0_abcdefgh';
const LEGACY_JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoic2VydmljZV9yb2xlIn0.NEVERprintedSIGNATURE';

const key = (id: string, type: LiveKey['type'], name: string, more: Partial<LiveKey> = {}): LiveKey => ({
  id,
  type,
  name,
  description: null,
  secret_jwt_template: type === 'secret' ? { role: 'service_role' } : null,
  ...more,
});
const NEW_PROJECT: ApiKeysLive = { legacy_enabled: true, keys: [key('p1', 'publishable', 'default'), key('s1', 'secret', 'default')] };
const diff = (values: Record<string, unknown>, live: ApiKeysLive = NEW_PROJECT, fromFile: string[] = []) =>
  apiKeysProvider.diff({ ref: REF, desired: section('api_keys', values, { fromFile }), live });

describe('api_keys provider', () => {
  it('reads identities and settings only: key values, hashes and prefixes are dropped as they are read', async () => {
    const answers: Record<string, unknown> = {
      [`${base}/legacy`]: { enabled: false },
      [base]: [
        { id: 'anon', type: 'legacy', name: 'anon', api_key: LEGACY_JWT, hash: 'h', prefix: 'p' },
        { id: 's1', type: 'secret', name: 'default', api_key: SECRET_VALUE, hash: 'HASHvalue', prefix: 'sb_secret_NEVER', description: null, secret_jwt_template: { role: 'service_role' } },
        { id: 'p1', type: 'publishable', name: 'web', api_key: 'sb_publishable_x', description: 'The web app' },
      ],
    };
    const client = { get: async (path: string) => answers[path] } as unknown as ApiClient;
    const live = await apiKeysProvider.read(client, REF);
    expect(live).toEqual({
      legacy_enabled: false,
      keys: [key('s1', 'secret', 'default'), key('p1', 'publishable', 'web', { description: 'The web app' })],
    });
    expect(JSON.stringify(live)).not.toMatch(/NEVER|HASH|sb_publishable_x/);
  });

  it('creates a missing key with its name and description, matching by type and name; then converges', () => {
    const values = { keys: [{ type: 'publishable', name: 'default' }, { type: 'secret', name: 'ci_deploy', description: 'CI deploy key' }] };
    const d = diff(values);
    expect(d.changes).toEqual([
      { path: 'keys[secret:ci_deploy]', item: 'secret:ci_deploy', action: 'create', after: { type: 'secret', name: 'ci_deploy', description: 'CI deploy key' }, sensitive: false },
    ]);
    expect(d.requests).toEqual([{ method: 'POST', path: base, body: { type: 'secret', name: 'ci_deploy', description: 'CI deploy key' }, idempotent: false }]);
    // The secret `default` key is not listed: reported, never deleted without prune.
    expect(d.notes).toEqual(['live secret key default is not in the configuration; left untouched (set prune: true to delete it)']);
    const live: ApiKeysLive = { ...NEW_PROJECT, keys: [...NEW_PROJECT.keys, key('s2', 'secret', 'ci_deploy', { description: 'CI deploy key' })] };
    expect(diff({ ...values, keys: [...values.keys, { type: 'secret', name: 'default' }] }, live)).toEqual({ changes: [], notes: [], requests: [] });
    // A key of the same name and another type is another key.
    expect(diff({ keys: [{ type: 'secret', name: 'default' }, { type: 'secret', name: 'web' }] }, { ...NEW_PROJECT, keys: [key('p9', 'publishable', 'web'), key('s1', 'secret', 'default')] }).changes.map((c) => c.action)).toEqual(['create']);
  });

  it('PATCHes a changed description or JWT template, only what the YAML names', () => {
    const d = diff({ keys: [{ type: 'secret', name: 'default', description: 'Backend', secret_jwt_template: { role: 'backend_role' } }] });
    expect(d.changes).toEqual([
      { path: 'keys[secret:default].description', item: 'secret:default', action: 'update', before: null, after: 'Backend', sensitive: false },
      { path: 'keys[secret:default].secret_jwt_template', item: 'secret:default', action: 'update', before: { role: 'service_role' }, after: { role: 'backend_role' }, sensitive: false },
    ]);
    expect(d.requests).toEqual([{ method: 'PATCH', path: `${base}/s1`, body: { description: 'Backend', secret_jwt_template: { role: 'backend_role' } } }]);
    expect(diff({ keys: [{ type: 'secret', name: 'default' }, { type: 'publishable', name: 'default' }] }).requests).toEqual([]);
  });

  it('deletes unlisted keys only with prune; turns the legacy keys off after creating keys, and on', () => {
    const d = diff({ prune: true, legacy_enabled: false, keys: [{ type: 'secret', name: 'backend' }] });
    expect(d.changes.map((c) => [c.path, c.action])).toEqual([
      ['legacy_enabled', 'update'],
      ['keys[secret:backend]', 'create'],
      ['keys[publishable:default]', 'delete'],
      ['keys[secret:default]', 'delete'],
    ]);
    // Creates, then the switch (turning legacy keys off needs new keys), then deletes.
    expect(d.requests.map((r) => `${r.method} ${r.path.replace(base, '')}`)).toEqual(['POST ', 'PUT /legacy?enabled=false', 'DELETE /p1', 'DELETE /s1']);
    expect(diff({ legacy_enabled: true }, { ...NEW_PROJECT, legacy_enabled: false }).requests).toEqual([{ method: 'PUT', path: `${base}/legacy?enabled=true` }]);
    expect(diff({ legacy_enabled: true }).requests).toEqual([]);
  });

  it('labels a key whose name came from a file by its position, and hides a description read from one', () => {
    const d = diff({ keys: [{ type: 'secret', name: 'from_file', description: 'secret words' }] }, NEW_PROJECT, ['keys/0/name', 'keys/0/description']);
    expect(d.changes).toEqual([{ path: 'keys[0]', item: 'keys[0]', action: 'create', after: expect.any(Object), sensitive: true, beforeSet: false }]);
    const hidden = diff({ keys: [{ type: 'secret', name: 'default', description: 'secret words' }] }, NEW_PROJECT, ['keys/0/description']);
    expect(hidden.changes).toEqual([{ path: 'keys[secret:default].description', item: 'secret:default', action: 'update', before: null, after: 'secret words', sensitive: true, beforeSet: false }]);
  });

  it('checks: a key listed twice, a template on a publishable key or without a role', () => {
    const findings = apiKeysProvider.check!(
      section('api_keys', {
        keys: [
          { type: 'secret', name: 'ci_key' },
          { type: 'secret', name: 'ci_key' },
          { type: 'publishable', name: 'web_key', secret_jwt_template: { role: 'anon' } },
          { type: 'secret', name: 'other_key', secret_jwt_template: { sub: 'x' } },
        ],
      }),
    );
    expect(findings.map((f) => [f.path.join('.'), messageOf(f)])).toEqual([
      ['keys.1.name', 'keys[0] is the secret key of the same name; a key is listed once'],
      ['keys.2.secret_jwt_template', 'secret_jwt_template belongs to secret keys only'],
      ['keys.3.secret_jwt_template', 'secret_jwt_template needs a role (e.g. {role: service_role})'],
    ]);
  });

  it('exports keys without values; a new project’s keys export nothing unless --all', () => {
    const ctx = { ref: REF, all: false, allowedKeys: new Set<string>() };
    expect(apiKeysProvider.export!(NEW_PROJECT, ctx)).toBeUndefined();
    const exported = apiKeysProvider.export!({ ...NEW_PROJECT, legacy_enabled: false }, ctx);
    expect(exported).toEqual({
      values: {
        legacy_enabled: false,
        keys: [
          { type: 'publishable', name: 'default' },
          { type: 'secret', name: 'default', secret_jwt_template: { role: 'service_role' } },
        ],
      },
      variables: [],
    });
    expect(diff(exported!.values, { ...NEW_PROJECT, legacy_enabled: false })).toEqual({ changes: [], notes: [], requests: [] });
  });

  riskCases(apiKeysProvider, [
    { rule: 'api_keys.legacy_enabled.enabled', risky: upd('legacy_enabled', false, true), safe: upd('legacy_enabled', true, false) },
    {
      rule: 'api_keys.key.deleted',
      risky: { path: 'keys[secret:ci]', item: 'secret:ci', action: 'delete', before: { type: 'secret', name: 'ci' }, sensitive: false },
      safe: { path: 'keys[secret:ci]', item: 'secret:ci', action: 'create', after: { type: 'secret', name: 'ci' }, sensitive: false },
    },
    {
      rule: 'api_keys.key.template_changed',
      risky: upd('keys[secret:ci].secret_jwt_template', { role: 'service_role' }, { role: 'anon' }),
      safe: upd('keys[secret:ci].description', null, 'x'),
    },
  ]);
});
