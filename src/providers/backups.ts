/**
 * backups — GET / PATCH /v1/projects/{ref}/database/backups/schedule: the time of day (UTC,
 * HH:MM:SS) the daily backup runs. A plan without the feature answers 402: the project cannot
 * have the section (reported for it, the others go on).
 *
 * Retention is not part of this API: the schedule's only field is `schedule_for` (the spec's
 * V1UpdateBackupScheduleBody); how long backups are kept follows the plan and the PITR add-on.
 * So no change here shortens retention, and none is risky; the API's own limits are told in a note.
 */
import type { ApiClient, Schemas } from '../api/types.js';
import { ApiError, UnsupportedError } from '../errors.js';
import { diffFlat, flatRules } from './normalise.js';
import type { DiffInput, Provider, SectionDiff, SectionSchema } from './types.js';

type BackupsLive = Record<string, unknown>;

const SECTION = 'backups';

const schema: SectionSchema = {
  description: 'Daily backups: schedule_for, the time of day (UTC, HH:MM:SS) the backup runs (V1UpdateBackupScheduleBody).',
  body: { $body: 'V1UpdateBackupScheduleBody' },
  formats: { schedule_for: { kind: 'time_of_day' } },
};

const rules = flatRules(schema);

const path = (ref: string) => `/v1/projects/${ref}/database/backups/schedule`;

export const backupsProvider: Provider<BackupsLive> = {
  section: SECTION,
  schema,
  async read(client: ApiClient, ref: string): Promise<BackupsLive> {
    try {
      const { schedule_for } = await client.get<Schemas['V1BackupScheduleResponse']>(path(ref));
      return { schedule_for };
    } catch (err) {
      // 402: "Feature requires a higher plan" (the spec's own status for this endpoint).
      if (err instanceof ApiError && err.status === 402) {
        throw new UnsupportedError(
          `the backup schedule is not available for project ${ref} on its current plan${err.apiMessage ? ` (${err.apiMessage})` : ''}`,
        );
      }
      throw err;
    }
  },
  diff({ ref, desired, live }: DiffInput<BackupsLive>): SectionDiff {
    const { changes, patch } = diffFlat(desired.values, live, rules, ref, desired.fromFile);
    if (!changes.length) return { changes, requests: [] };
    return {
      changes,
      notes: [
        'the backup schedule can be changed 3 times in 24 hours; the new time applies from the next backup window (if it has passed today, the first backup at it runs tomorrow)',
      ],
      requests: [{ method: 'PATCH', path: path(ref), body: patch }],
    };
  },
  // Every project has a schedule, and a new project's time is not known in advance: always exported.
  export: (live) => (typeof live.schedule_for === 'string' ? { values: { schedule_for: live.schedule_for }, variables: [] } : undefined),
};
