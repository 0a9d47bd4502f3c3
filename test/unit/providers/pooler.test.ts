import { describe, expect, it } from 'vitest';
import { poolerProvider } from '../../../src/providers/pooler.js';
import { REF, section } from '../../helpers/desired.js';

describe('pooler provider', () => {
  it('PATCHes changed keys of the primary entry', () => {
    const live = { default_pool_size: null, pool_mode: 'transaction' };
    const diff = poolerProvider.diff({ ref: REF, desired: section('pooler', { default_pool_size: 20, pool_mode: 'transaction' }), live });
    expect(diff.requests).toEqual([{ method: 'PATCH', path: `/v1/projects/${REF}/config/database/pooler`, body: { default_pool_size: 20 } }]);
  });

  it('exports only what differs from a new project, and plans back to no changes', () => {
    const live = { default_pool_size: 30, pool_mode: 'transaction' };
    const exported = poolerProvider.export!(live, { ref: REF, all: false, allowedKeys: new Set(['default_pool_size', 'pool_mode']) });
    expect(exported?.values).toEqual({ default_pool_size: 30 });
    expect(poolerProvider.diff({ ref: REF, desired: section('pooler', exported!.values), live }).changes).toEqual([]);
  });
});
