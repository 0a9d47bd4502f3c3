/**
 * ssl_enforcement — GET / PUT /v1/projects/{ref}/ssl-enforcement. The YAML gives `database: true|false`
 * (the API's requestedConfig). After a PUT the provider waits until the API reports
 * `appliedSuccessfully`. Turning enforcement off is risky.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ApiClient, Schemas } from '../api/types.js';
import type { Change } from '../reconcile/types.js';
import { isTrue, type RiskRule } from './risk.js';
import type { DiffInput, Provider, SectionDiff, SectionSchema } from './types.js';

interface SslLive {
  database: boolean;
  appliedSuccessfully: boolean;
}

const schema: SectionSchema = {
  description: 'SSL enforcement for database connections (requestedConfig of SslEnforcementRequest).',
  extra: {
    database: { type: 'boolean', description: 'Reject database connections that do not use SSL.' },
  },
};

const risks: readonly RiskRule[] = [
  {
    id: 'ssl_enforcement.database.disabled',
    section: 'ssl_enforcement',
    description: 'turning SSL enforcement off (the database accepts unencrypted connections)',
    test: (c) => (c.path === 'database' && isTrue(c.before) && !isTrue(c.after) ? 'accepts database connections without SSL' : undefined),
  },
];

const path = (ref: string) => `/v1/projects/${ref}/ssl-enforcement`;

/** How long `settle` waits for the API to report the change applied, polling with a growing interval. */
export const SETTLE_POLICY = { attempts: 8, firstDelayMs: 250, maxDelayMs: 4_000 };

export const sslEnforcementProvider: Provider<SslLive> = {
  section: 'ssl_enforcement',
  schema,
  risks,
  async read(client: ApiClient, ref: string): Promise<SslLive> {
    const res = await client.get<Schemas['SslEnforcementResponse']>(path(ref));
    return { database: res.currentConfig.database, appliedSuccessfully: res.appliedSuccessfully };
  },
  diff({ ref, desired, live }: DiffInput<SslLive>): SectionDiff {
    const want = desired.values.database;
    const notes = live.appliedSuccessfully ? [] : ['the last SSL enforcement change is not applied yet'];
    if (typeof want !== 'boolean' || want === live.database) return { changes: [], requests: [], notes };
    const change: Change = { path: 'database', action: 'update', before: live.database, after: want, sensitive: false };
    return { changes: [change], notes, requests: [{ method: 'PUT', path: path(ref), body: { requestedConfig: { database: want } } }] };
  },
  // SSL enforcement is off on a new project.
  export: (live, ctx) => (ctx.all || live.database ? { values: { database: live.database }, variables: [] } : undefined),
  async settle(client: ApiClient, ref: string): Promise<void> {
    let delay = SETTLE_POLICY.firstDelayMs;
    for (let attempt = 1; attempt <= SETTLE_POLICY.attempts; attempt++) {
      const res = await client.get<Schemas['SslEnforcementResponse']>(path(ref));
      if (res.appliedSuccessfully) return;
      await sleep(delay);
      delay = Math.min(delay * 2, SETTLE_POLICY.maxDelayMs);
    }
    throw new Error(`SSL enforcement was not reported applied after ${SETTLE_POLICY.attempts} checks`);
  },
};
