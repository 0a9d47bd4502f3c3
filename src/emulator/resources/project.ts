/**
 * The project itself and its billing: GET /v1/projects, GET /v1/projects/{ref},
 * GET /v1/projects/{ref}/billing/addons — read-only, shaped as recorded.
 * Assumptions: the database host is the production form of the recorded staging host
 * (`db.<ref>.supabase.co`); every project is ACTIVE_HEALTHY on Postgres 17; the addons answer is the
 * recorded one whatever the plan.
 */
import { BILLING_ADDONS } from '../../recorded/billing-addons.js';
import type { AccountRouteDef, ProjectMeta, RouteDef } from '../types.js';

export function projectBody(p: ProjectMeta): Record<string, unknown> {
  return {
    id: p.ref,
    ref: p.ref,
    organization_id: p.organization_slug,
    organization_slug: p.organization_slug,
    name: p.name,
    region: p.region,
    status: 'ACTIVE_HEALTHY',
    database: {
      host: `db.${p.ref}.supabase.co`,
      version: '17.6.1.111',
      postgres_engine: '17',
      release_channel: 'ga',
    },
    created_at: p.created_at,
  };
}

export const projectRoutes: RouteDef[] = [
  { method: 'GET', path: '/v1/projects/{ref}', handle: (ctx) => ({ status: 200, body: projectBody(ctx.project) }) },
  { method: 'GET', path: '/v1/projects/{ref}/billing/addons', handle: () => ({ status: 200, body: BILLING_ADDONS }) },
];

export const accountRoutes: AccountRouteDef[] = [
  {
    method: 'GET',
    path: '/v1/projects',
    account: true,
    handle: (ctx) => ({ status: 200, body: ctx.projects.map(projectBody) }),
  },
];
