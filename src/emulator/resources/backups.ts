/**
 * Backup schedule: GET / PATCH /v1/projects/{ref}/database/backups/schedule → V1BackupScheduleResponse
 * `{schedule_for: "HH:MM:SS", updated_at}`.
 *
 * From the spec: `schedule_for` is a time of day in UTC, HH:MM:SS (400 "Invalid schedule_for format"
 * otherwise); the schedule "can only be updated 3 times per 24 hours"; 402 "Feature requires a higher
 * plan". Assumptions (no recording exists): the plan that has it is pro and up (entitlement
 * `backup.schedule`; free answers 402 on GET and PATCH); a new project's time is a whole hour derived
 * from its ref (stable, spread over the day like the real API's), `updated_at` its creation; a PATCH to
 * the current time changes nothing and does not count; the fourth change within 24 hours answers 429
 * with a Retry-After (seconds until the oldest of the three leaves the window).
 */
import { createHash } from 'node:crypto';
import { hasFeature } from '../defaults/entitlements.js';
import { HttpError, badRequest } from '../http-error.js';
import { validateBody } from '../validate.js';
import type { ProjectMeta, RouteDef, Section } from '../types.js';

const PATH = '/v1/projects/{ref}/database/backups/schedule';
const TIME = /^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/;
const DAY_MS = 86_400_000;
export const MAX_CHANGES_PER_DAY = 3;

export interface BackupScheduleState {
  schedule_for: string;
  updated_at: string;
  /** When the last changes were made (ISO), for the three-per-day limit. */
  changes: string[];
}

function entitled(project: ProjectMeta): void {
  if (!hasFeature(project.plan, 'backup.schedule')) throw new HttpError(402, 'Feature requires a higher plan');
}

function defaultTime(ref: string): string {
  const hour = createHash('sha256').update(ref).digest()[0]! % 24;
  return `${String(hour).padStart(2, '0')}:00:00`;
}

function change(state: BackupScheduleState, scheduleFor: string, now: Date): BackupScheduleState {
  if (!TIME.test(scheduleFor)) throw badRequest('Invalid schedule_for format: expected HH:MM:SS (UTC)');
  if (scheduleFor === state.schedule_for) return state;
  const recent = state.changes.filter((at) => now.getTime() - Date.parse(at) < DAY_MS);
  if (recent.length >= MAX_CHANGES_PER_DAY) {
    const retry = Math.ceil((Date.parse(recent[0]!) + DAY_MS - now.getTime()) / 1000);
    throw new HttpError(429, `The backup schedule can only be updated ${MAX_CHANGES_PER_DAY} times per 24 hours`, { 'retry-after': String(retry) });
  }
  state.schedule_for = scheduleFor;
  state.updated_at = now.toISOString();
  state.changes = [...recent, state.updated_at];
  return state;
}

const answer = (state: BackupScheduleState) => ({ schedule_for: state.schedule_for, updated_at: state.updated_at });

export const backupScheduleSection: Section<BackupScheduleState> = {
  name: 'backup_schedule',
  initial: (ctx) => ({ schedule_for: defaultTime(ctx.project.ref), updated_at: ctx.project.created_at, changes: [] }),
  // Seed: the PATCH body, `{schedule_for: "04:00:00"}`; it does not count as a change.
  seed(state, value, ctx) {
    entitled(ctx.project);
    const { schedule_for } = validateBody<{ schedule_for: string }>('PATCH', PATH, value);
    if (!TIME.test(schedule_for)) throw badRequest('Invalid schedule_for format: expected HH:MM:SS (UTC)');
    return { ...state, schedule_for };
  },
};

export const backupsRoutes: RouteDef[] = [
  { method: 'GET', path: PATH, entitlement: entitled, handle: (ctx) => ({ status: 200, body: answer(ctx.section(backupScheduleSection)) }) },
  {
    method: 'PATCH',
    path: PATH,
    entitlement: entitled,
    handle(ctx) {
      const state = ctx.section(backupScheduleSection);
      const before = state.updated_at;
      change(state, (ctx.body as { schedule_for: string }).schedule_for, ctx.now);
      return { status: 200, body: answer(state), mutated: state.updated_at !== before };
    },
  },
];
