/**
 * pooler (Supavisor) — GET returns an array of pooler entries; the PRIMARY one is compared.
 * PATCH /v1/projects/{ref}/config/database/pooler with the changed keys only.
 */
import type { ApiClient, Schemas } from '../api/types.js';
import { UnsupportedError } from '../errors.js';
import { diffFlat, exportFlat, flatRules } from './normalise.js';
import type { DiffInput, Provider, SectionDiff, SectionSchema } from './types.js';

type PoolerLive = Record<string, unknown>;

const schema: SectionSchema = {
  description: 'Supavisor connection pooler of the primary database: fields of UpdateSupavisorConfigBody.',
  body: { $body: 'UpdateSupavisorConfigBody' },
};

const rules = flatRules(schema);

/** The pooler of a new project (as recorded). */
const NEW_PROJECT = { default_pool_size: null, pool_mode: 'transaction' };

const path = (ref: string) => `/v1/projects/${ref}/config/database/pooler`;

export const poolerProvider: Provider<PoolerLive> = {
  section: 'pooler',
  schema,
  async read(client: ApiClient, ref: string): Promise<PoolerLive> {
    const entries = await client.get<Schemas['SupavisorConfigResponse'][]>(path(ref));
    const primary = Array.isArray(entries) ? entries.find((e) => e.database_type === 'PRIMARY') : undefined;
    if (!primary) throw new UnsupportedError(`project ${ref} has no PRIMARY pooler entry`);
    return { default_pool_size: primary.default_pool_size, pool_mode: primary.pool_mode };
  },
  diff({ ref, desired, live }: DiffInput<PoolerLive>): SectionDiff {
    const { changes, patch } = diffFlat(desired.values, live, rules, ref, desired.fromFile);
    return { changes, requests: changes.length ? [{ method: 'PATCH', path: path(ref), body: patch }] : [] };
  },
  export: (live, ctx) => exportFlat('pooler', live, NEW_PROJECT, rules, ctx),
};
