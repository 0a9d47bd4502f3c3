/**
 * third_party_auth — integrations that let another issuer's JWTs sign users in (Firebase, Auth0,
 * Cognito, Clerk, WorkOS, any OIDC issuer or JWKS): GET list / POST on
 * /config/auth/third-party-auth, DELETE on /{tpa_id}. The API has no client-side key, so desired and
 * live integrations are matched by `oidc_issuer_url`, else `jwks_url`, else (for a `custom_jwks`
 * alone) by the set's public keys; an ambiguous match is a configuration error naming both sides.
 *
 * The API cannot change an integration: a changed one is deleted and created again (in that order,
 * since an issuer may be registered once), a risky change — between the two, tokens it issues are
 * refused. Live integrations missing from the YAML are reported, and deleted only with
 * `prune: true`, also risky. `custom_jwks` holds public keys only: private members are refused
 * before any request and dropped from anything read; a set is shown by its size and digest.
 */
import type { ApiClient, ApiRequest, Schemas } from '../api/types.js';
import type { DesiredSection } from '../config/types.js';
import { ConfigError } from '../errors.js';
import type { Change, JsonValue } from '../reconcile/types.js';
import { type DesiredItem, diffCollection, type Sensitivity } from './collection.js';
import { checkJwks, describeJwks, publicJwks } from './jwks.js';
import type { RiskRule } from './risk.js';
import { stable } from './stable-json.js';
import type { CheckFinding, DiffInput, Provider, SectionDiff, SectionSchema } from './types.js';

const SECTION = 'third_party_auth';
const FIELDS = ['oidc_issuer_url', 'jwks_url', 'custom_jwks'] as const;
type Field = (typeof FIELDS)[number];

interface Integration {
  id: string;
  type: string;
  oidc_issuer_url: string | null;
  jwks_url: string | null;
  /** Public members only. */
  custom_jwks: JsonValue;
}
interface TpaLive {
  integrations: Integration[];
}
interface DesiredIntegration {
  oidc_issuer_url?: string;
  jwks_url?: string;
  custom_jwks?: unknown;
}

const schema: SectionSchema = {
  description:
    'Third-party auth integrations (JWTs of another issuer: Firebase, Auth0, Cognito, Clerk, WorkOS, any OIDC issuer or JWKS). ' +
    'Live integrations absent from the YAML are reported, and deleted only with `prune: true`.',
  extra: {
    prune: { type: 'boolean', description: 'Delete live integrations that the YAML does not list (a risky change).' },
    integrations: {
      type: 'array',
      description:
        'Desired integrations: oidc_issuer_url, jwks_url and/or custom_jwks (a JWKS of public keys). Matched to live ones by oidc_issuer_url, else jwks_url.',
      items: { $body: 'CreateThirdPartyAuthBody' },
    },
  },
};

const risks: readonly RiskRule[] = [
  {
    id: `${SECTION}.integration.deleted`,
    section: SECTION,
    description: 'deleting a third-party auth integration (its users can no longer sign in)',
    test: (c) => (c.action === 'delete' ? `deletes integration ${c.item ?? c.path}: its users cannot sign in` : undefined),
  },
  {
    id: `${SECTION}.integration.replaced`,
    section: SECTION,
    description: 'changing a third-party auth integration (the API deletes and creates it again; its tokens are refused in between)',
    test: (c) =>
      c.action === 'update' ? `replaces integration ${c.item ?? c.path}: it is deleted and created again, and its tokens are refused in between` : undefined,
  },
];

const base = (ref: string) => `/v1/projects/${ref}/config/auth/third-party-auth`;
const desiredList = (desired: DesiredSection): DesiredIntegration[] =>
  Array.isArray(desired.values.integrations) ? (desired.values.integrations as DesiredIntegration[]) : [];

function isHttpsUrl(value: string): boolean {
  try {
    return new URL(value).protocol === 'https:';
  } catch {
    return false;
  }
}

