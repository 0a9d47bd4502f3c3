/**
 * Custom hostname: GET / DELETE /v1/projects/{ref}/custom-hostname, POST .../initialize, .../reverify,
 * .../activate — a state machine over the spec's status enum, whose DNS outcome the test control
 * surface drives (`POST /_emulator/projects/{ref}/custom-hostname/dns {"verified": true}`), since the
 * emulator can resolve nothing:
 *
 *   (none: 1_not_started) --initialize--> 2_initiated --reverify, DNS verified--> 3_challenge_verified
 *     --origin setup (settings.customHostnameOriginSetupMs, 0: from the next read)--> 4_origin_setup_completed
 *     --activate--> 5_services_reconfigured;   DELETE from any state --> none
 *
 * Shapes: the active answer is the recorded one (GET_..._custom_hostname/default), with the staging
 * origin `<ref>.supabase.red` in its production form `<ref>.supabase.co`. Before verification the
 * answer carries what DNS must hold, Cloudflare-style as the official CLI reads it: one ownership TXT
 * record (`_cf-custom-hostname.<host>`) and exactly one SSL validation TXT record
 * (`_acme-challenge.<host>`) — the CLI refuses an initiated answer with any other number.
 *
 * Assumptions (the recordings of the writes were made against a removed project and show only its
 * 400 "Resource has been removed"):
 * - without a configuration GET answers 200 `1_not_started` with empty fields (the CLI reads a 200 and
 *   prints "not started"); reverify and activate answer 400 "No custom hostname is configured", DELETE
 *   answers 200 all the same;
 * - custom domains need a paid plan (entitlement `custom_domain`): on free the writes answer 403;
 * - the hostname must be a valid DNS name of at least two labels outside Supabase's own domains (400);
 *   initialize restarts the setup with the new name unless a hostname is active (400: delete it first),
 *   and is refused while a vanity subdomain is active (400), as a project uses one or the other;
 * - reverify before DNS is verified answers the initiated state again (201); activate before origin
 *   setup completed answers 400 naming the status; activating an active hostname is a no-op (201);
 * - `remove_addon` on DELETE is accepted; add-on billing is not emulated.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { hasFeature } from '../defaults/entitlements.js';
import { HttpError, badRequest } from '../http-error.js';
import { validateBody } from '../validate.js';
import { vanitySubdomainSection } from './vanity-state.js';
import type { EmulatorSettings, HandlerContext, ProjectMeta, RouteDef, Section } from '../types.js';

const PATH = '/v1/projects/{ref}/custom-hostname';

export const HOSTNAME_STATUSES = ['2_initiated', '3_challenge_verified', '4_origin_setup_completed', '5_services_reconfigured'] as const;
export type HostnameStatus = (typeof HOSTNAME_STATUSES)[number];

export interface CustomHostnameConfig {
  id: string;
  hostname: string;
  status: HostnameStatus;
  /** Whether the DNS records asked for are in place (set through the control surface or the seed). */
  dns_verified: boolean;
  ownership_value: string;
  ssl_txt_value: string;
  /** When reverify found the DNS verified (origin setup completes settings.customHostnameOriginSetupMs later). */
  verified_at: string | null;
}

export interface CustomHostnameState {
  config: CustomHostnameConfig | null;
}

const SUPABASE_DOMAINS = /(^|\.)(supabase\.(co|in|com|red|green)|supabase-api\.com)$/;
const HOSTNAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;

/** The status as of now: a verified challenge becomes a completed origin setup once its delay passed. */
export function effectiveStatus(config: CustomHostnameConfig, now: Date, settings: EmulatorSettings): HostnameStatus {
  if (config.status === '3_challenge_verified' && config.verified_at !== null) {
    if (now.getTime() - Date.parse(config.verified_at) >= settings.customHostnameOriginSetupMs) return '4_origin_setup_completed';
  }
  return config.status;
}

/** The answer of every operation: UpdateCustomHostnameResponse. */
export function hostnameBody(
  project: ProjectMeta,
  config: CustomHostnameConfig | null,
  now: Date,
  settings: EmulatorSettings,
  /** The status as just written (the answer of the write that verified: origin setup comes after it). */
  written?: HostnameStatus,
): Record<string, unknown> {
  if (!config) {
    return {
      status: '1_not_started',
      custom_hostname: '',
      data: {
        success: true,
        errors: [],
        messages: [],
        result: {
          id: '',
          hostname: '',
          ssl: { status: '', validation_records: [] },
          ownership_verification: { type: '', name: '', value: '' },
          custom_origin_server: '',
          status: '',
        },
      },
    };
  }
  const status = written ?? effectiveStatus(config, now, settings);
  const pending = status === '2_initiated';
  const result = {
    custom_origin_server: `${project.ref}.supabase.co`,
    hostname: config.hostname,
    id: config.id,
    ownership_verification: pending
      ? { name: `_cf-custom-hostname.${config.hostname}`, type: 'txt', value: config.ownership_value }
      : { name: '', type: '', value: '' },
    // Until the certificate is deployed the SSL validation record stays listed (the official CLI reads a
    // 3_challenge_verified answer like an initiated one and wants exactly one record there too).
    ssl: {
      status: pending ? 'pending_validation' : status === '3_challenge_verified' ? 'pending_deployment' : 'active',
      validation_records:
        pending || status === '3_challenge_verified' ? [{ txt_name: `_acme-challenge.${config.hostname}`, txt_value: config.ssl_txt_value }] : [],
    },
    status: pending ? 'pending' : 'active',
  };
  return { custom_hostname: config.hostname, data: { errors: [], messages: [], result, success: true }, status };
}

