/**
 * Storage config: GET / PATCH /v1/projects/{ref}/config/storage. A new project's config is the
 * recorded one. PATCH merges: `fileSizeLimit`, each feature given — a feature is replaced whole, as
 * the spec requires every field of a feature it is given (`icebergCatalog` needs `enabled` and all
 * three limits) — and `external`; it answers 200 with no body, as the spec lists no content.
 *
 * Plan entitlements (defaults/entitlements.ts; assumption, from the pricing page — no recording shows
 * a refusal): `fileSizeLimit` up to 50 MB on free and 500 GB on paid plans (the spec's own maximum),
 * image transformations only on paid plans (a free project starts with them off). A write beyond its
 * plan answers 403, the spec's "Forbidden action", and changes nothing.
 */
import { STORAGE_CONFIG_DEFAULTS } from '../../recorded/storage-config.js';
import { hasFeature, numericLimit } from '../defaults/entitlements.js';
import { HttpError } from '../http-error.js';
import { validateBody } from '../validate.js';
import type { ProjectMeta, RouteDef, Section } from '../types.js';

const PATH = '/v1/projects/{ref}/config/storage';

export type StorageState = Record<string, unknown> & { features: Record<string, unknown> };

interface StoragePatch {
  fileSizeLimit?: number;
  features?: Record<string, { enabled: boolean } & Record<string, unknown>>;
  external?: Record<string, unknown>;
}

/** Throws 403 when the patch asks for more than the project's plan allows. */
function checkEntitlements(project: ProjectMeta, patch: StoragePatch): void {
  const maxBytes = numericLimit(project.plan, 'storage.max_file_size');
  if (patch.fileSizeLimit !== undefined && maxBytes !== undefined && patch.fileSizeLimit > maxBytes) {
    throw new HttpError(403, `fileSizeLimit cannot exceed ${maxBytes} bytes on the ${project.plan} plan`);
  }
  if (patch.features?.imageTransformation?.enabled === true && !hasFeature(project.plan, 'storage.image_transformations')) {
    throw new HttpError(403, `Image transformations are not available on the ${project.plan} plan`);
  }
}

function apply(state: StorageState, patch: StoragePatch): StorageState {
  if (patch.fileSizeLimit !== undefined) state.fileSizeLimit = patch.fileSizeLimit;
  if (patch.features) state.features = { ...state.features, ...structuredClone(patch.features) };
  if (patch.external) state.external = structuredClone(patch.external);
  return state;
}

export const storageSection: Section<StorageState> = {
  name: 'storage',
  initial(ctx) {
    const state = structuredClone(STORAGE_CONFIG_DEFAULTS) as StorageState;
    if (!hasFeature(ctx.project.plan, 'storage.image_transformations')) state.features.imageTransformation = { enabled: false };
    return state;
  },
  seed(state, value, ctx) {
    const patch = validateBody<StoragePatch>('PATCH', PATH, value);
    checkEntitlements(ctx.project, patch);
    return apply(state, patch);
  },
};

export const storageRoutes: RouteDef[] = [
  { method: 'GET', path: PATH, handle: (ctx) => ({ status: 200, body: ctx.section(storageSection) }) },
  {
    method: 'PATCH',
    path: PATH,
    handle(ctx) {
      const patch = ctx.body as StoragePatch;
      checkEntitlements(ctx.project, patch);
      apply(ctx.section(storageSection), patch);
      return { status: 200, mutated: true };
    },
  },
];
