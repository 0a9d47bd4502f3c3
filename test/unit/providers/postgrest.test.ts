import { describe, expect, it } from 'vitest';
import { postgrestProvider } from '../../../src/providers/postgrest.js';
import { REF, section } from '../../helpers/desired.js';

describe('postgrest provider', () => {
  const live = { db_schema: 'public,graphql_public', db_extra_search_path: 'public, extensions', max_rows: 1000, db_pool: null };

  it('treats YAML lists and comma strings alike, spaces aside', () => {
    const desired = section('postgrest', { db_schema: ['public', 'graphql_public'], db_extra_search_path: 'public,extensions', max_rows: 1000 });
    expect(postgrestProvider.diff({ ref: REF, desired, live })).toEqual({ changes: [], requests: [] });
  });

  it('compares schema lists in order, since order is search priority', () => {
    const desired = section('postgrest', { db_schema: ['graphql_public', 'public'] });
    const diff = postgrestProvider.diff({ ref: REF, desired, live });
    expect(diff.requests).toEqual([{ method: 'PATCH', path: `/v1/projects/${REF}/postgrest`, body: { db_schema: 'graphql_public,public' } }]);
  });
});
