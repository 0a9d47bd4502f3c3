/**
 * postgres — GET / PUT /v1/projects/{ref}/config/database/postgres. GET returns only the overrides
 * and PUT replaces the whole override set, so the PUT body is the live overrides merged with the
 * desired keys: overrides the YAML does not mention are preserved.
 *
 * Memory and time parameters are checked for their units before anything is sent (./quantity.ts)
 * and compared by amount: `1GB` and a live `1024MB` are the same setting. Assumption: the API
 * answers a value as it was sent (the recorded GET and PUT answers echo `256MB`, `8s` as written;
 * nothing shows it normalising), so a value set elsewhere in another spelling is no drift.
 */
import type { ApiClient } from '../api/types.js';
import { diffFlat, exportFlat, flatRules } from './normalise.js';
import type { MemoryUnit, QuantityFormat, TimeUnit } from './quantity.js';
import type { DiffInput, Provider, SectionDiff, SectionSchema } from './types.js';

type PostgresLive = Record<string, unknown>;

/** Not a parameter: whether to let the API restart the database when a change needs it. */
const RESTART_SETTING = 'restart_database';

const memory = (unit: MemoryUnit): QuantityFormat => ({ kind: 'memory', unit });
const time = (unit: TimeUnit): QuantityFormat => ({ kind: 'time', unit });

/** Each string parameter's kind and the unit Postgres reads a bare number in (postgresql.conf docs). */
const FORMATS: Record<string, QuantityFormat> = {
  effective_cache_size: memory('8kB'),
  logical_decoding_work_mem: memory('kB'),
  maintenance_work_mem: memory('kB'),
  max_slot_wal_keep_size: memory('MB'),
  max_wal_size: memory('MB'),
  shared_buffers: memory('8kB'),
  track_activity_query_size: memory('B'),
  wal_keep_size: memory('MB'),
  work_mem: memory('kB'),
  checkpoint_timeout: time('s'),
  max_standby_archive_delay: time('ms'),
  max_standby_streaming_delay: time('ms'),
  statement_timeout: time('ms'),
  wal_sender_timeout: time('ms'),
};

const schema: SectionSchema = {
  description:
    'Postgres parameters: fields of UpdatePostgresConfigBody. `restart_database: true` lets the API restart ' +
    'the database when a changed parameter needs it (default: no restart; the change waits for the next restart).',
  body: { $body: 'UpdatePostgresConfigBody' },
  formats: FORMATS,
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
