/**
 * postgres — GET / PUT /v1/projects/{ref}/config/database/postgres. GET returns only the overrides
 * and PUT replaces the whole override set, so the PUT body is the live overrides merged with the
 * desired keys: overrides the YAML does not mention are preserved.
 */
import type { ApiClient } from '../api/types.js';
import { diffFlat, exportFlat, flatRules } from './normalise.js';
import type { DiffInput, Provider, SectionDiff, SectionSchema } from './types.js';

type PostgresLive = Record<string, unknown>;

/** Not a parameter: whether to let the API restart the database when a change needs it. */
const RESTART_SETTING = 'restart_database';

const schema: SectionSchema = {
  description:
    'Postgres parameters: fields of UpdatePostgresConfigBody. `restart_database: true` lets the API restart ' +
    'the database when a changed parameter needs it (default: no restart; the change waits for the next restart).',
  body: { $body: 'UpdatePostgresConfigBody' },
  // Parameters Postgres reads only at start-up.
  restartFields: ['max_connections', 'max_worker_processes', 'max_parallel_workers', 'max_wal_senders', 'max_replication_slots', 'shared_buffers'],
};

const rules = flatRules(schema);

const path = (ref: string) => `/v1/projects/${ref}/config/database/postgres`;

export const postgresProvider: Provider<PostgresLive> = {
  section: 'postgres',
  schema,
  async read(client: ApiClient, ref: string): Promise<PostgresLive> {
    return client.get<PostgresLive>(path(ref));
  },
  diff({ ref, desired, live }: DiffInput<PostgresLive>): SectionDiff {
    const { [RESTART_SETTING]: restartSetting, ...parameters } = desired.values;
    const { changes, patch } = diffFlat(parameters, live, rules, ref, desired.fromFile);
    if (!changes.length) return { changes, requests: [] };
    const body: Record<string, unknown> = { ...live, ...patch };
    const needsRestart = changes.some((c) => c.restart);
    const notes: string[] = [];
    if (needsRestart) {
      if (restartSetting === true) {
        body[RESTART_SETTING] = true;
        notes.push('the database will be restarted to apply parameters that need a restart');
      } else {
        notes.push(
          'some parameters take effect only after a database restart; set `restart_database: true` to let supasync restart it',
        );
      }
    }
    return { changes, notes, requests: [{ method: 'PUT', path: path(ref), body }] };
  },
  // A new project has no overrides: every live override is exported.
  export: (live, ctx) => exportFlat('postgres', live, {}, rules, ctx),
};
