/**
 * Network restrictions: GET /network-restrictions, PATCH /network-restrictions (add / remove),
 * POST /network-restrictions/apply (201, replaces both lists).
 *
 * What the recordings show, and the emulator reproduces:
 * - a new project allows everyone: `0.0.0.0/0` and `::/0`, status `applied`, no timestamps;
 * - POST /apply answers `{config, entitlement, status: "applied"}`: the recorded apply answered
 *   `applied` at once, with no `old_config`, and a later read showed `applied_at` but no
 *   `updated_at`;
 * - PATCH answers the odd V2 shape — both families in one `config.dbAllowedCidrs` list of
 *   `{address, type: "v4" | "v6"}` — with `status: "stored"`, the previous config as `old_config`,
 *   and `updated_at`.
 * Rules the emulator had to choose (assumptions):
 * - A PATCHed change reads as `applied` (with `applied_at`, and without `old_config`) once
 *   `networkRestrictionsApplyMs` has passed since the write; the default 0 means "from the next
 *   read on". With a positive delay POST /apply, too, stores the change as pending (`stored`,
 *   `old_config`, `updated_at`) until then; with 0 it applies at once, as recorded.
 * - A list that POST /apply leaves out is replaced by an empty list (the endpoint replaces both).
 * - Entries must be CIDRs of their list's family, with a prefix length (400 otherwise).
 * - Projects on the free plan read `entitlement: "disallowed"`; their writes are refused with 403
 *   (the spec's "Forbidden action"; the exact message is a guess).
 */
import ipaddr from 'ipaddr.js';
import { HttpError, badRequest } from '../http-error.js';
import { validateBody } from '../validate.js';
import type { HandlerContext, ProjectMeta, RouteDef, Section, SectionContext } from '../types.js';

const PATH = '/v1/projects/{ref}/network-restrictions';
const APPLY_PATH = '/v1/projects/{ref}/network-restrictions/apply';

interface CidrLists {
  dbAllowedCidrs: string[];
  dbAllowedCidrsV6: string[];
}

export interface NetworkState {
  config: CidrLists;
  status: 'stored' | 'applied';
  old_config?: CidrLists;
  updated_at?: string;
  applied_at?: string;
  /** When the pending change was stored (ms since epoch); internal, never answered. */
  stored_at_ms?: number;
}

interface PatchBody {
  add?: Partial<CidrLists>;
  remove?: Partial<CidrLists>;
}

const FAMILIES = [
  { field: 'dbAllowedCidrs', kind: 'ipv4', label: 'IPv4', type: 'v4' },
  { field: 'dbAllowedCidrsV6', kind: 'ipv6', label: 'IPv6', type: 'v6' },
] as const;

export const NETWORK_NOT_ENTITLED_MESSAGE = 'Network restrictions are not available on the free plan';

const entitled = (project: ProjectMeta): boolean => project.plan !== 'free';

function refuseUnlessEntitled(project: ProjectMeta): void {
  if (!entitled(project)) throw new HttpError(403, NETWORK_NOT_ENTITLED_MESSAGE);
}

function checkCidrs(lists: Partial<CidrLists> | undefined, at: string): void {
  if (!lists) return;
  for (const { field, kind, label } of FAMILIES) {
    (lists[field] ?? []).forEach((cidr, i) => {
      let ok = false;
      try {
        ok = cidr.includes('/') && ipaddr.parseCIDR(cidr)[0].kind() === kind;
      } catch {
        ok = false;
      }
      if (!ok) throw badRequest(`${at}${field}.${i}: "${cidr}" is not a valid ${label} CIDR`);
    });
  }
}

function sameList(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  const sortedB = [...b].sort();
  return [...a].sort().every((v, i) => v === sortedB[i]);
}

const sameConfig = (a: CidrLists, b: CidrLists): boolean =>
  sameList(a.dbAllowedCidrs, b.dbAllowedCidrs) && sameList(a.dbAllowedCidrsV6, b.dbAllowedCidrsV6);

const copy = (c: CidrLists): CidrLists => ({ dbAllowedCidrs: [...c.dbAllowedCidrs], dbAllowedCidrsV6: [...c.dbAllowedCidrsV6] });

/** A pending change becomes applied once the configured delay has passed. */
function settle(state: NetworkState, ctx: SectionContext): NetworkState {
  if (state.status === 'stored' && state.stored_at_ms !== undefined) {
    const appliedAt = state.stored_at_ms + ctx.settings.networkRestrictionsApplyMs;
    if (ctx.now.getTime() >= appliedAt) {
      state.status = 'applied';
      state.applied_at = new Date(appliedAt).toISOString();
      delete state.old_config;
      delete state.stored_at_ms;
    }
  }
  return state;
}

