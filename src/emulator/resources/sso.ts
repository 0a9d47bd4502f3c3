/**
 * SAML SSO providers: POST (201) / GET list (`{items}`) on /config/auth/sso/providers, GET / PUT /
 * DELETE on /{provider_id}.
 *
 * Shapes follow the recorded real answer (GoTrue's JSON behind the Management API), which differs
 * from the spec's response schema: no `saml.id`, domains as `[{domain}]` without ids,
 * `attribute_mapping: {}` when none was given, and a top-level `disabled: null`.
 *
 * Rules (GoTrue's, as far as known; the messages are plausible readings, not recorded):
 * - exactly one of `metadata_xml` / `metadata_url`; a `metadata_url` must be https;
 * - `entity_id` is the `entityID` of the metadata's EntityDescriptor, which must also describe an IdP
 *   (IDPSSODescriptor). The emulator cannot fetch a `metadata_url`: for such a provider the entity ID
 *   is the URL itself, and `metadata_xml` a minimal descriptor naming it (assumption);
 * - an entity ID appears at most once per project (422, as GoTrue does);
 * - a domain belongs to at most one provider of a project (400, as GoTrue does; the spec lists
 *   neither 400 nor 422 for these operations);
 * - PUT may change the metadata only when the entity ID stays the same;
 * - projects on the free plan: every operation answers 404 "SAML 2.0 support is not enabled for this
 *   project" (the spec's own wording for that 404);
 * - an unknown or malformed provider id: 404 "SSO Identity Provider not found" (as recorded).
 */
import { randomUUID } from 'node:crypto';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { HttpError, badRequest } from '../http-error.js';
import { validateBody } from '../validate.js';
import type { HandlerContext, ProjectMeta, RouteDef, Section, SectionContext } from '../types.js';

const LIST_PATH = '/v1/projects/{ref}/config/auth/sso/providers';
const ITEM_PATH = '/v1/projects/{ref}/config/auth/sso/providers/{provider_id}';

export const SAML_NOT_ENABLED_MESSAGE = 'SAML 2.0 support is not enabled for this project';
export const PROVIDER_NOT_FOUND_MESSAGE = 'SSO Identity Provider not found';

export interface SsoProvider {
  id: string;
  entity_id: string;
  metadata_xml: string;
  metadata_url?: string;
  attribute_mapping: Record<string, unknown>;
  name_id_format?: string;
  domains: string[];
  created_at: string;
  updated_at: string;
}

export interface SsoState {
  providers: SsoProvider[];
}

interface ProviderBody {
  type?: 'saml';
  metadata_xml?: string;
  metadata_url?: string;
  domains?: string[];
  attribute_mapping?: Record<string, unknown>;
  name_id_format?: string;
}

const xmlParser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', removeNSPrefix: true });
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function samlEnabled(project: ProjectMeta): void {
  if (project.plan === 'free') throw new HttpError(404, SAML_NOT_ENABLED_MESSAGE);
}

/** The entityID of an IdP metadata document. */
export function entityIdFromXml(xml: string): string {
  if (XMLValidator.validate(xml) !== true) throw badRequest('metadata_xml: SAML Metadata XML is not valid XML');
  const doc = xmlParser.parse(xml) as Record<string, unknown>;
  const descriptor = doc.EntityDescriptor as Record<string, unknown> | undefined;
  if (!descriptor || typeof descriptor !== 'object') {
    throw badRequest('metadata_xml: SAML Metadata XML must have an EntityDescriptor root element');
  }
  const entityId = descriptor['@_entityID'];
  if (typeof entityId !== 'string' || entityId === '') {
    throw badRequest('metadata_xml: SAML Metadata XML does not contain an entityID');
  }
  if (descriptor.IDPSSODescriptor === undefined) {
    throw badRequest('metadata_xml: SAML Metadata XML does not describe an identity provider (no IDPSSODescriptor)');
  }
  return entityId;
}

const xmlAttr = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Metadata from a source: the document given, or (for a URL) a minimal stand-in naming it. */
function metadataFrom(body: ProviderBody): { entity_id: string; metadata_xml: string; metadata_url?: string } {
  if (body.metadata_xml !== undefined && body.metadata_url !== undefined) {
    throw badRequest('Only one of metadata_xml or metadata_url needs to be set');
  }
  if (body.metadata_url !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(body.metadata_url);
    } catch {
      url = undefined;
    }
    if (!url || url.protocol !== 'https:') throw badRequest('metadata_url needs to use HTTPS');
    const metadata_xml =
      `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${xmlAttr(body.metadata_url)}">` +
      '<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"/></md:EntityDescriptor>';
    return { entity_id: body.metadata_url, metadata_xml, metadata_url: body.metadata_url };
  }
  if (body.metadata_xml !== undefined) {
    return { entity_id: entityIdFromXml(body.metadata_xml), metadata_xml: body.metadata_xml };
  }
  throw badRequest('Either metadata_xml or metadata_url must be set');
}

function normaliseDomains(domains: string[], state: SsoState, self: string | undefined): string[] {
  const out: string[] = [];
  for (const raw of domains) {
    const domain = raw.trim().toLowerCase();
    if (!DOMAIN.test(domain)) throw badRequest(`domains: "${raw}" is not a valid domain`);
    const owner = state.providers.find((p) => p.id !== self && p.domains.includes(domain));
    if (owner) {
      throw badRequest(`SSO Domain '${domain}' is already assigned to an SSO identity provider (${owner.id})`);
    }
    if (!out.includes(domain)) out.push(domain);
  }
  return out;
}

