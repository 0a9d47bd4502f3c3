/**
 * SSL enforcement: GET / PUT /v1/projects/{ref}/ssl-enforcement. PUT takes `requestedConfig` and
 * answers, like GET, `{currentConfig, appliedSuccessfully: true}` (as recorded).
 * Assumption: a new project does not enforce SSL (hosted projects opt in).
 */
import { validateBody } from '../validate.js';
import type { RouteDef, Section } from '../types.js';

const PATH = '/v1/projects/{ref}/ssl-enforcement';

export interface SslState {
  database: boolean;
}

const answer = (state: SslState) => ({ currentConfig: { database: state.database }, appliedSuccessfully: true });

export const sslEnforcementSection: Section<SslState> = {
  name: 'ssl_enforcement',
  initial: () => ({ database: false }),
  // The seed gives the requested config itself: `ssl_enforcement: {database: true}`.
  seed: (_state, value) => ({ ...validateBody<{ requestedConfig: SslState }>('PUT', PATH, { requestedConfig: value }).requestedConfig }),
};

export const sslEnforcementRoutes: RouteDef[] = [
  { method: 'GET', path: PATH, handle: (ctx) => ({ status: 200, body: answer(ctx.section(sslEnforcementSection)) }) },
  {
    method: 'PUT',
    path: PATH,
    handle(ctx) {
      const state: SslState = { database: (ctx.body as { requestedConfig: SslState }).requestedConfig.database };
      ctx.setSection(sslEnforcementSection, state);
      return { status: 200, body: answer(state), mutated: true };
    },
  },
];
