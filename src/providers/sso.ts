/**
 * sso — SAML identity providers: POST / GET list on /config/auth/sso/providers, GET / PUT / DELETE on
 * /{provider_id}. The API has no client-side key, so desired and live providers are matched by a
 * shared domain, else by metadata_url (a live provider without one, by an entity ID equal to it),
 * else by the entityID inside metadata_xml; an ambiguous or
 * conflicting match is a configuration error naming both sides. Changed providers get one PUT with
 * only the changed fields (never delete-and-recreate); live providers missing from the YAML are
 * reported, and deleted only with `prune: true`.
 */
import { createHash } from 'node:crypto';
import type { ApiClient, ApiRequest, Schemas } from '../api/types.js';
import type { DesiredSection } from '../config/types.js';
import { ApiError, ConfigError, UnsupportedError } from '../errors.js';
import type { Change, JsonValue } from '../reconcile/types.js';
import { type DesiredItem, diffCollection, type Sensitivity } from './collection.js';
import type { RiskRule } from './risk.js';
import { checkMetadataXml } from './saml-metadata.js';
import { stable } from './stable-json.js';
import type { CheckFinding, DiffInput, Provider, SectionDiff, SectionSchema } from './types.js';

type LiveProvider = Schemas['GetProviderResponse'];
interface SsoLive {
  providers: LiveProvider[];
}

interface DesiredProvider {
  metadata_xml?: string;
  metadata_url?: string;
  domains?: string[];
  attribute_mapping?: Record<string, unknown>;
  name_id_format?: string;
}

const FIELDS = ['metadata_xml', 'metadata_url', 'domains', 'attribute_mapping', 'name_id_format'] as const;
type Field = (typeof FIELDS)[number];

const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

const schema: SectionSchema = {
  description:
    'SAML SSO identity providers. Live providers absent from the YAML are reported, and deleted only with `prune: true`.',
  longTexts: ['providers[].metadata_xml'],
  extra: {
    prune: { type: 'boolean', description: 'Delete live providers that the YAML does not list (a risky change).' },
    providers: {
      type: 'array',
      description: 'Desired providers: metadata_xml or metadata_url, domains, attribute_mapping, name_id_format.',
      items: { $body: 'CreateProviderBody', exclude: ['type'] },
    },
  },
};

const risks: readonly RiskRule[] = [
  {
    id: 'sso.provider.deleted',
    section: 'sso',
    description: 'deleting an SSO provider (its users can no longer sign in)',
    test: (c) => (c.action === 'delete' ? `deletes SSO provider ${c.item ?? c.path}: its users cannot sign in` : undefined),
  },
];

const base = (ref: string) => `/v1/projects/${ref}/config/auth/sso/providers`;
const desiredList = (desired: DesiredSection): DesiredProvider[] =>
  Array.isArray(desired.values.providers) ? (desired.values.providers as DesiredProvider[]) : [];
const normDomains = (list: readonly string[] | undefined) => [...new Set((list ?? []).map((d) => d.trim().toLowerCase()))].sort();
const liveDomains = (p: LiveProvider) => normDomains((p.domains ?? []).map((d) => d.domain ?? '').filter(Boolean));

/** A mapping without keys and no mapping mean the same (the API answers `{}` when none was given). */
function mappingOf(mapping: unknown): JsonValue {
  const keys = mapping && typeof mapping === 'object' ? (mapping as { keys?: unknown }).keys : undefined;
  return JSON.parse(stable({ keys: keys ?? {} })) as JsonValue;
}

/** A metadata document is shown by its entityID and a short digest, never in full. */
function describeXml(xml: string | undefined): JsonValue {
  if (!xml) return null;
  const check = checkMetadataXml(xml);
  const digest = createHash('sha256').update(xml.trim()).digest('hex').slice(0, 12);
  return `metadata for ${'entityId' in check ? check.entityId : '(unparsed)'} (sha256 ${digest}…)`;
}

/**
 * The provider's label in paths and item names: its first domain, else its metadata_url, else the
 * entityID in its metadata — unless that value came from a file, then its position: a label must
 * not reveal a sensitive value.
 */
function labelOf(d: DesiredProvider, sensitive: Sensitivity<Field>, byPosition: string): string {
  const domains = normDomains(d.domains);
  if (domains.length) return sensitive('domains') ? byPosition : domains[0]!;
  if (d.metadata_url) return sensitive('metadata_url') ? byPosition : d.metadata_url;
  if (d.metadata_xml && sensitive('metadata_xml')) return byPosition;
  const check = d.metadata_xml ? checkMetadataXml(d.metadata_xml) : undefined;
  return check && 'entityId' in check ? check.entityId : byPosition;
}

