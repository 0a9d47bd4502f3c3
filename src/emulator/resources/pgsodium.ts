/**
 * pgsodium: GET / PUT /v1/projects/{ref}/pgsodium → `{root_key}` (64 hex characters, as recorded).
 * PUT replaces the root key; anything but 32 bytes hex-encoded answers 400 with the recorded message
 * ("Expected a 32 byte secret, hex-encoded (64 characters)."). The key is a secret: the request log
 * never holds it (redact.ts). Assumptions: a new project's key is random; upper-case hex is accepted
 * and answered lower-case.
 */
import { randomBytes } from 'node:crypto';
import { badRequest } from '../http-error.js';
import { redactFields } from '../redact.js';
import { validateBody } from '../validate.js';
import type { RouteDef, Section } from '../types.js';

const PATH = '/v1/projects/{ref}/pgsodium';
export const ROOT_KEY_MESSAGE = 'Expected a 32 byte secret, hex-encoded (64 characters).';

export interface PgsodiumState {
  root_key: string;
}

function rootKey(value: string): string {
  if (!/^[0-9a-fA-F]{64}$/.test(value)) throw badRequest(ROOT_KEY_MESSAGE);
  return value.toLowerCase();
}

export const pgsodiumSection: Section<PgsodiumState> = {
  name: 'pgsodium',
  initial: () => ({ root_key: randomBytes(32).toString('hex') }),
  seed: (_state, value) => ({ root_key: rootKey(validateBody<PgsodiumState>('PUT', PATH, value).root_key) }),
};

export const pgsodiumRoutes: RouteDef[] = [
  { method: 'GET', path: PATH, handle: (ctx) => ({ status: 200, body: ctx.section(pgsodiumSection) }) },
  {
    method: 'PUT',
    path: PATH,
    redact: redactFields('root_key'),
    handle(ctx) {
      const state: PgsodiumState = { root_key: rootKey((ctx.body as PgsodiumState).root_key) };
      ctx.setSection(pgsodiumSection, state);
      return { status: 200, body: state, mutated: true };
    },
  },
];
