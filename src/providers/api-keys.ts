/**
 * api_keys — the project's API keys: the switch for the legacy JWT-based keys (GET / PUT
 * /api-keys/legacy?enabled=…) and the publishable and secret keys (GET / POST /api-keys, PATCH /
 * DELETE /api-keys/{id}). Keys are matched by type and name (names are unique per type); a missing
 * one is created with its name and description, a changed description or JWT template is PATCHed,
 * and a live key the YAML does not list is reported, and deleted only with `prune: true`.
 *
 * Key material never enters supasync: `reveal` is never asked for, and what the API answers anyway
 * (`api_key`, which holds the legacy service_role JWT and publishable keys in full, its `hash` and
 * `prefix`) is dropped as it is read — it reaches no plan, log, error or export. Turning the legacy
 * keys back on, deleting a key and changing a secret key's JWT template are risky.
 */
import type { ApiClient, ApiRequest, Schemas } from '../api/types.js';
import { fromFileAtOrBelow } from '../config/from-file.js';
import type { DesiredSection } from '../config/types.js';
import type { Change, JsonValue } from '../reconcile/types.js';
import { type CollectionDiff, type DesiredItem, diffCollection, type Sensitivity } from './collection.js';
import { readAll } from './read-all.js';
import { field, type RiskRule } from './risk.js';
import { stable } from './stable-json.js';
import type { CheckFinding, DiffInput, Provider, SectionDiff, SectionSchema } from './types.js';

const SECTION = 'api_keys';
export const KEY_TYPES = ['publishable', 'secret'] as const;
type KeyType = (typeof KEY_TYPES)[number];

/** A publishable or secret key as supasync keeps it: its identity and settings, never its value. */
export interface LiveKey {
  id: string;
  type: KeyType;
  name: string;
  description: string | null;
  secret_jwt_template: JsonValue;
}

export interface ApiKeysLive {
  legacy_enabled: boolean;
  keys: LiveKey[];
}

interface DesiredKey {
  type: KeyType;
  name: string;
  description?: string | null;
  secret_jwt_template?: Record<string, unknown> | null;
}

const schema: SectionSchema = {
  description:
    'API keys: the switch for the legacy JWT-based keys (anon, service_role) and the publishable and secret keys, matched by type and name. ' +
    'Key values are never read, printed or exported. Live keys absent from the YAML are reported, and deleted only with `prune: true`.',
  extra: {
    legacy_enabled: {
      type: 'boolean',
      description: 'Whether the legacy JWT-based API keys (anon, service_role) work. Turning them back on is a risky change.',
    },
    prune: { type: 'boolean', description: 'Delete live publishable and secret keys that the YAML does not list (a risky change).' },
    keys: {
      type: 'array',
      description: 'Desired publishable and secret keys: type, name (unique per type), description, secret_jwt_template (secret keys only).',
      items: { $body: 'CreateApiKeyBody' },
    },
  },
};

const risks: readonly RiskRule[] = [
  {
    id: `${SECTION}.legacy_enabled.enabled`,
    section: SECTION,
    description: 'turning the legacy API keys (the anon and service_role JWTs) back on',
    test: (c) =>
      field(c) === 'legacy_enabled' && c.before === false && c.after === true
        ? 'turns the legacy API keys back on: the anon and service_role JWTs (never rotatable, perhaps leaked) work again'
        : undefined,
  },
  {
    id: `${SECTION}.key.deleted`,
    section: SECTION,
    description: 'deleting an API key (whatever uses it stops working)',
    test: (c) => (c.action === 'delete' ? `deletes API key ${c.item ?? c.path}: whatever uses it stops working` : undefined),
  },
  {
    id: `${SECTION}.key.template_changed`,
    section: SECTION,
    description: "changing a secret key's `secret_jwt_template` (what the key may do changes)",
    test: (c) =>
      c.action === 'update' && c.path.endsWith('.secret_jwt_template') ? `changes the JWT template of ${c.item ?? c.path}: what the key may do changes` : undefined,
  },
];

