import { describe, expect, it } from 'vitest';
import { realtimeProvider } from '../../../src/providers/realtime.js';
import { REF, section } from '../../helpers/desired.js';
import { riskCases, upd } from './risk-cases.js';

const live = {
  private_only: false,
  connection_pool: null,
  max_concurrent_users: 500,
  max_events_per_second: 500,
  max_bytes_per_second: 1_000_000,
  max_channels_per_client: 100,
  max_joins_per_second: 500,
  max_presence_events_per_second: 50,
  max_payload_size_in_kb: 3000,
  suspend: false,
  presence_enabled: false,
};
const ALL_KEYS = new Set([...Object.keys(live), 'mode']);

describe('realtime provider', () => {
  it('PATCHes only the changed fields', () => {
    const desired = section('realtime', { private_only: true, max_concurrent_users: 500, connection_pool: 10 });
    const diff = realtimeProvider.diff({ ref: REF, desired, live });
    expect(diff.changes.map((c) => [c.path, c.before, c.after])).toEqual([
      ['connection_pool', null, 10],
      ['private_only', false, true],
    ]);
    expect(diff.requests).toEqual([{ method: 'PATCH', path: `/v1/projects/${REF}/config/realtime`, body: { connection_pool: 10, private_only: true } }]);
  });

  it('exports the limits and the flags that differ from a new project, and plans back to no changes', () => {
    const changed = { ...live, private_only: true };
    const slim = realtimeProvider.export!(changed, { ref: REF, all: false, allowedKeys: ALL_KEYS });
    expect(slim?.values).toEqual({
      private_only: true,
      max_concurrent_users: 500,
      max_events_per_second: 500,
      max_bytes_per_second: 1_000_000,
      max_channels_per_client: 100,
      max_joins_per_second: 500,
      max_presence_events_per_second: 50,
      max_payload_size_in_kb: 3000,
    });
    const all = realtimeProvider.export!(changed, { ref: REF, all: true, allowedKeys: ALL_KEYS });
    expect(all?.values).toMatchObject({ suspend: false, presence_enabled: false });
    for (const exported of [slim, all]) expect(realtimeProvider.diff({ ref: REF, desired: section('realtime', exported!.values), live: changed }).changes).toEqual([]);
  });
});

describe('realtime risk rules', () => {
  riskCases(realtimeProvider, [{ rule: 'realtime.private_only.disabled', risky: upd('private_only', true, false), safe: upd('private_only', false, true) }]);
});
