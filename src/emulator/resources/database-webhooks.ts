/**
 * Database webhooks: POST /v1/projects/{ref}/database/webhooks/enable → 201 without a body or a
 * content-type (as recorded in the config-push scenarios). Enabling twice is not an error (the official
 * CLI enables on every `config push` with `[experimental.webhooks] enabled = true`). The API has no read
 * of this state; the emulator keeps it (`/_emulator/state`, seed `database_webhooks: {enabled: true}`).
 */
import { badRequest } from '../http-error.js';
import type { RouteDef, Section } from '../types.js';

export interface DatabaseWebhooksState {
  enabled: boolean;
  enabled_at: string | null;
}

export const databaseWebhooksSection: Section<DatabaseWebhooksState> = {
  name: 'database_webhooks',
  initial: () => ({ enabled: false, enabled_at: null }),
  seed(state, value, ctx) {
    const enabled = (value as { enabled?: unknown } | null)?.enabled;
    if (typeof enabled !== 'boolean' || Object.keys(value as object).length !== 1) throw badRequest('database_webhooks must be {enabled: boolean}');
    return { enabled, enabled_at: enabled ? ctx.now.toISOString() : null };
  },
};

export const databaseWebhooksRoutes: RouteDef[] = [
  {
    method: 'POST',
    path: '/v1/projects/{ref}/database/webhooks/enable',
    handle(ctx) {
      const state = ctx.section(databaseWebhooksSection);
      if (state.enabled) return { status: 201 };
      ctx.setSection(databaseWebhooksSection, { enabled: true, enabled_at: ctx.now.toISOString() });
      return { status: 201, mutated: true };
    },
  },
];
