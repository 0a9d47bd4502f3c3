/**
 * Reads the live state of managed sections (the I/O edge before the pure plan): one project's
 * sections concurrently (`readProject`, what the per-project reconcile uses), or many projects at
 * once (`readLive`). The client's limiter bounds what actually goes on the wire.
 */
import type { ApiClient } from '../api/types.js';
import type { DesiredProject } from '../config/types.js';
import type { AnyProvider } from '../providers/types.js';
import { toProblem } from './problem.js';
import type { Problem } from './types.js';

export type LiveSection = { ok: true; value: unknown } | { ok: false; error: Problem };
/** ref → section → what the read gave. */
export type LiveState = Map<string, Map<string, LiveSection>>;

export async function readSection(provider: AnyProvider, client: ApiClient, ref: string): Promise<LiveSection> {
  try {
    return { ok: true, value: await provider.read(client, ref) };
  } catch (err) {
    return { ok: false, error: toProblem(err) };
  }
}

/** Every managed section of one project, read concurrently: section → what the read gave. */
export async function readProject(
  project: DesiredProject,
  providers: ReadonlyMap<string, AnyProvider>,
  client: ApiClient,
): Promise<Map<string, LiveSection>> {
  const sections = new Map<string, LiveSection>();
  await Promise.all(
    [...project.sections.keys()].map(async (name) => {
      const provider = providers.get(name);
      if (provider) sections.set(name, await readSection(provider, client, project.ref));
    }),
  );
  return sections;
}

export async function readLive(
  projects: readonly DesiredProject[],
  providers: ReadonlyMap<string, AnyProvider>,
  client: ApiClient,
): Promise<LiveState> {
  const live: LiveState = new Map();
  await Promise.all(
    projects.map(async (project) => {
      live.set(project.ref, await readProject(project, providers, client));
    }),
  );
  return live;
}