function create(state: SsoState, body: ProviderBody, now: Date): SsoProvider {
  const metadata = metadataFrom(body);
  if (state.providers.some((p) => p.entity_id === metadata.entity_id)) {
    throw new HttpError(422, `SAML Identity Provider with this EntityID (${metadata.entity_id}) already exists`);
  }
  const domains = normaliseDomains(body.domains ?? [], state, undefined);
  const at = now.toISOString();
  const provider: SsoProvider = {
    id: randomUUID(),
    ...metadata,
    attribute_mapping: structuredClone(body.attribute_mapping ?? {}),
    domains,
    created_at: at,
    updated_at: at,
  };
  if (body.name_id_format !== undefined) provider.name_id_format = body.name_id_format;
  state.providers.push(provider);
  return provider;
}

function update(state: SsoState, provider: SsoProvider, body: ProviderBody, now: Date): void {
  if (body.metadata_xml !== undefined || body.metadata_url !== undefined) {
    const metadata = metadataFrom(body);
    if (metadata.entity_id !== provider.entity_id) {
      throw badRequest(
        `SAML Metadata can be updated only if the EntityID matches for the provider; expected "${provider.entity_id}" but got "${metadata.entity_id}"`,
      );
    }
    provider.metadata_xml = metadata.metadata_xml;
    if (metadata.metadata_url !== undefined) provider.metadata_url = metadata.metadata_url;
    else delete provider.metadata_url;
  }
  if (body.domains !== undefined) provider.domains = normaliseDomains(body.domains, state, provider.id);
  if (body.attribute_mapping !== undefined) provider.attribute_mapping = structuredClone(body.attribute_mapping);
  if (body.name_id_format !== undefined) provider.name_id_format = body.name_id_format;
  provider.updated_at = now.toISOString();
}

/** A provider as the real API answers it (key order as recorded). */
export function providerBody(p: SsoProvider): Record<string, unknown> {
  const saml: Record<string, unknown> = { entity_id: p.entity_id, metadata_xml: p.metadata_xml };
  if (p.metadata_url !== undefined) saml.metadata_url = p.metadata_url;
  saml.attribute_mapping = p.attribute_mapping;
  if (p.name_id_format !== undefined) saml.name_id_format = p.name_id_format;
  return {
    id: p.id,
    disabled: null,
    saml,
    domains: p.domains.map((domain) => ({ domain })),
    created_at: p.created_at,
    updated_at: p.updated_at,
  };
}

function find(ctx: HandlerContext): SsoProvider {
  const id = ctx.params.provider_id ?? '';
  const provider = UUID.test(id) ? ctx.section(ssoSection).providers.find((p) => p.id === id.toLowerCase()) : undefined;
  if (!provider) throw new HttpError(404, PROVIDER_NOT_FOUND_MESSAGE);
  return provider;
}

export const ssoSection: Section<SsoState> = {
  name: 'sso_providers',
  initial: () => ({ providers: [] }),
  // The seed lists providers as POST bodies (`type` may be left out); an `id` may be given.
  seed(state, value, ctx: SectionContext) {
    if (ctx.project.plan === 'free') throw badRequest(`${SAML_NOT_ENABLED_MESSAGE} (plan free)`);
    if (!Array.isArray(value)) throw badRequest('sso_providers must be a list of providers');
    value.forEach((item: unknown, i) => {
      const { id, ...rest } = (item ?? {}) as { id?: unknown } & Record<string, unknown>;
      let provider: SsoProvider;
      try {
        provider = create(state, validateBody<ProviderBody>('POST', LIST_PATH, { type: 'saml', ...rest }), ctx.now);
      } catch (err) {
        if (err instanceof HttpError) throw badRequest(`${i}: ${err.message}`);
        throw err;
      }
      if (id !== undefined) {
        if (typeof id !== 'string' || !UUID.test(id)) throw badRequest(`${i}.id must be a UUID`);
        provider.id = id.toLowerCase();
      }
    });
    return state;
  },
};

export const ssoRoutes: RouteDef[] = [
  {
    method: 'GET',
    path: LIST_PATH,
    entitlement: samlEnabled,
    handle: (ctx) => ({ status: 200, body: { items: ctx.section(ssoSection).providers.map(providerBody) } }),
  },
  {
    method: 'POST',
    path: LIST_PATH,
    entitlement: samlEnabled,
    handle: (ctx) => ({
      status: 201,
      body: providerBody(create(ctx.section(ssoSection), ctx.body as ProviderBody, ctx.now)),
      mutated: true,
    }),
  },
  {
    method: 'GET',
    path: ITEM_PATH,
    entitlement: samlEnabled,
    handle: (ctx) => ({ status: 200, body: providerBody(find(ctx)) }),
  },
  {
    method: 'PUT',
    path: ITEM_PATH,
    entitlement: samlEnabled,
    handle(ctx) {
      const provider = find(ctx);
      update(ctx.section(ssoSection), provider, ctx.body as ProviderBody, ctx.now);
      return { status: 200, body: providerBody(provider), mutated: true };
    },
  },
  {
    method: 'DELETE',
    path: ITEM_PATH,
    entitlement: samlEnabled,
    handle(ctx) {
      const provider = find(ctx);
      const state = ctx.section(ssoSection);
      state.providers = state.providers.filter((p) => p.id !== provider.id);
      return { status: 200, body: providerBody(provider), mutated: true };
    },
  },
];
