/**
 * realtime — GET / PATCH /v1/projects/{ref}/config/realtime: every field of UpdateRealtimeConfigBody
 * (private-only channels, presence, suspension, the authorization pool and the rate limits).
 * PATCH carries only the changed keys. Turning `private_only` off is risky: public channels then
 * accept anyone who holds the project's anon key.
 *
 * A limit above the project's plan is refused by the API (403 naming the field): a section error
 * for that project, the others go on.
 */
import type { ApiClient, Schemas } from '../api/types.js';
import { diffFlat, exportFlat, flatRules } from './normalise.js';
import { turnedOff, type RiskRule } from './risk.js';
import type { DiffInput, Provider, SectionDiff, SectionSchema } from './types.js';

type RealtimeLive = Record<string, unknown>;

const SECTION = 'realtime';

const schema: SectionSchema = {
  description:
    'Realtime settings: fields of UpdateRealtimeConfigBody (private_only, presence_enabled, suspend, connection_pool and the max_* rate limits).',
  body: { $body: 'UpdateRealtimeConfigBody' },
};

const rules = flatRules(schema);

const risks: readonly RiskRule[] = [
  turnedOff(SECTION, 'private_only', 'public channels accept anyone who holds the anon key'),
];

/**
 * The flags of a new project: Realtime's own defaults. Its limits are its plan's (no recording
 * shows them), so a limit is exported whenever the API answers one.
 */
const NEW_PROJECT = { private_only: false, suspend: false, presence_enabled: false, connection_pool: null };

const path = (ref: string) => `/v1/projects/${ref}/config/realtime`;

export const realtimeProvider: Provider<RealtimeLive> = {
  section: SECTION,
  schema,
  risks,
  async read(client: ApiClient, ref: string): Promise<RealtimeLive> {
    return client.get<Schemas['RealtimeConfigResponse']>(path(ref)) as Promise<RealtimeLive>;
  },
  diff({ ref, desired, live }: DiffInput<RealtimeLive>): SectionDiff {
    const { changes, patch } = diffFlat(desired.values, live, rules, ref, desired.fromFile);
    return { changes, requests: changes.length ? [{ method: 'PATCH', path: path(ref), body: patch }] : [] };
  },
  export: (live, ctx) => exportFlat(SECTION, live, NEW_PROJECT, rules, ctx),
};