/** What identifies an integration: its issuer, else its JWKS URL, else its public keys. */
function identity(i: { oidc_issuer_url?: string | null; jwks_url?: string | null; custom_jwks?: unknown }): string | undefined {
  if (i.oidc_issuer_url) return `issuer ${i.oidc_issuer_url}`;
  if (i.jwks_url) return `jwks ${i.jwks_url}`;
  if (i.custom_jwks !== undefined && i.custom_jwks !== null) return `keys ${stable(publicJwks(i.custom_jwks))}`;
  return undefined;
}

function check(desired: DesiredSection): CheckFinding[] {
  const findings: CheckFinding[] = [];
  const seen = new Map<string, number>();
  desiredList(desired).forEach((d, i) => {
    const at = (...rest: (string | number)[]) => ['integrations', i, ...rest];
    if (d.oidc_issuer_url === undefined && d.jwks_url === undefined && d.custom_jwks === undefined) {
      findings.push({ severity: 'error', path: at(), message: 'give oidc_issuer_url, jwks_url or custom_jwks' });
    }
    for (const field of ['oidc_issuer_url', 'jwks_url'] as const) {
      if (d[field] !== undefined && !isHttpsUrl(d[field])) findings.push({ severity: 'error', path: at(field), message: `${field} must be an https:// URL` });
    }
    if (d.custom_jwks !== undefined) {
      for (const issue of checkJwks(d.custom_jwks)) findings.push({ severity: 'error', path: at('custom_jwks', ...issue.at), message: issue.message });
    }
    const key = identity(d);
    const other = key === undefined ? undefined : seen.get(key);
    if (other !== undefined) {
      const by = d.oidc_issuer_url ? 'oidc_issuer_url' : d.jwks_url ? 'jwks_url' : 'custom_jwks';
      findings.push({ severity: 'error', path: at(by), message: `integrations[${other}] has the same ${by}; an integration is listed once` });
    } else if (key !== undefined) seen.set(key, i);
  });
  return findings;
}

/** The label in paths and item names: its issuer, else its JWKS URL, else its keys' digest — by position when that came from a file. */
function labelOf(d: DesiredIntegration, sensitive: Sensitivity<Field>, byPosition: string): string {
  if (d.oidc_issuer_url) return sensitive('oidc_issuer_url') ? byPosition : d.oidc_issuer_url;
  if (d.jwks_url) return sensitive('jwks_url') ? byPosition : d.jwks_url;
  return sensitive('custom_jwks') || d.custom_jwks === undefined ? byPosition : describeJwks(d.custom_jwks);
}

const liveLabel = (l: Integration): string => l.oidc_issuer_url ?? l.jwks_url ?? `${describeJwks(l.custom_jwks)} (${l.id})`;

/** Which live integration a desired one is, if any; throws ConfigError when that is ambiguous. */
function matchIntegrations(desired: DesiredSection, live: readonly Integration[]): Map<number, Integration> {
  const issues: ConfigError['issues'] = [];
  const matches = new Map<number, Integration>();
  const where = (i: number) => desired.locate(['integrations', i]);
  const name = (l: Integration) => `live integration ${l.id} (${l.type})`;
  desiredList(desired).forEach((d, i) => {
    const candidates = d.oidc_issuer_url
      ? live.filter((l) => l.oidc_issuer_url === d.oidc_issuer_url)
      : d.jwks_url
        ? live.filter((l) => l.jwks_url === d.jwks_url)
        : live.filter((l) => d.custom_jwks !== undefined && l.custom_jwks !== null && stable(l.custom_jwks) === stable(publicJwks(d.custom_jwks)));
    if (candidates.length > 1) {
      issues.push({ location: where(i), path: `${SECTION}.integrations[${i}]`, message: `matches more than one live integration: ${candidates.map(name).join(' and ')}` });
      return;
    }
    const match = candidates[0];
    if (!match) return;
    const [previous] = [...matches].find(([, l]) => l.id === match.id) ?? [];
    if (previous !== undefined) {
      const at = where(previous);
      issues.push({
        location: where(i),
        path: `${SECTION}.integrations[${i}]`,
        message: `matches ${name(match)}, which integrations[${previous}] (${at.file}:${at.line}:${at.col}) also matches`,
      });
      return;
    }
    matches.set(i, match);
  });
  if (issues.length) throw new ConfigError(issues);
  return matches;
}

