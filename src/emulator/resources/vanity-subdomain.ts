/**
 * Vanity subdomain: GET / DELETE /v1/projects/{ref}/vanity-subdomain, POST .../check-availability and
 * .../activate (201, as recorded). GET answers `{status: "not-used"}` on a new project (as recorded),
 * `{status: "active", custom_domain: "<sub>.supabase.co"}` once activated (the recorded staging
 * `myapp.supabase.red` in its production form), and `{status: "custom-domain-used", custom_domain}`
 * while a custom hostname is active. DELETE answers 200 without a body (as recorded).
 *
 * Assumptions: a subdomain is 3-63 lower-case letters, digits and inner hyphens (400 otherwise); it is
 * unavailable when another project of the emulator uses it, when it is a project ref (refs are
 * subdomains of supabase.co already) or one of a few reserved names (RESERVED); a project's own
 * subdomain is available to it. Activating an unavailable one, or while a custom hostname is active,
 * answers 400; activating another one replaces the current one. Vanity subdomains need a paid plan
 * (entitlement `vanity_subdomain`): on free, check-availability and activate answer 403.
 */
import { hasFeature } from '../defaults/entitlements.js';
import { HttpError, badRequest } from '../http-error.js';
import type { HandlerContext, ProjectMeta, RouteDef } from '../types.js';
import { customHostnameSection, effectiveStatus } from './custom-hostname.js';
import { VANITY_SUBDOMAIN, vanitySubdomainSection } from './vanity-state.js';

const PATH = '/v1/projects/{ref}/vanity-subdomain';

export const RESERVED = new Set(['www', 'api', 'app', 'admin', 'dashboard', 'docs', 'status', 'supabase', 'studio', 'auth', 'db', 'mail']);

const domainOf = (subdomain: string) => `${subdomain}.supabase.co`;

function entitled(project: ProjectMeta): void {
  if (!hasFeature(project.plan, 'vanity_subdomain')) throw new HttpError(403, `Vanity subdomains are not available on the ${project.plan} plan`);
}

function requested(ctx: HandlerContext): string {
  const { vanity_subdomain } = ctx.body as { vanity_subdomain: string };
  if (!VANITY_SUBDOMAIN.test(vanity_subdomain)) {
    throw badRequest('vanity_subdomain must be 3-63 lower-case letters, digits and inner hyphens');
  }
  return vanity_subdomain;
}

function available(ctx: HandlerContext, subdomain: string): boolean {
  if (RESERVED.has(subdomain)) return false;
  for (const other of ctx.projects()) {
    if (other.ref === subdomain) return false;
    if (other.ref !== ctx.project.ref && ctx.peek(other, vanitySubdomainSection)?.subdomain === subdomain) return false;
  }
  return true;
}

function customDomainActive(ctx: HandlerContext): string | undefined {
  const config = ctx.section(customHostnameSection).config;
  return config && effectiveStatus(config, ctx.now, ctx.settings) === '5_services_reconfigured' ? config.hostname : undefined;
}

export const vanitySubdomainRoutes: RouteDef[] = [
  {
    method: 'GET',
    path: PATH,
    handle(ctx) {
      const custom = customDomainActive(ctx);
      if (custom !== undefined) return { status: 200, body: { status: 'custom-domain-used', custom_domain: custom } };
      const { subdomain } = ctx.section(vanitySubdomainSection);
      return { status: 200, body: subdomain === null ? { status: 'not-used' } : { status: 'active', custom_domain: domainOf(subdomain) } };
    },
  },
  {
    method: 'DELETE',
    path: PATH,
    handle(ctx) {
      ctx.setSection(vanitySubdomainSection, { subdomain: null });
      return { status: 200, mutated: true };
    },
  },
  {
    method: 'POST',
    path: `${PATH}/check-availability`,
    entitlement: entitled,
    handle: (ctx) => ({ status: 201, body: { available: available(ctx, requested(ctx)) } }),
  },
  {
    method: 'POST',
    path: `${PATH}/activate`,
    entitlement: entitled,
    handle(ctx) {
      const subdomain = requested(ctx);
      const custom = customDomainActive(ctx);
      if (custom !== undefined) throw badRequest(`Custom hostname ${custom} is active on this project; delete it before activating a vanity subdomain`);
      if (!available(ctx, subdomain)) throw badRequest(`Vanity subdomain ${subdomain} is not available`);
      ctx.setSection(vanitySubdomainSection, { subdomain });
      return { status: 201, body: { custom_domain: domainOf(subdomain) }, mutated: true };
    },
  },
];