/**
 * Stores a new config: applied at once when `immediately`, else pending with the last applied config
 * as `old_config`.
 */
function store(state: NetworkState, next: CidrLists, ctx: SectionContext, immediately: boolean): void {
  settle(state, ctx);
  if (sameConfig(state.config, next)) return;
  if (immediately) {
    state.config = copy(next);
    state.status = 'applied';
    state.applied_at = ctx.now.toISOString();
    delete state.old_config;
    delete state.stored_at_ms;
    return;
  }
  state.old_config = state.status === 'applied' ? copy(state.config) : (state.old_config ?? copy(state.config));
  state.config = copy(next);
  state.status = 'stored';
  state.updated_at = ctx.now.toISOString();
  state.stored_at_ms = ctx.now.getTime();
}

function answer(state: NetworkState, project: ProjectMeta): Record<string, unknown> {
  const body: Record<string, unknown> = {
    entitlement: entitled(project) ? 'allowed' : 'disallowed',
    config: copy(state.config),
  };
  if (state.old_config) body.old_config = copy(state.old_config);
  body.status = state.status;
  if (state.updated_at) body.updated_at = state.updated_at;
  if (state.applied_at) body.applied_at = state.applied_at;
  return body;
}

const v2List = (c: CidrLists) => ({
  dbAllowedCidrs: FAMILIES.flatMap(({ field, type }) => c[field].map((address) => ({ address, type }))),
});

function applyBody(state: NetworkState, body: Partial<CidrLists>, ctx: SectionContext): void {
  checkCidrs(body, '');
  const next = { dbAllowedCidrs: body.dbAllowedCidrs ?? [], dbAllowedCidrsV6: body.dbAllowedCidrsV6 ?? [] };
  store(state, next, ctx, ctx.settings.networkRestrictionsApplyMs === 0);
}

export const networkRestrictionsSection: Section<NetworkState> = {
  name: 'network_restrictions',
  initial: () => ({ config: { dbAllowedCidrs: ['0.0.0.0/0'], dbAllowedCidrsV6: ['::/0'] }, status: 'applied' }),
  // The seed gives the lists (as for POST /apply); they are in force from the start.
  seed(state, value) {
    const body = validateBody<Partial<CidrLists>>('POST', APPLY_PATH, value);
    checkCidrs(body, '');
    state.config = { dbAllowedCidrs: body.dbAllowedCidrs ?? [], dbAllowedCidrsV6: body.dbAllowedCidrsV6 ?? [] };
    return state;
  },
};

function patch(ctx: HandlerContext): Record<string, unknown> {
  const body = ctx.body as PatchBody;
  checkCidrs(body.add, 'add.');
  checkCidrs(body.remove, 'remove.');
  const state = settle(ctx.section(networkRestrictionsSection), ctx);
  const next = copy(state.config);
  for (const { field } of FAMILIES) {
    const removed = new Set(body.remove?.[field] ?? []);
    const kept = next[field].filter((c) => !removed.has(c));
    for (const c of body.add?.[field] ?? []) if (!kept.includes(c)) kept.push(c);
    next[field] = kept;
  }
  store(state, next, ctx, false);
  // Key order as recorded.
  const out: Record<string, unknown> = { config: v2List(state.config), status: state.status };
  if (state.old_config) out.old_config = v2List(state.old_config);
  if (state.updated_at) out.updated_at = state.updated_at;
  if (state.applied_at) out.applied_at = state.applied_at;
  out.entitlement = 'allowed';
  return out;
}

export const networkRestrictionsRoutes: RouteDef[] = [
  {
    method: 'GET',
    path: PATH,
    handle: (ctx) => ({ status: 200, body: answer(settle(ctx.section(networkRestrictionsSection), ctx), ctx.project) }),
  },
  {
    method: 'PATCH',
    path: PATH,
    entitlement: refuseUnlessEntitled,
    handle: (ctx) => ({ status: 200, body: patch(ctx), mutated: true }),
  },
  {
    method: 'POST',
    path: APPLY_PATH,
    entitlement: refuseUnlessEntitled,
    handle(ctx) {
      const state = ctx.section(networkRestrictionsSection);
      applyBody(state, ctx.body as Partial<CidrLists>, ctx);
      // As recorded: config, entitlement, status (plus old_config / timestamps while pending).
      const { entitlement, config, ...rest } = answer(state, ctx.project);
      const out: Record<string, unknown> = { config, entitlement, status: state.status };
      if (state.status === 'stored') Object.assign(out, rest);
      return { status: 201, body: out, mutated: true };
    },
  },
];
