/**
 * postgrest — GET / PATCH /v1/projects/{ref}/postgrest: exposed schemas, extra search path, row
 * limit, pool size. Schema lists are comma strings whose order matters. `jwt_secret` is never read
 * into the plan, compared or written.
 */
import type { ApiClient, Schemas } from '../api/types.js';
import { diffFlat, exportFlat, flatRules } from './normalise.js';
import type { DiffInput, Provider, SectionDiff, SectionSchema } from './types.js';

type PostgrestLive = Record<string, unknown>;

const schema: SectionSchema = {
  description:
    'PostgREST (Data API): fields of V1UpdatePostgrestConfigBody. db_schema and db_extra_search_path may be YAML lists; their order matters.',
  body: { $body: 'V1UpdatePostgrestConfigBody' },
  orderedLists: ['db_schema', 'db_extra_search_path'],
};

const rules = flatRules(schema);

/** PostgREST settings of a new project (as recorded). */
const NEW_PROJECT = { db_schema: 'public,graphql_public', db_extra_search_path: 'public, extensions', max_rows: 1000, db_pool: null };

const path = (ref: string) => `/v1/projects/${ref}/postgrest`;

export const postgrestProvider: Provider<PostgrestLive> = {
  section: 'postgrest',
  schema,
  async read(client: ApiClient, ref: string): Promise<PostgrestLive> {
    // The response carries jwt_secret; drop it at once so it can reach no plan, log or diff.
    const { db_schema, db_extra_search_path, max_rows, db_pool } = await client.get<Schemas['V1PostgrestConfigResponse']>(path(ref));
    return { db_schema, db_extra_search_path, max_rows, db_pool };
  },
  diff({ ref, desired, live }: DiffInput<PostgrestLive>): SectionDiff {
    const { changes, patch } = diffFlat(desired.values, live, rules, ref, desired.fromFile);
    return { changes, requests: changes.length ? [{ method: 'PATCH', path: path(ref), body: patch }] : [] };
  },
  export: (live, ctx) => exportFlat('postgrest', live, NEW_PROJECT, rules, ctx),
};
