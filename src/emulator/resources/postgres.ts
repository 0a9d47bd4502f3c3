/**
 * Postgres config: GET / PUT /v1/projects/{ref}/config/database/postgres.
 * GET answers only the overrides (`{}` on a new project, as recorded). PUT replaces the whole override
 * set and answers the new set. `restart_database` is an instruction, never stored nor answered.
 * Assumption: values are checked only as far as the spec's schema goes (the real API also weighs
 * them against the compute size; that is not emulated).
 */
import { validateBody } from '../validate.js';
import type { RouteDef, Section } from '../types.js';

const PATH = '/v1/projects/{ref}/config/database/postgres';

export type PostgresOverrides = Record<string, unknown>;

function overridesFrom(body: Record<string, unknown>): PostgresOverrides {
  const { restart_database: _restart, ...overrides } = body;
  return overrides;
}

export const postgresSection: Section<PostgresOverrides> = {
  name: 'postgres',
  initial: () => ({}),
  seed: (_state, value) => overridesFrom(validateBody('PUT', PATH, value)),
};

export const postgresRoutes: RouteDef[] = [
  { method: 'GET', path: PATH, handle: (ctx) => ({ status: 200, body: ctx.section(postgresSection) }) },
  {
    method: 'PUT',
    path: PATH,
    handle(ctx) {
      const overrides = overridesFrom(ctx.body as Record<string, unknown>);
      ctx.setSection(postgresSection, overrides);
      return { status: 200, body: overrides, mutated: true };
    },
  },
];
