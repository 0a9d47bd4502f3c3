import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.js';
import { checkMetadataXml } from '../../../src/providers/saml-metadata.js';
import { ssoProvider } from '../../../src/providers/sso.js';
import { REF, section } from '../../helpers/desired.js';
import { messageOf } from './finding.js';
import { riskCases } from './risk-cases.js';

const xml = (entity: string) =>
  `<?xml version="1.0"?><md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${entity}"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"/></md:EntityDescriptor>`;

const live = (id: string, domains: string[], saml: Record<string, unknown> = {}) => ({
  id,
  saml: { id: `s-${id}`, entity_id: `https://${id}.idp/entity`, attribute_mapping: { keys: {} }, ...saml },
  domains: domains.map((domain) => ({ id: `d-${domain}`, domain })),
});

const diff = (values: Record<string, unknown>, providers: ReturnType<typeof live>[]) =>
  ssoProvider.diff({ ref: REF, desired: section('sso', values), live: { providers } });

describe('SAML metadata', () => {
  it('reads the entityID, also inside EntitiesDescriptor', () => {
    expect(checkMetadataXml(xml('https://idp.example.com'))).toEqual({ entityId: 'https://idp.example.com' });
    expect(checkMetadataXml(`<EntitiesDescriptor><EntityDescriptor entityID="urn:x"><IDPSSODescriptor/></EntityDescriptor></EntitiesDescriptor>`)).toEqual({ entityId: 'urn:x' });
  });
  it('rejects malformed XML and XML that is not metadata', () => {
    expect(checkMetadataXml('<a><b></a>')).toHaveProperty('error');
    expect(checkMetadataXml('<a/>')).toHaveProperty('error');
    // As the API does: the metadata must describe an identity provider.
    expect(checkMetadataXml('<EntityDescriptor entityID="urn:x"/>')).toEqual({ error: expect.stringContaining('no IDPSSODescriptor') });
  });
  it('says where the document is malformed, never what it says there (issue 13, item 4)', () => {
    const bad = '<?xml version="1.0"?>\n<EntityDescriptor entityID="urn:x">\n  <hunter2SecretPw attr=\'x\'>\n</EntityDescriptor>';
    const result = checkMetadataXml(bad) as { error: string };
    expect(result.error).toMatch(/^metadata_xml is not well-formed XML \(line 4, column \d+: a tag is malformed/);
    expect(result.error).not.toMatch(/hunter2|EntityDescriptor/);
    expect(checkMetadataXml('<a></a><b></b>')).toEqual({ error: expect.stringMatching(/line 1, column \d+: Multiple possible root nodes found\)$/) });
  });
  it('refuses a DOCTYPE (entities: external files, expansion bombs) without throwing', () => {
    const xxe = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><EntityDescriptor entityID="&e;"><IDPSSODescriptor/></EntityDescriptor>';
    expect(checkMetadataXml(xxe)).toEqual({ error: expect.stringContaining('must not contain a DOCTYPE') });
  });
});

