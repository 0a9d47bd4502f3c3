/**
 * Realtime config: GET / PATCH /v1/projects/{ref}/config/realtime, POST .../config/realtime/shutdown.
 * PATCH merges every field of UpdateRealtimeConfigBody given (the spec forbids others) and answers
 * 204 with no body; shutdown answers 204 (the emulator holds no connections to end).
 *
 * Assumptions (no recording of these endpoints exists):
 * - a new project's limits are its plan's Realtime entitlements (defaults/entitlements.ts, from the
 *   pricing page); the flags are Realtime's own column defaults (`private_only` false, `suspend` false,
 *   `presence_enabled` false — Realtime's `tenants` table default); `connection_pool` is null (not set:
 *   Realtime's own default applies), as the response schema allows;
 * - a limit above the plan's entitlement answers 403 ("Forbidden action") naming the field, and
 *   changes nothing;
 * - shutdown of a suspended project answers 404 "Tenant not found" (the spec's 404), since a suspended
 *   tenant is not running.
 */
import { numericLimit } from '../defaults/entitlements.js';
import { HttpError } from '../http-error.js';
import { validateBody } from '../validate.js';
import type { ProjectMeta, RouteDef, Section } from '../types.js';

const PATH = '/v1/projects/{ref}/config/realtime';

export interface RealtimeState {
  private_only: boolean | null;
  connection_pool: number | null;
  max_concurrent_users: number | null;
  max_events_per_second: number | null;
  max_bytes_per_second: number | null;
  max_channels_per_client: number | null;
  max_joins_per_second: number | null;
  max_presence_events_per_second: number | null;
  max_payload_size_in_kb: number | null;
  suspend: boolean | null;
  presence_enabled: boolean;
}

/** Fields limited by an entitlement of the same name under `realtime.`. */
const LIMITED = [
  'max_concurrent_users',
  'max_events_per_second',
  'max_bytes_per_second',
  'max_channels_per_client',
  'max_joins_per_second',
  'max_presence_events_per_second',
  'max_payload_size_in_kb',
] as const;

function initial(project: ProjectMeta): RealtimeState {
  const limit = (field: (typeof LIMITED)[number]) => numericLimit(project.plan, `realtime.${field}`) ?? null;
  return {
    private_only: false,
    connection_pool: null,
    max_concurrent_users: limit('max_concurrent_users'),
    max_events_per_second: limit('max_events_per_second'),
    max_bytes_per_second: limit('max_bytes_per_second'),
    max_channels_per_client: limit('max_channels_per_client'),
    max_joins_per_second: limit('max_joins_per_second'),
    max_presence_events_per_second: limit('max_presence_events_per_second'),
    max_payload_size_in_kb: limit('max_payload_size_in_kb'),
    suspend: false,
    presence_enabled: false,
  };
}

function apply(state: RealtimeState, patch: Partial<RealtimeState>, project: ProjectMeta): RealtimeState {
  for (const field of LIMITED) {
    const value = patch[field];
    const max = numericLimit(project.plan, `realtime.${field}`);
    if (typeof value === 'number' && max !== undefined && value > max) {
      throw new HttpError(403, `${field} cannot exceed ${max} on the ${project.plan} plan`);
    }
  }
  for (const [key, value] of Object.entries(patch)) (state as unknown as Record<string, unknown>)[key] = value;
  return state;
}

export const realtimeSection: Section<RealtimeState> = {
  name: 'realtime',
  initial: (ctx) => initial(ctx.project),
  seed: (state, value, ctx) => apply(state, validateBody('PATCH', PATH, value), ctx.project),
};

export const realtimeRoutes: RouteDef[] = [
  { method: 'GET', path: PATH, handle: (ctx) => ({ status: 200, body: ctx.section(realtimeSection) }) },
  {
    method: 'PATCH',
    path: PATH,
    handle(ctx) {
      apply(ctx.section(realtimeSection), ctx.body as Partial<RealtimeState>, ctx.project);
      return { status: 204, mutated: true };
    },
  },
  {
    method: 'POST',
    path: `${PATH}/shutdown`,
    handle(ctx) {
      if (ctx.section(realtimeSection).suspend === true) throw new HttpError(404, 'Tenant not found');
      return { status: 204 };
    },
  },
];