/** A field as the plan shows it: URLs as they are, a key set by its size and digest. */
const shown = (field: Field, value: unknown): JsonValue =>
  value === undefined || value === null ? null : field === 'custom_jwks' ? describeJwks(value) : (value as JsonValue);

/** The create body: the desired fields, over the live ones a replaced integration had (those are unmanaged). */
function createBody(d: DesiredIntegration, previous?: Integration): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const field of FIELDS) {
    const value = d[field] !== undefined ? (field === 'custom_jwks' ? publicJwks(d.custom_jwks) : d[field]) : previous?.[field];
    if (value !== undefined && value !== null) body[field] = value;
  }
  return body;
}

function createSummary(d: DesiredIntegration): JsonValue {
  const summary: Record<string, JsonValue> = {};
  for (const field of FIELDS) if (d[field] !== undefined) summary[field] = shown(field, d[field]);
  return summary;
}

/** The changed fields of a matched integration (the desired side names the fields it manages). */
function changedFields(d: DesiredIntegration, l: Integration, item: DesiredItem<Field>): Change[] {
  const changes: Change[] = [];
  for (const field of FIELDS) {
    if (d[field] === undefined) continue;
    const want = field === 'custom_jwks' ? publicJwks(d.custom_jwks) : (d[field] as string);
    if (stable(want) === stable(l[field])) continue;
    changes.push(item.updated(field, shown(field, l[field]), shown(field, d[field]), l[field] !== null));
  }
  return changes;
}

export const thirdPartyAuthProvider: Provider<TpaLive> = {
  section: SECTION,
  schema,
  risks,
  check,
  async read(client: ApiClient, ref: string): Promise<TpaLive> {
    const list = await client.get<Schemas['ThirdPartyAuth'][]>(base(ref));
    // resolved_jwks is not read at all; custom_jwks keeps only public members, whatever the answer holds.
    const integrations = (Array.isArray(list) ? list : []).map((t) => ({
      id: t.id,
      type: t.type,
      oidc_issuer_url: t.oidc_issuer_url ?? null,
      jwks_url: t.jwks_url ?? null,
      custom_jwks: t.custom_jwks === undefined || t.custom_jwks === null ? null : publicJwks(t.custom_jwks),
    }));
    return { integrations };
  },
  diff({ ref, desired, live }: DiffInput<TpaLive>): SectionDiff {
    if (!Array.isArray(desired.values.integrations)) return { changes: [], requests: [] };
    const create = (d: DesiredIntegration, previous?: Integration): ApiRequest => ({ method: 'POST', path: base(ref), body: createBody(d, previous), idempotent: false });
    const { changes, notes, deletes, updates: replaces, creates } = diffCollection(desired, desiredList(desired), live.integrations, {
      key: 'integrations',
      matches: matchIntegrations(desired, live.integrations),
      label: labelOf,
      update: (d, l, item) => {
        const changed = changedFields(d, l, item);
        return { changes: changed, requests: changed.length ? [{ method: 'DELETE', path: `${base(ref)}/${l.id}` }, create(d, l)] : [] };
      },
      create: (d) => ({ after: createSummary(d), request: create(d) }),
      liveLabel,
      remove: (l) => ({ before: { id: l.id, type: l.type }, request: { method: 'DELETE', path: `${base(ref)}/${l.id}` } }),
      untouched: (l, label) => `live integration ${l.id} (${l.type}: ${label}) is not in the configuration; left untouched (set prune: true to delete it)`,
    });
    if (replaces.length) notes.push('the API cannot change an integration in place: a changed one is deleted and created again (with a new id)');
    // Deletes first, then replacements (delete before create: an issuer is registered once), then creates.
    return { changes, notes, requests: [...deletes, ...replaces, ...creates] };
  },
  export(live, ctx) {
    if (!live.integrations.length && !ctx.all) return undefined;
    const integrations = live.integrations.map((l) => {
      const out: Record<string, unknown> = {};
      for (const field of FIELDS) if (l[field] !== null) out[field] = l[field];
      return out;
    });
    return { values: { integrations }, variables: [] };
  },
};
