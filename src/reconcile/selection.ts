/**
 * What plan, apply and the daemon reconcile: the configuration, loaded and checked before any
 * request, narrowed to the projects `--project` names.
 */
import { loadDesiredState } from '../config/load.js';
import type { DesiredState, LoadOptions } from '../config/types.js';
import { UsageError } from '../errors.js';
import { redactLogLines } from '../log.js';

export interface ConfigOptions {
  config: string[];
  secretsDir?: string[];
  project?: string[];
}

/** Loads the configuration and keeps the projects `--project` names (all when none). */
export async function loadProjects(opts: ConfigOptions, load: Pick<LoadOptions, 'referenceForms' | 'documentCache'> = {}): Promise<DesiredState> {
  const desired = await loadDesiredState(opts.config, { secretsDirs: opts.secretsDir ?? [], ...load });
  // Every log line of the process is scrubbed of the configuration's secrets from now on.
  redactLogLines(desired.sensitive);
  if (!opts.project?.length) return desired;
  const known = new Set(desired.projects.map((p) => p.ref));
  const unknown = opts.project.filter((ref) => !known.has(ref));
  if (unknown.length) {
    throw new UsageError(
      `--project ${unknown.join(', ')}: not in the configuration (it has: ${[...known].join(', ') || 'no projects'})`,
    );
  }
  const wanted = new Set(opts.project);
  return { ...desired, projects: desired.projects.filter((p) => wanted.has(p.ref)) };
}
