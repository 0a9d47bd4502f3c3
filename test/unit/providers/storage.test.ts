import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NEW_PROJECT, storageProvider } from '../../../src/providers/storage.js';
import { ROOT } from '../../helpers/cli.js';
import { REF, section } from '../../helpers/desired.js';

const live = structuredClone(NEW_PROJECT);
const ctx = (all: boolean) => ({ ref: REF, all, allowedKeys: new Set(['fileSizeLimit', 'features', 'mode']) });

describe('storage provider', () => {
  it('a new project’s settings are the recorded ones', () => {
    const recorded = JSON.parse(
      readFileSync(`${ROOT}/vendor/fixtures/supabase-cli-recorded/recorded/GET_v1_projects___PROJECT_REF___config_storage/3.response.json`, 'utf8'),
    ) as { body: { fileSizeLimit: number; features: unknown } };
    expect(NEW_PROJECT).toEqual({ fileSizeLimit: recorded.body.fileSizeLimit, features: recorded.body.features });
  });

  it('sends a changed feature whole — the live feature merged with the desired keys — and nothing unchanged', () => {
    const desired = section('storage', { fileSizeLimit: 52_428_800, features: { icebergCatalog: { maxTables: 20 }, s3Protocol: { enabled: true } } });
    const diff = storageProvider.diff({ ref: REF, desired, live });
    expect(diff.changes).toEqual([{ path: 'features.icebergCatalog.maxTables', action: 'update', before: 10, after: 20, sensitive: false }]);
    expect(diff.requests).toEqual([
      {
        method: 'PATCH',
        path: `/v1/projects/${REF}/config/storage`,
        body: { features: { icebergCatalog: { enabled: true, maxNamespaces: 10, maxTables: 20, maxCatalogs: 2 } } },
      },
    ]);
  });

  it('changes the file size limit alone', () => {
    const diff = storageProvider.diff({ ref: REF, desired: section('storage', { fileSizeLimit: 10_485_760 }), live });
    expect(diff.requests[0]?.body).toEqual({ fileSizeLimit: 10_485_760 });
    expect(storageProvider.diff({ ref: REF, desired: section('storage', {}), live })).toEqual({ changes: [], requests: [] });
  });

  it('exports what differs from a new project, down to single keys, and plans back to no changes', () => {
    const changed = { fileSizeLimit: 10_485_760, features: { ...structuredClone(NEW_PROJECT.features), s3Protocol: { enabled: false }, future: { enabled: true } } };
    const slim = storageProvider.export!(changed, ctx(false));
    expect(slim?.values).toEqual({ fileSizeLimit: 10_485_760, features: { s3Protocol: { enabled: false } } });
    expect(storageProvider.export!(structuredClone(NEW_PROJECT), ctx(false))).toBeUndefined();
    const all = storageProvider.export!(changed, ctx(true));
    // Only the features the spec knows: the schema would refuse another.
    expect(Object.keys(all?.values.features as object).sort()).toEqual(['icebergCatalog', 'imageTransformation', 's3Protocol', 'vectorBuckets']);
    for (const exported of [slim, all]) expect(storageProvider.diff({ ref: REF, desired: section('storage', exported!.values), live: changed }).changes).toEqual([]);
  });
});
