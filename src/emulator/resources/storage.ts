/**
 * Storage config: GET / PATCH /v1/projects/{ref}/config/storage. A new project's config is the
 * recorded one. PATCH merges: `fileSizeLimit`, each feature given (the spec requires whole feature
 * objects) and `external`; it answers 200 with no body, as the spec lists no content.
 * Not emulated: per-plan ceilings on fileSizeLimit.
 */
import { STORAGE_CONFIG_DEFAULTS } from '../defaults/storage-config.js';
import { validateBody } from '../validate.js';
import type { RouteDef, Section } from '../types.js';

const PATH = '/v1/projects/{ref}/config/storage';

export type StorageState = Record<string, unknown> & { features: Record<string, unknown> };

interface StoragePatch {
  fileSizeLimit?: number;
  features?: Record<string, unknown>;
  external?: Record<string, unknown>;
}

function apply(state: StorageState, patch: StoragePatch): StorageState {
  if (patch.fileSizeLimit !== undefined) state.fileSizeLimit = patch.fileSizeLimit;
  if (patch.features) state.features = { ...state.features, ...structuredClone(patch.features) };
  if (patch.external) state.external = structuredClone(patch.external);
  return state;
}

export const storageSection: Section<StorageState> = {
  name: 'storage',
  initial: () => structuredClone(STORAGE_CONFIG_DEFAULTS) as StorageState,
  seed: (state, value) => apply(state, validateBody<StoragePatch>('PATCH', PATH, value)),
};

export const storageRoutes: RouteDef[] = [
  { method: 'GET', path: PATH, handle: (ctx) => ({ status: 200, body: ctx.section(storageSection) }) },
  {
    method: 'PATCH',
    path: PATH,
    handle(ctx) {
      apply(ctx.section(storageSection), ctx.body as StoragePatch);
      return { status: 200, mutated: true };
    },
  },
];