function check(desired: DesiredSection): CheckFinding[] {
  const findings: CheckFinding[] = [];
  const seenDomains = new Map<string, number>();
  desiredList(desired).forEach((p, i) => {
    const at = (...rest: (string | number)[]) => ['providers', i, ...rest];
    if (Boolean(p.metadata_xml) === Boolean(p.metadata_url)) {
      findings.push({ severity: 'error', path: at(), message: 'give exactly one of metadata_xml or metadata_url' });
    }
    if (p.metadata_url !== undefined) {
      let url: URL | undefined;
      try {
        url = new URL(p.metadata_url);
      } catch {
        url = undefined;
      }
      if (!url || url.protocol !== 'https:') {
        findings.push({ severity: 'error', path: at('metadata_url'), message: 'metadata_url must be an https:// URL' });
      }
    }
    if (p.metadata_xml !== undefined) {
      const result = checkMetadataXml(p.metadata_xml);
      if ('error' in result) findings.push({ severity: 'error', path: at('metadata_xml'), message: result.error });
    }
    (p.domains ?? []).forEach((domain, j) => {
      const d = domain.trim().toLowerCase();
      if (!DOMAIN.test(d)) {
        findings.push({ severity: 'error', path: at('domains', j), message: (quote) => `${quote(domain)} is not a domain name` });
      }
      const other = seenDomains.get(d);
      if (other !== undefined && other !== i) {
        findings.push({
          severity: 'error',
          path: at('domains', j),
          message: (quote) => `${quote(d)} is also listed by providers[${other}]; a domain belongs to at most one provider`,
        });
      }
      seenDomains.set(d, i);
    });
  });
  return findings;
}

/** The live provider has this metadata URL, or none and an entity ID equal to it. */
function sameMetadataUrl(l: LiveProvider, url: string): boolean {
  const saml = l.saml;
  return saml?.metadata_url ? saml.metadata_url === url : saml?.entity_id === url;
}

/** Which live provider a desired one is, if any; throws ConfigError when that is ambiguous. */
function matchProviders(desired: DesiredSection, live: readonly LiveProvider[]): Map<number, LiveProvider> {
  const list = desiredList(desired);
  const issues: ConfigError['issues'] = [];
  const matches = new Map<number, LiveProvider>();
  const where = (i: number) => desired.locate(['providers', i]);
  const name = (p: LiveProvider) => `live provider ${p.id} (${liveDomains(p).join(', ') || p.saml?.entity_id || 'no domains'})`;
  list.forEach((d, i) => {
    const domains = new Set(normDomains(d.domains));
    const byDomain = live.filter((l) => liveDomains(l).some((x) => domains.has(x)));
    // A provider created from metadata XML has no metadata_url; its entity ID is often that URL.
    const byUrl = d.metadata_url ? live.filter((l) => sameMetadataUrl(l, d.metadata_url!)) : [];
    const entity = d.metadata_xml ? checkMetadataXml(d.metadata_xml) : undefined;
    const byEntity = entity && 'entityId' in entity ? live.filter((l) => l.saml?.entity_id === entity.entityId) : [];
    const candidates = byDomain.length ? byDomain : byUrl.length ? byUrl : byEntity;
    if (candidates.length > 1) {
      issues.push({
        location: where(i),
        path: `sso.providers[${i}]`,
        message: `matches more than one live provider: ${candidates.map(name).join(' and ')}`,
      });
      return;
    }
    const match = candidates[0];
    if (!match) return;
    const conflicting = [...byUrl, ...byEntity].find((l) => l.id !== match.id);
    if (byDomain.length && conflicting) {
      issues.push({
        location: where(i),
        path: `sso.providers[${i}]`,
        message: `its domains match ${name(match)} but its metadata matches ${name(conflicting)}`,
      });
      return;
    }
    const [previous] = [...matches].find(([, l]) => l.id === match.id) ?? [];
    if (previous !== undefined) {
      const at = where(previous);
      issues.push({
        location: where(i),
        path: `sso.providers[${i}]`,
        message: `matches ${name(match)}, which providers[${previous}] (${at.file}:${at.line}:${at.col}) also matches`,
      });
      return;
    }
    matches.set(i, match);
  });
  if (issues.length) throw new ConfigError(issues);
  return matches;
}

/** The comparable value of a field on each side, or undefined when the desired side leaves it unmanaged. */
function fieldValues(field: Field, d: DesiredProvider, l: LiveProvider): { want: JsonValue; have: JsonValue } | undefined {
  switch (field) {
    case 'domains':
      return d.domains === undefined ? undefined : { want: normDomains(d.domains), have: liveDomains(l) };
    case 'attribute_mapping':
      return d.attribute_mapping === undefined
        ? undefined
        : { want: mappingOf(d.attribute_mapping), have: mappingOf(l.saml?.attribute_mapping) };
    case 'metadata_xml':
      return d.metadata_xml === undefined ? undefined : { want: d.metadata_xml.trim(), have: (l.saml?.metadata_xml ?? '').trim() };
    case 'metadata_url':
      return d.metadata_url === undefined ? undefined : { want: d.metadata_url, have: l.saml?.metadata_url ?? null };
    case 'name_id_format':
      return d.name_id_format === undefined ? undefined : { want: d.name_id_format, have: l.saml?.name_id_format ?? null };
  }
}

