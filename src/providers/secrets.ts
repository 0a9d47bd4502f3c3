/**
 * secrets — Edge Function secrets: GET / POST (bulk upsert) / DELETE /v1/projects/{ref}/secrets.
 * The GET returns SHA-256 digests, so desired values are compared by digest and never shown.
 * New and changed secrets go in one POST; live secrets absent from the YAML are reported, and
 * deleted (one DELETE) only with `prune: true` — a risky change.
 */
import type { ApiClient, Schemas } from '../api/types.js';
import type { Change } from '../reconcile/types.js';
import { reference, sha256Hex } from './normalise.js';
import type { RiskRule } from './risk.js';
import type { DiffInput, Provider, SectionDiff, SectionSchema } from './types.js';

/** name → SHA-256 hex digest of the value. */
type SecretsLive = Map<string, string>;

const schema: SectionSchema = {
  description:
    'Edge Function secrets: `values` maps a secret name to its value (use ${VAR} or ${file:...}, never a literal). ' +
    'Names starting with SUPABASE_ are reserved.',
  secretFields: ['values'],
  extra: {
    prune: { type: 'boolean', description: 'Delete live secrets that `values` does not list (a risky change).' },
    values: {
      type: 'object',
      propertyNames: { pattern: '^(?!SUPABASE_)[A-Za-z_][A-Za-z0-9_]*$', maxLength: 256 },
      additionalProperties: { type: 'string', maxLength: 24576 },
      description: 'Secret name → value. Names starting with SUPABASE_ are rejected.',
    },
  },
};

const risks: readonly RiskRule[] = [
  {
    id: 'secrets.deleted',
    section: 'secrets',
    description: 'deleting an Edge Function secret (functions that read it break)',
    test: (c) => (c.action === 'delete' ? `deletes secret ${c.path}: functions that read it break` : undefined),
  },
];

const path = (ref: string) => `/v1/projects/${ref}/secrets`;

export const secretsProvider: Provider<SecretsLive> = {
  section: 'secrets',
  schema,
  risks,
  async read(client: ApiClient, ref: string): Promise<SecretsLive> {
    const list = await client.get<Schemas['SecretResponse'][]>(path(ref));
    return new Map(list.map((s) => [s.name, s.value]));
  },
  diff({ ref, desired, live }: DiffInput<SecretsLive>): SectionDiff {
    const values = desired.values.values;
    if (!values || typeof values !== 'object') return { changes: [], requests: [] };
    const wanted = values as Record<string, string>;
    const changes: Change[] = [];
    const upserts: { name: string; value: string }[] = [];
    for (const name of Object.keys(wanted).sort()) {
      const digest = live.get(name);
      if (digest === sha256Hex(wanted[name]!)) continue;
      const action = digest === undefined ? 'create' : 'update';
      changes.push({ path: name, item: name, action, sensitive: true, beforeSet: digest !== undefined });
      upserts.push({ name, value: wanted[name]! });
    }
    const extra = [...live.keys()].filter((name) => !Object.hasOwn(wanted, name)).sort();
    const notes: string[] = [];
    const prune = desired.values.prune === true;
    if (prune) for (const name of extra) changes.push({ path: name, item: name, action: 'delete', sensitive: false });
    else if (extra.length) notes.push(`${extra.length} live secret(s) not in the configuration, left untouched: ${extra.join(', ')} (set prune: true to delete)`);
    const requests: SectionDiff['requests'] = [];
    // A bulk upsert: sending it again sets the same values, so it is safe to retry.
    if (upserts.length) requests.push({ method: 'POST', path: path(ref), body: upserts, idempotent: true });
    if (prune && extra.length) requests.push({ method: 'DELETE', path: path(ref), body: extra });
    return { changes, notes, requests };
  },
  // A deletion comes from `prune: true`; a new or changed secret from its entry under `values`.
  desiredPath: (change) => (change.action === 'delete' ? ['prune'] : ['values', change.item ?? change.path]),
  // Each secret is read from the environment variable of its own name.
  export(live, ctx) {
    if (!live.size && !ctx.all) return undefined;
    const names = [...live.keys()].sort();
    return {
      values: { values: Object.fromEntries(names.map((name) => [name, reference(name)])) },
      variables: names.map((name) => ({ name, field: `secrets.values.${name}` })),
    };
  },
};