describe('sso provider', () => {
  it('creates an unmatched provider with one POST', () => {
    const d = diff({ providers: [{ metadata_url: 'https://idp.acme.com/metadata', domains: ['Acme.com'] }] }, []);
    expect(d.changes).toEqual([
      { path: 'providers[acme.com]', item: 'acme.com', action: 'create', after: { domains: ['acme.com'], metadata_url: 'https://idp.acme.com/metadata' }, sensitive: false },
    ]);
    expect(d.requests).toEqual([
      { method: 'POST', path: `/v1/projects/${REF}/config/auth/sso/providers`, body: { type: 'saml', metadata_url: 'https://idp.acme.com/metadata', domains: ['acme.com'] }, idempotent: false },
    ]);
  });

  it('matches by domain and PUTs only the changed fields', () => {
    const d = diff(
      { providers: [{ metadata_url: 'https://idp.acme.com/metadata', domains: ['acme.com', 'acme.io'], attribute_mapping: { keys: { email: { name: 'mail' } } } }] },
      [live('p1', ['acme.com'], { metadata_url: 'https://idp.acme.com/metadata' })],
    );
    expect(d.changes.map((c) => c.path)).toEqual(['providers[acme.com].domains', 'providers[acme.com].attribute_mapping']);
    expect(d.requests).toEqual([
      {
        method: 'PUT',
        path: `/v1/projects/${REF}/config/auth/sso/providers/p1`,
        body: { domains: ['acme.com', 'acme.io'], attribute_mapping: { keys: { email: { name: 'mail' } } } },
      },
    ]);
  });

  it('matches by metadata_url, then by entityID', () => {
    const byUrl = diff({ providers: [{ metadata_url: 'https://idp/x' }] }, [live('p1', [], { metadata_url: 'https://idp/x' })]);
    expect(byUrl.requests).toEqual([]);
    const byEntity = diff({ providers: [{ metadata_xml: xml('https://p2.idp/entity') }] }, [live('p2', [], { metadata_xml: xml('https://p2.idp/entity') })]);
    expect(byEntity.requests).toEqual([]);
  });

  it('matches a live provider without metadata_url whose entity ID is the desired metadata_url: one PUT, not delete and create (issue 17, item 16)', () => {
    const url = 'https://idp.acme.com/saml/metadata';
    const fromXml = live('p1', [], { entity_id: url, metadata_xml: xml(url) });
    const d = diff({ prune: true, providers: [{ metadata_url: url }] }, [fromXml]);
    expect(d.changes.map((c) => [c.action, c.path])).toEqual([['update', `providers[${url}].metadata_url`]]);
    expect(d.requests).toEqual([{ method: 'PUT', path: `/v1/projects/${REF}/config/auth/sso/providers/p1`, body: { metadata_url: url } }]);
    // A live provider with another metadata_url is not matched by its entity ID.
    const other = live('p2', [], { entity_id: url, metadata_url: 'https://idp.acme.com/other' });
    expect(diff({ providers: [{ metadata_url: url }] }, [other]).changes.map((c) => c.action)).toEqual(['create']);
  });

  it('reports unmatched live providers and deletes them only with prune', () => {
    const extra = [live('p9', ['old.com'])];
    const kept = diff({ providers: [] }, extra);
    expect(kept.requests).toEqual([]);
    expect(kept.notes?.[0]).toMatch(/p9 \(old\.com\) is not in the configuration/);
    const pruned = diff({ prune: true, providers: [] }, extra);
    expect(pruned.changes).toMatchObject([{ action: 'delete', item: 'old.com' }]);
    expect(pruned.requests).toEqual([{ method: 'DELETE', path: `/v1/projects/${REF}/config/auth/sso/providers/p9` }]);
  });

  it('an ambiguous match is a configuration error naming both live providers', () => {
    const err = (() => {
      try {
        diff({ providers: [{ metadata_url: 'https://idp/x', domains: ['a.com', 'b.com'] }] }, [live('p1', ['a.com']), live('p2', ['b.com'])]);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect(String((err as Error).message)).toMatch(/more than one live provider: live provider p1 \(a\.com\) and live provider p2 \(b\.com\)/);
  });

  it('a field read from a file is a sensitive change, and a label from a file is replaced by the position (issue 13, item 1)', () => {
    const values = {
      providers: [
        { metadata_url: 'https://idp.acme.com/m', domains: ['secret-domain.com'], attribute_mapping: { keys: { email: { name: 'secret-claim' } } } },
        { metadata_xml: xml('https://secret-entity.example.com'), domains: ['plain.com'] },
      ],
    };
    const fromFile = ['providers/0/domains/0', 'providers/0/attribute_mapping/keys/email/name', 'providers/1/metadata_xml'];
    const created = ssoProvider.diff({ ref: REF, desired: section('sso', values, { fromFile }), live: { providers: [] } });
    expect(created.changes.map((c) => [c.path, c.item, c.sensitive])).toEqual([
      ['providers[0]', 'providers[0]', true],
      ['providers[plain.com]', 'plain.com', true],
    ]);
    const updated = ssoProvider.diff({
      ref: REF,
      desired: section('sso', values, { fromFile }),
      live: { providers: [live('p1', ['secret-domain.com'], { metadata_url: 'https://idp.acme.com/old' }), live('p2', ['plain.com'])] },
    });
    expect(updated.changes.map((c) => [c.path, c.sensitive])).toEqual([
      ['providers[0].metadata_url', false],
      ['providers[0].attribute_mapping', true],
      ['providers[plain.com].metadata_xml', true],
    ]);
    for (const c of [...created.changes, ...updated.changes]) {
      expect(`${c.path} ${c.item}`).not.toMatch(/secret-domain|secret-claim|secret-entity/);
    }
  });

  it('checks metadata, URLs and domains before any request', () => {
    const findings = ssoProvider.check!(
      section('sso', {
        providers: [
          { metadata_url: 'http://insecure/metadata', domains: ['ok.com'] },
          { metadata_xml: '<not-xml', domains: ['ok.com', 'bad_domain'] },
          { domains: ['x.com'] },
        ],
      }),
    );
    const messages = findings.map((f) => `${f.path.join('.')}: ${messageOf(f)}`);
    expect(messages).toEqual([
      'providers.0.metadata_url: metadata_url must be an https:// URL',
      expect.stringMatching(/^providers\.1\.metadata_xml: metadata_xml is not well-formed XML/),
      'providers.1.domains.0: "ok.com" is also listed by providers[0]; a domain belongs to at most one provider',
      'providers.1.domains.1: "bad_domain" is not a domain name',
      'providers.2: give exactly one of metadata_xml or metadata_url',
    ]);
    // A sensitive path: the value (here lower-cased by the check) is not quoted in any form.
    expect(findings.map((f) => messageOf(f, true)).filter((m) => /ok\.com|bad_domain/i.test(m))).toEqual([]);
  });
});

describe('sso risk rules', () => {
  riskCases(ssoProvider, [
    {
      rule: 'sso.provider.deleted',
      risky: { path: 'providers[acme.com]', item: 'acme.com', action: 'delete', sensitive: false },
      safe: { path: 'providers[acme.com]', item: 'acme.com', action: 'create', sensitive: false },
    },
  ]);
});