const base = (ref: string) => `/v1/projects/${ref}/api-keys`;
const desiredKeys = (desired: DesiredSection): DesiredKey[] => (Array.isArray(desired.values.keys) ? (desired.values.keys as DesiredKey[]) : []);
const identity = (k: { type: string; name: string }) => `${k.type}:${k.name}`;

function check(desired: DesiredSection): CheckFinding[] {
  const findings: CheckFinding[] = [];
  const seen = new Map<string, number>();
  desiredKeys(desired).forEach((k, i) => {
    if (k.type === 'publishable' && k.secret_jwt_template !== undefined && k.secret_jwt_template !== null) {
      findings.push({ severity: 'error', path: ['keys', i, 'secret_jwt_template'], message: 'secret_jwt_template belongs to secret keys only' });
    }
    const template = k.secret_jwt_template;
    if (k.type === 'secret' && template && (typeof template.role !== 'string' || template.role === '')) {
      findings.push({ severity: 'error', path: ['keys', i, 'secret_jwt_template'], message: 'secret_jwt_template needs a role (e.g. {role: service_role})' });
    }
    if (typeof k.type !== 'string' || typeof k.name !== 'string') return;
    const other = seen.get(identity(k));
    if (other !== undefined) findings.push({ severity: 'error', path: ['keys', i, 'name'], message: `keys[${other}] is the ${k.type} key of the same name; a key is listed once` });
    else seen.set(identity(k), i);
  });
  return findings;
}

/** `secret:backend`; by position when the type or name came from a file. */
const labelOf = (k: DesiredKey, sensitive: Sensitivity<keyof DesiredKey>, byPosition: string): string =>
  sensitive('type') || sensitive('name') ? byPosition : identity(k);

function createBody(k: DesiredKey): Record<string, unknown> {
  const body: Record<string, unknown> = { type: k.type, name: k.name };
  if (k.description !== undefined && k.description !== null) body.description = k.description;
  if (k.type === 'secret' && k.secret_jwt_template !== undefined && k.secret_jwt_template !== null) body.secret_jwt_template = k.secret_jwt_template;
  return body;
}

/** The changed settings of a matched key; the desired side names the settings it manages. */
function changedSettings(k: DesiredKey, live: LiveKey, item: DesiredItem<keyof DesiredKey>): { changes: Change[]; patch: Record<string, unknown> } {
  const changes: Change[] = [];
  const patch: Record<string, unknown> = {};
  const settings: Array<['description' | 'secret_jwt_template', JsonValue]> = [];
  if (k.description !== undefined) settings.push(['description', k.description ?? null]);
  if (k.type === 'secret' && k.secret_jwt_template !== undefined) settings.push(['secret_jwt_template', (k.secret_jwt_template ?? null) as JsonValue]);
  for (const [name, want] of settings) {
    if (stable(want) === stable(live[name])) continue;
    changes.push(item.updated(name, live[name], want, live[name] !== null));
    patch[name] = want;
  }
  return { changes, patch };
}

/** A key as read: identity and settings only. Whatever else the answer holds (the key itself, its hash) is dropped here. */
function liveKey(k: Schemas['ApiKeyResponse']): LiveKey | undefined {
  if ((k.type !== 'publishable' && k.type !== 'secret') || typeof k.id !== 'string') return undefined;
  return {
    id: k.id,
    type: k.type,
    name: k.name,
    description: k.description ?? null,
    secret_jwt_template: k.type === 'secret' ? ((k.secret_jwt_template ?? null) as JsonValue) : null,
  };
}

/** A new project's keys: `default` publishable and secret keys (the secret one acting as service_role). */
function isNewProjectKeys(keys: readonly LiveKey[]): boolean {
  const sorted = [...keys].sort((a, b) => (a.type < b.type ? -1 : 1));
  return (
    sorted.length === 2 &&
    sorted.every((k, n) => k.type === KEY_TYPES[n] && k.name === 'default' && k.description === null) &&
    stable(sorted[1]!.secret_jwt_template) === stable({ role: 'service_role' })
  );
}

