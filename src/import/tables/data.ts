/**
 * [api], [db.*] and [storage] → `postgrest`, `postgres`, `network_restrictions`,
 * `ssl_enforcement`, `pooler` and `storage`, as the CLI 2.99 sends them (pkg/config/api.go, db.go,
 * storage.go and updater.go):
 * - [api] off sends only an empty `db_schema` (no schema exposed); on, `max_rows` only above zero;
 * - [db.settings] keys are the API's names;
 * - [db.network_restrictions] is managed only while `enabled = true`, and both lists are sent;
 * - [db.ssl_enforcement], once present, sends `enabled` (false when absent);
 * - [storage] off is left alone; analytics and vector buckets are sent only while enabled (turning
 *   them off in the file leaves the platform's values unchanged).
 *
 * [db.pooler] is the exception: config push never sends it (it configures the local pooler). It is
 * imported as `pooler` only while `enabled = true` — the file then says how the project is pooled —
 * and the import says so on stderr, since the first plan may then show changes (docs/configuration.md).
 */
import type { TableRule } from '../model.js';
import { field } from './field.js';

const api: TableRule = {
  table: 'api',
  section: 'postgrest',
  switch: { key: 'enabled', default: true, off: { db_schema: '' }, offNote: '[api] enabled = false: only db_schema = "" is sent (no schema exposed)' },
  fields: [
    field('schemas', 'db_schema', 'string_list', { onlyIfSet: true }),
    field('extra_search_path', 'db_extra_search_path', 'string_list'),
    field('max_rows', 'max_rows', 'integer', { onlyIfSet: true }),
  ],
};

/** [db.settings]: every key is the API's own (UpdatePostgresConfigBody). */
export const POSTGRES_SETTINGS: ReadonlyArray<[string, 'string' | 'integer' | 'boolean']> = [
  ['effective_cache_size', 'string'],
  ['logical_decoding_work_mem', 'string'],
  ['maintenance_work_mem', 'string'],
  ['max_connections', 'integer'],
  ['max_locks_per_transaction', 'integer'],
  ['max_parallel_maintenance_workers', 'integer'],
  ['max_parallel_workers', 'integer'],
  ['max_parallel_workers_per_gather', 'integer'],
  ['max_replication_slots', 'integer'],
  ['max_slot_wal_keep_size', 'string'],
  ['max_standby_archive_delay', 'string'],
  ['max_standby_streaming_delay', 'string'],
  ['max_wal_size', 'string'],
  ['max_wal_senders', 'integer'],
  ['max_worker_processes', 'integer'],
  ['session_replication_role', 'string'],
  ['shared_buffers', 'string'],
  ['statement_timeout', 'string'],
  ['track_activity_query_size', 'string'],
  ['track_commit_timestamp', 'boolean'],
  ['wal_keep_size', 'string'],
  ['wal_sender_timeout', 'string'],
  ['work_mem', 'string'],
];

const settings: TableRule = {
  table: 'db.settings',
  section: 'postgres',
  fields: POSTGRES_SETTINGS.map(([key, kind]) => field(key, key, kind)),
};

const network: TableRule = {
  table: 'db.network_restrictions',
  section: 'network_restrictions',
  switch: { key: 'enabled', default: false, offNote: '[db.network_restrictions] enabled = false: config push leaves the restrictions alone' },
  fields: [field('allowed_cidrs', 'dbAllowedCidrs', 'string_list'), field('allowed_cidrs_v6', 'dbAllowedCidrsV6', 'string_list')],
};

const ssl: TableRule = {
  table: 'db.ssl_enforcement',
  section: 'ssl_enforcement',
  fields: [field('enabled', 'database', 'boolean', { whenAbsent: false })],
};

const pooler: TableRule = {
  table: 'db.pooler',
  section: 'pooler',
  switch: { key: 'enabled', default: false, offNote: '[db.pooler] enabled = false: the local pooler is off (config push never sends pooler settings)' },
  fields: [field('pool_mode', 'pool_mode', 'string'), field('default_pool_size', 'default_pool_size', 'integer')],
};

const storage: TableRule = {
  table: 'storage',
  section: 'storage',
  switch: { key: 'enabled', default: true, offNote: '[storage] enabled = false: config push leaves Storage alone' },
  fields: [field('file_size_limit', 'fileSizeLimit', 'bytes')],
};

const storageFeatures: TableRule[] = [
  { table: 'storage.image_transformation', section: 'storage', fields: [field('enabled', 'features.imageTransformation.enabled', 'boolean', { whenAbsent: false })] },
  { table: 'storage.s3_protocol', section: 'storage', fields: [field('enabled', 'features.s3Protocol.enabled', 'boolean', { whenAbsent: false })] },
  {
    table: 'storage.analytics',
    section: 'storage',
    switch: { key: 'enabled', default: false, offNote: 'analytics buckets are disabled: config push leaves the platform\'s values unchanged' },
    constants: { 'features.icebergCatalog.enabled': true },
    fields: [
      field('max_namespaces', 'features.icebergCatalog.maxNamespaces', 'integer'),
      field('max_tables', 'features.icebergCatalog.maxTables', 'integer'),
      field('max_catalogs', 'features.icebergCatalog.maxCatalogs', 'integer'),
    ],
  },
  {
    table: 'storage.vector',
    section: 'storage',
    switch: { key: 'enabled', default: false, offNote: 'vector buckets are disabled: config push leaves the platform\'s values unchanged' },
    constants: { 'features.vectorBuckets.enabled': true },
    fields: [
      field('max_buckets', 'features.vectorBuckets.maxBuckets', 'integer'),
      field('max_indexes', 'features.vectorBuckets.maxIndexes', 'integer'),
    ],
  },
];

export const DATA_TABLES: readonly TableRule[] = [api, settings, network, ssl, pooler, storage, ...storageFeatures];
