/**
 * Pooler (Supavisor): GET /v1/projects/{ref}/config/database/pooler answers an array of
 * SupavisorConfigResponse — one PRIMARY entry, as recorded; PATCH changes that entry's
 * `default_pool_size` / `pool_mode` and answers UpdateSupavisorConfigResponse.
 * Assumptions: the pooler host is the production form of the recorded staging host
 * (`aws-0-<region>.pooler.supabase.com`), and the port stays 6543 whatever the pool mode.
 */
import { validateBody } from '../validate.js';
import type { ProjectMeta, RouteDef, Section } from '../types.js';

const PATH = '/v1/projects/{ref}/config/database/pooler';

export interface PoolerState {
  default_pool_size: number | null;
  pool_mode: 'transaction' | 'session';
  max_client_conn: number | null;
}

interface PoolerPatch {
  default_pool_size?: number | null;
  pool_mode?: 'transaction' | 'session';
}

function apply(state: PoolerState, patch: PoolerPatch): PoolerState {
  if (patch.default_pool_size !== undefined) state.default_pool_size = patch.default_pool_size;
  if (patch.pool_mode !== undefined) state.pool_mode = patch.pool_mode;
  return state;
}

function entry(project: ProjectMeta, state: PoolerState): Record<string, unknown> {
  const host = `aws-0-${project.region}.pooler.supabase.com`;
  const user = `postgres.${project.ref}`;
  const connection = `postgresql://${user}:[YOUR-PASSWORD]@${host}:6543/postgres`;
  // Key order as recorded.
  return {
    identifier: project.ref,
    database_type: 'PRIMARY',
    db_user: user,
    db_host: host,
    db_port: 6543,
    db_name: 'postgres',
    connection_string: connection,
    pool_mode: state.pool_mode,
    default_pool_size: state.default_pool_size,
    max_client_conn: state.max_client_conn,
    is_using_scram_auth: true,
    connectionString: connection,
  };
}

export const poolerSection: Section<PoolerState> = {
  name: 'pooler',
  initial: () => ({ default_pool_size: null, pool_mode: 'transaction', max_client_conn: null }),
  seed: (state, value) => apply(state, validateBody<PoolerPatch>('PATCH', PATH, value)),
};

export const poolerRoutes: RouteDef[] = [
  {
    method: 'GET',
    path: PATH,
    handle: (ctx) => ({ status: 200, body: [entry(ctx.project, ctx.section(poolerSection))] }),
  },
  {
    method: 'PATCH',
    path: PATH,
    handle(ctx) {
      const state = apply(ctx.section(poolerSection), ctx.body as PoolerPatch);
      return {
        status: 200,
        body: { default_pool_size: state.default_pool_size, pool_mode: state.pool_mode },
        mutated: true,
      };
    },
  },
];