/** The publishable and secret keys, matched by type and name; without `keys`, none is managed. */
function diffKeys(ref: string, desired: DesiredSection, live: readonly LiveKey[]): CollectionDiff {
  if (!Array.isArray(desired.values.keys)) return { changes: [], notes: [], updates: [], creates: [], deletes: [] };
  const list = desiredKeys(desired);
  const byIdentity = new Map(live.map((k) => [identity(k), k]));
  const matches = new Map<number, LiveKey>();
  // (A key listed twice is refused by `check` before anything is read.)
  list.forEach((k, i) => {
    const match = byIdentity.get(identity(k));
    if (match) matches.set(i, match);
  });
  return diffCollection(desired, list, live, {
    key: 'keys',
    matches,
    label: labelOf,
    update: (k, l, item) => {
      const changed = changedSettings(k, l, item);
      return { changes: changed.changes, requests: changed.changes.length ? [{ method: 'PATCH', path: `${base(ref)}/${l.id}`, body: changed.patch }] : [] };
    },
    create: (k) => ({ after: { ...(createBody(k) as Record<string, JsonValue>) }, request: { method: 'POST', path: base(ref), body: createBody(k), idempotent: false } }),
    liveLabel: (k) => identity(k),
    remove: (k) => ({ before: { type: k.type, name: k.name }, request: { method: 'DELETE', path: `${base(ref)}/${k.id}` } }),
    untouched: (k) => `live ${k.type} key ${k.name} is not in the configuration; left untouched (set prune: true to delete it)`,
  });
}

export const apiKeysProvider: Provider<ApiKeysLive> = {
  section: SECTION,
  schema,
  risks,
  check,
  async read(client: ApiClient, ref: string): Promise<ApiKeysLive> {
    const [legacy, list] = await readAll<[Schemas['LegacyApiKeysResponse'], Schemas['ApiKeyResponse'][]]>([
      client.get<Schemas['LegacyApiKeysResponse']>(`${base(ref)}/legacy`),
      client.get<Schemas['ApiKeyResponse'][]>(base(ref)),
    ]);
    const keys = (Array.isArray(list) ? list : []).flatMap((k) => liveKey(k) ?? []);
    return { legacy_enabled: legacy?.enabled === true, keys };
  },
  diff({ ref, desired, live }: DiffInput<ApiKeysLive>): SectionDiff {
    const changes: Change[] = [];
    const legacy: ApiRequest[] = [];
    const wantLegacy = desired.values.legacy_enabled;
    if (typeof wantLegacy === 'boolean' && wantLegacy !== live.legacy_enabled) {
      const hidden = fromFileAtOrBelow(desired.fromFile, ['legacy_enabled']);
      changes.push({ path: 'legacy_enabled', action: 'update', before: live.legacy_enabled, after: wantLegacy, sensitive: hidden, ...(hidden ? { beforeSet: true } : {}) });
      legacy.push({ method: 'PUT', path: `${base(ref)}/legacy?enabled=${wantLegacy}` });
    }
    const keys = diffKeys(ref, desired, live.keys);
    // Keys first (turning the legacy keys off needs a publishable and a secret key), deletes last.
    return { changes: [...changes, ...keys.changes], notes: keys.notes, requests: [...keys.creates, ...keys.updates, ...legacy, ...keys.deletes] };
  },
  export(live, ctx) {
    if (!ctx.all && live.legacy_enabled && isNewProjectKeys(live.keys)) return undefined;
    const keys = live.keys.map((k) => {
      const out: Record<string, unknown> = { type: k.type, name: k.name };
      if (k.description !== null) out.description = k.description;
      if (k.type === 'secret' && k.secret_jwt_template !== null) out.secret_jwt_template = k.secret_jwt_template;
      return out;
    });
    return { values: { legacy_enabled: live.legacy_enabled, keys }, variables: [] };
  },
};
