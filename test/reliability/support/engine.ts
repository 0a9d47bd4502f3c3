/**
 * The reconcile engine in-process, as plan/apply/the daemon run it — the real loader, the real
 * client over HTTP, the real providers — against an in-process emulator. No mock anywhere: this is
 * the CLI without process start-up, for property runs that need hundreds of reconciles.
 */
import { createApiClient, type ManagedApiClient } from '../../../src/api/index.js';
import { planFleet, reconcileFleet } from '../../../src/reconcile/fleet.js';
import { loadProjects } from '../../../src/reconcile/selection.js';
import type { DesiredState } from '../../../src/config/types.js';
import type { Outcome, Planned } from '../../../src/reconcile/types.js';

export const TOKEN = 'sbp_0123456789abcdef0123456789abcdef01234567';

export function realClient(baseUrl: string): ManagedApiClient {
  // No client-side rate limit: the emulator has none either, and the runs are many.
  return createApiClient({ baseUrl, token: TOKEN, limiter: false });
}

export interface Reconcile {
  desired: DesiredState;
  planned: Planned;
  outcome: Outcome;
}

export async function load(dir: string): Promise<DesiredState> {
  return loadProjects({ config: [dir] });
}

export async function plan(desired: DesiredState, client: ManagedApiClient, allowRisky: boolean): Promise<Planned> {
  return planFleet(desired.projects, { client, allowRisky, warnings: desired.warnings });
}

/** Every project reconciled on its own (read → plan → apply → verify), as `apply --yes` and the daemon do. */
export async function reconcile(desired: DesiredState, client: ManagedApiClient, allowRisky: boolean): Promise<Reconcile> {
  const { planned, outcome } = await reconcileFleet(desired.projects, { client, allowRisky, warnings: desired.warnings });
  return { desired, planned, outcome };
}