function entitled(project: ProjectMeta): void {
  if (!hasFeature(project.plan, 'custom_domain')) throw new HttpError(403, `Custom domains are not available on the ${project.plan} plan`);
}

export function newConfig(hostname: string): CustomHostnameConfig {
  return {
    id: randomUUID(),
    hostname,
    status: '2_initiated',
    dns_verified: false,
    ownership_value: randomUUID(),
    ssl_txt_value: randomBytes(32).toString('base64url').slice(0, 43),
    verified_at: null,
  };
}

export function checkHostname(raw: string): string {
  const hostname = raw.trim().toLowerCase().replace(/\.$/, '');
  if (!HOSTNAME.test(hostname)) throw badRequest(`custom_hostname: "${raw}" is not a valid hostname (e.g. api.example.com)`);
  if (SUPABASE_DOMAINS.test(hostname)) throw badRequest(`custom_hostname: ${hostname} is a Supabase domain; use a vanity subdomain instead`);
  return hostname;
}


function configured(ctx: HandlerContext): CustomHostnameConfig {
  const config = ctx.section(customHostnameSection).config;
  if (!config) throw badRequest('No custom hostname is configured for this project');
  return config;
}

const answer = (ctx: HandlerContext, status: number, mutated = false, written?: HostnameStatus) => ({
  status,
  body: hostnameBody(ctx.project, ctx.section(customHostnameSection).config, ctx.now, ctx.settings, written),
  mutated,
});

export const customHostnameSection: Section<CustomHostnameState> = {
  name: 'custom_hostname',
  initial: () => ({ config: null }),
  // Seed: `{hostname, status?, dns_verified?}` — status one of HOSTNAME_STATUSES (default 2_initiated).
  seed(_state, value, ctx) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw badRequest('custom_hostname must be {hostname, status?, dns_verified?}');
    const { hostname, status, dns_verified, ...rest } = value as Record<string, unknown>;
    const extra = Object.keys(rest)[0];
    if (extra !== undefined) throw badRequest(`unknown key ${extra} (expected hostname, status, dns_verified)`);
    entitled(ctx.project);
    if (typeof hostname !== 'string') throw badRequest('hostname must be a string');
    if (status !== undefined && !HOSTNAME_STATUSES.includes(status as HostnameStatus)) throw badRequest(`status must be one of ${HOSTNAME_STATUSES.join(', ')}`);
    if (dns_verified !== undefined && typeof dns_verified !== 'boolean') throw badRequest('dns_verified must be a boolean');
    const config = newConfig(checkHostname(hostname));
    config.status = (status as HostnameStatus | undefined) ?? '2_initiated';
    // Past the challenge, DNS was verified by definition.
    config.dns_verified = config.status !== '2_initiated' || dns_verified === true;
    if (config.status === '3_challenge_verified') config.verified_at = ctx.now.toISOString();
    return { config };
  },
};

export const customHostnameRoutes: RouteDef[] = [
  { method: 'GET', path: PATH, handle: (ctx) => answer(ctx, 200) },
  {
    method: 'DELETE',
    path: PATH,
    handle(ctx) {
      ctx.setSection(customHostnameSection, { config: null });
      return { status: 200, mutated: true };
    },
  },
  {
    method: 'POST',
    path: `${PATH}/initialize`,
    entitlement: entitled,
    handle(ctx) {
      const { custom_hostname } = validateBody<{ custom_hostname: string }>('POST', `${PATH}/initialize`, ctx.body);
      const hostname = checkHostname(custom_hostname);
      const state = ctx.section(customHostnameSection);
      if (state.config && effectiveStatus(state.config, ctx.now, ctx.settings) === '5_services_reconfigured') {
        throw badRequest(`Custom hostname ${state.config.hostname} is active; delete it before setting up another one`);
      }
      if (ctx.section(vanitySubdomainSection).subdomain !== null) throw badRequest('A vanity subdomain is active on this project; deactivate it before setting up a custom hostname');
      state.config = newConfig(hostname);
      return answer(ctx, 201, true);
    },
  },
  {
    method: 'POST',
    path: `${PATH}/reverify`,
    entitlement: entitled,
    handle(ctx) {
      const config = configured(ctx);
      if (config.status === '2_initiated' && config.dns_verified) {
        config.status = '3_challenge_verified';
        config.verified_at = ctx.now.toISOString();
        return answer(ctx, 201, true, '3_challenge_verified');
      }
      return answer(ctx, 201);
    },
  },
  {
    method: 'POST',
    path: `${PATH}/activate`,
    entitlement: entitled,
    handle(ctx) {
      const config = configured(ctx);
      const status = effectiveStatus(config, ctx.now, ctx.settings);
      if (status === '5_services_reconfigured') return answer(ctx, 201);
      if (status !== '4_origin_setup_completed') {
        throw badRequest(`Custom hostname ${config.hostname} is not ready for activation (status ${status}); verify its DNS records and reverify first`);
      }
      config.status = '5_services_reconfigured';
      return answer(ctx, 201, true);
    },
  },
];
