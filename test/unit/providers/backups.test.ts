import { describe, expect, it } from 'vitest';
import type { ApiClient } from '../../../src/api/types.js';
import { ApiError, UnsupportedError } from '../../../src/errors.js';
import { backupsProvider } from '../../../src/providers/backups.js';
import { REF, section } from '../../helpers/desired.js';

const failing = (err: Error) => ({ get: async () => { throw err; }, request: async () => { throw err; } }) as unknown as ApiClient;

describe('backups provider', () => {
  it('PATCHes a changed schedule time, with a note on the API’s limits', () => {
    const diff = backupsProvider.diff({ ref: REF, desired: section('backups', { schedule_for: '04:00:00' }), live: { schedule_for: '13:00:00' } });
    expect(diff.changes).toEqual([{ path: 'schedule_for', action: 'update', before: '13:00:00', after: '04:00:00', sensitive: false }]);
    expect(diff.requests).toEqual([{ method: 'PATCH', path: `/v1/projects/${REF}/database/backups/schedule`, body: { schedule_for: '04:00:00' } }]);
    expect(diff.notes?.[0]).toMatch(/3 times in 24 hours/);
    expect(backupsProvider.diff({ ref: REF, desired: section('backups', { schedule_for: '13:00:00' }), live: { schedule_for: '13:00:00' } })).toEqual({ changes: [], requests: [] });
  });

  it('has no risk rule: the schedule API holds no retention to shorten', () => {
    expect(backupsProvider.risks ?? []).toEqual([]);
  });

  it('a plan without the feature (402) is unsupported for that project, not a failure', async () => {
    const err = new ApiError({ code: 'E_API_STATUS', method: 'GET', path: `/v1/projects/${REF}/database/backups/schedule`, status: 402, apiMessage: 'Feature requires a higher plan', retryable: false });
    await expect(backupsProvider.read(failing(err), REF)).rejects.toThrow(UnsupportedError);
    await expect(backupsProvider.read(failing(err), REF)).rejects.toThrow(`the backup schedule is not available for project ${REF} on its current plan (Feature requires a higher plan)`);
    const other = new ApiError({ code: 'E_API_STATUS', method: 'GET', path: 'x', status: 500, retryable: true });
    await expect(backupsProvider.read(failing(other), REF)).rejects.toBe(other);
  });

  it('exports the schedule, which plans back to no changes', () => {
    const exported = backupsProvider.export!({ schedule_for: '07:30:00' }, { ref: REF, all: false, allowedKeys: new Set() });
    expect(exported?.values).toEqual({ schedule_for: '07:30:00' });
  });
});