/**
 * The changed fields of a matched provider. A field that holds anything read from a file is a
 * sensitive change: its values are for the guardrails only, and the engine strips them from the plan.
 */
function diffProvider(ref: string, d: DesiredProvider, l: LiveProvider, item: DesiredItem<Field>): { changes: Change[]; requests: ApiRequest[] } {
  const changes: Change[] = [];
  const body: Record<string, unknown> = {};
  for (const field of FIELDS) {
    const values = fieldValues(field, d, l);
    if (!values || stable(values.want) === stable(values.have)) continue;
    body[field] = field === 'domains' ? values.want : d[field];
    const show = (v: JsonValue) => (field === 'metadata_xml' ? describeXml(typeof v === 'string' ? v : undefined) : v);
    changes.push(item.updated(field, show(values.have), show(values.want), !isUnset(values.have)));
  }
  return { changes, requests: changes.length ? [{ method: 'PUT', path: `${base(ref)}/${l.id}`, body }] : [] };
}

const isUnset = (v: JsonValue): boolean =>
  v === null || v === '' || (Array.isArray(v) && !v.length) || (typeof v === 'object' && !Array.isArray(v) && stable(v) === stable({ keys: {} }));

function createBody(d: DesiredProvider): Record<string, unknown> {
  const body: Record<string, unknown> = { type: 'saml' };
  for (const field of FIELDS) if (d[field] !== undefined) body[field] = field === 'domains' ? normDomains(d.domains) : d[field];
  return body;
}

function createSummary(d: DesiredProvider): JsonValue {
  const summary: Record<string, JsonValue> = {};
  if (d.domains) summary.domains = normDomains(d.domains);
  if (d.metadata_url) summary.metadata_url = d.metadata_url;
  if (d.metadata_xml) summary.metadata_xml = describeXml(d.metadata_xml);
  if (d.name_id_format) summary.name_id_format = d.name_id_format;
  if (d.attribute_mapping) summary.attribute_mapping = JSON.parse(stable(d.attribute_mapping)) as JsonValue;
  return summary;
}

/** A live provider as the YAML would describe it: metadata_url when it has one, else the XML. */
function exportProvider(l: LiveProvider): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (l.saml?.metadata_url) out.metadata_url = l.saml.metadata_url;
  else if (l.saml?.metadata_xml) out.metadata_xml = l.saml.metadata_xml;
  const domains = liveDomains(l);
  if (domains.length) out.domains = domains;
  const mapping = mappingOf(l.saml?.attribute_mapping) as { keys: Record<string, unknown> };
  if (Object.keys(mapping.keys).length) out.attribute_mapping = mapping;
  if (l.saml?.name_id_format) out.name_id_format = l.saml.name_id_format;
  return out;
}

export const ssoProvider: Provider<SsoLive> = {
  section: 'sso',
  schema,
  risks,
  check,
  async read(client: ApiClient, ref: string): Promise<SsoLive> {
    try {
      const res = await client.get<Schemas['ListProvidersResponse']>(base(ref));
      return { providers: res.items ?? [] };
    } catch (err) {
      // The list answers 404 when SAML is not enabled for the project (e.g. on the free plan).
      if (err instanceof ApiError && err.status === 404) {
        throw new UnsupportedError(
          `SAML SSO is not available for project ${ref}${err.apiMessage ? `: ${err.apiMessage}` : ''} (enable SAML 2.0 on a plan that includes it)`,
        );
      }
      throw err;
    }
  },
  diff({ ref, desired, live }: DiffInput<SsoLive>): SectionDiff {
    if (!Array.isArray(desired.values.providers)) return { changes: [], requests: [] };
    const { changes, notes, deletes, updates, creates } = diffCollection(desired, desiredList(desired), live.providers, {
      key: 'providers',
      matches: matchProviders(desired, live.providers),
      label: labelOf,
      update: (d, l, item) => diffProvider(ref, d, l, item),
      create: (d) => ({ after: createSummary(d), request: { method: 'POST', path: base(ref), body: createBody(d), idempotent: false } }),
      liveLabel: (l) => liveDomains(l)[0] ?? l.saml?.entity_id ?? l.id,
      remove: (l) => ({ before: { id: l.id, domains: liveDomains(l) }, request: { method: 'DELETE', path: `${base(ref)}/${l.id}` } }),
      untouched: (l) =>
        `live provider ${l.id} (${liveDomains(l).join(', ') || l.saml?.entity_id || 'no domains'}) is not in the configuration; left untouched (set prune: true to delete it)`,
    });
    // Deletes first, then updates, then creates: a domain freed by one can be taken by the next.
    return { changes, notes, requests: [...deletes, ...updates, ...creates] };
  },
  export(live, ctx) {
    if (!live.providers.length && !ctx.all) return undefined;
    return { values: { providers: live.providers.map(exportProvider) }, variables: [] };
  },
};

