/**
 * Organisations: GET /v1/organizations, GET /v1/organizations/{slug} and its entitlements.
 * Organisations are named in the seed (`organizations: [{slug, name}]`) or implied by the projects
 * that name their slug. The list answers `{id, slug, name}` with `id` equal to the slug (as recorded:
 * both are the same sanitised value).
 *
 * Assumptions: an organisation's plan is the highest plan among its projects (the emulator keeps a
 * plan per project); `opt_in_tags` is empty and `allowed_release_channels` is `["ga"]`; an unknown
 * slug answers 404 "Organization not found", and a token limited to some projects gets 403 "Forbidden
 * resource" on every organisation but theirs (existing or not), as it does for projects.
 */
import { entitlementsFor, organizationPlan } from '../defaults/entitlements.js';
import { HttpError } from '../http-error.js';
import type { AccountContext, AccountRouteDef, OrganizationRecord } from '../types.js';

export const ORGANIZATION_NOT_FOUND = 'Organization not found';

function find(ctx: AccountContext): OrganizationRecord {
  const slug = ctx.params.slug ?? '';
  if (!ctx.mayAccessOrganization(slug)) throw new HttpError(403, 'Forbidden resource');
  const org = ctx.organizations.find((o) => o.slug === slug);
  if (!org) throw new HttpError(404, ORGANIZATION_NOT_FOUND);
  return org;
}

const planOf = (ctx: AccountContext, slug: string) => organizationPlan(ctx.projectsOf(slug).map((p) => p.plan));

export const organizationRoutes: AccountRouteDef[] = [
  {
    method: 'GET',
    path: '/v1/organizations',
    account: true,
    handle: (ctx) => ({ status: 200, body: ctx.organizations.map((o) => ({ id: o.slug, slug: o.slug, name: o.name })) }),
  },
  {
    method: 'GET',
    path: '/v1/organizations/{slug}',
    account: true,
    handle(ctx) {
      const org = find(ctx);
      return {
        status: 200,
        body: { id: org.slug, name: org.name, plan: planOf(ctx, org.slug), opt_in_tags: [], allowed_release_channels: ['ga'] },
      };
    },
  },
  {
    method: 'GET',
    path: '/v1/organizations/{slug}/entitlements',
    account: true,
    handle(ctx) {
      const org = find(ctx);
      return { status: 200, body: { entitlements: entitlementsFor(planOf(ctx, org.slug)) } };
    },
  },
];
