/**
 * storage — GET / PATCH /v1/projects/{ref}/config/storage: `fileSizeLimit` (bytes) and the
 * `features` (imageTransformation, s3Protocol, icebergCatalog, vectorBuckets). The API replaces a
 * feature object whole and requires all of its fields (icebergCatalog needs `enabled` and its three
 * limits), so a changed feature is sent as the live feature merged with the desired keys: the YAML
 * may name only the keys it manages. PATCH carries only what changed.
 *
 * `external.upstreamTarget` (main | canary: which Storage release serves the project) is Supabase's
 * routing, not a project setting, and is not managed. Beyond the plan (a file size limit above
 * 50 MB or image transformations on free) the API answers 403: a section error for that project.
 */
import type { ApiClient, Schemas } from '../api/types.js';
import { fromFileAtOrBelow } from '../config/from-file.js';
import type { Change, JsonValue } from '../reconcile/types.js';
import { sameValue } from './normalise.js';
import type { DiffInput, Provider, SectionDiff, SectionSchema } from './types.js';

type Features = Record<string, Record<string, JsonValue>>;

interface StorageLive {
  fileSizeLimit: number | null;
  features: Features;
}

const SECTION = 'storage';

const schema: SectionSchema = {
  description:
    'Storage settings: fileSizeLimit (bytes) and features of UpdateStorageConfigBody. A feature may be given in part: ' +
    'the keys left out keep their live values.',
  body: { $body: 'UpdateStorageConfigBody', exclude: ['external'] },
  mergedObjects: ['features'],
};

/**
 * A new project's settings (as recorded: vendor/fixtures/supabase-cli-recorded/recorded/
 * GET_v1_projects___PROJECT_REF___config_storage/3.response.json).
 */
export const NEW_PROJECT: StorageLive = {
  fileSizeLimit: 52_428_800,
  features: {
    imageTransformation: { enabled: true },
    s3Protocol: { enabled: true },
    icebergCatalog: { enabled: true, maxNamespaces: 10, maxTables: 10, maxCatalogs: 2 },
    vectorBuckets: { enabled: true, maxBuckets: 10, maxIndexes: 5 },
  },
};

const path = (ref: string) => `/v1/projects/${ref}/config/storage`;

const objectOf = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const valueOf = (v: unknown): JsonValue => (v === undefined ? null : (v as JsonValue));

function change(field: string, before: JsonValue, after: JsonValue, fromFile: ReadonlySet<string>, at: (string | number)[]): Change {
  // A number or boolean cannot come from a file (file values are strings); kept for any future string field.
  return fromFileAtOrBelow(fromFile, at)
    ? { path: field, action: 'update', before, after, sensitive: true, beforeSet: before !== null }
    : { path: field, action: 'update', before, after, sensitive: false };
}

export const storageProvider: Provider<StorageLive> = {
  section: SECTION,
  schema,
  async read(client: ApiClient, ref: string): Promise<StorageLive> {
    const res = await client.get<Schemas['StorageConfigResponse']>(path(ref));
    return { fileSizeLimit: res.fileSizeLimit ?? null, features: structuredClone((res.features ?? {}) as Features) };
  },
  diff({ ref, desired, live }: DiffInput<StorageLive>): SectionDiff {
    const changes: Change[] = [];
    const body: Record<string, unknown> = {};
    const want = desired.values;
    if (want.fileSizeLimit !== undefined && !sameValue(valueOf(want.fileSizeLimit), live.fileSizeLimit)) {
      changes.push(change('fileSizeLimit', live.fileSizeLimit, valueOf(want.fileSizeLimit), desired.fromFile, ['fileSizeLimit']));
      body.fileSizeLimit = want.fileSizeLimit;
    }
    const features: Record<string, unknown> = {};
    for (const [name, wanted] of Object.entries(objectOf(want.features)).sort(([a], [b]) => (a < b ? -1 : 1))) {
      const have = objectOf(live.features[name]);
      let changed = false;
      for (const [key, value] of Object.entries(objectOf(wanted)).sort(([a], [b]) => (a < b ? -1 : 1))) {
        if (sameValue(valueOf(value), valueOf(have[key]))) continue;
        changes.push(change(`features.${name}.${key}`, valueOf(have[key]), valueOf(value), desired.fromFile, ['features', name, key]));
        changed = true;
      }
      // The API replaces a feature whole: send it complete.
      if (changed) features[name] = { ...have, ...objectOf(wanted) };
    }
    if (Object.keys(features).length) body.features = features;
    return { changes, requests: changes.length ? [{ method: 'PATCH', path: path(ref), body }] : [] };
  },
  // Only what differs from a new project (unless `all`), down to single keys of a feature.
  export(live, ctx) {
    const values: Record<string, unknown> = {};
    if (live.fileSizeLimit !== null && (ctx.all || live.fileSizeLimit !== NEW_PROJECT.fileSizeLimit)) values.fileSizeLimit = live.fileSizeLimit;
    const features: Record<string, Record<string, JsonValue>> = {};
    // Only the features and keys the spec (and so the schema) knows: an answer may hold newer ones.
    for (const [name, defaults] of Object.entries(NEW_PROJECT.features)) {
      const feature = objectOf(live.features[name]);
      const keys = Object.keys(defaults)
        .filter((key) => feature[key] !== undefined && (ctx.all || !sameValue(valueOf(feature[key]), defaults[key]!)))
        .map((key) => [key, feature[key]]);
      if (keys.length) features[name] = Object.fromEntries(keys) as Record<string, JsonValue>;
    }
    if (Object.keys(features).length) values.features = features;
    return Object.keys(values).length ? { values, variables: [] } : undefined;
  },
};
