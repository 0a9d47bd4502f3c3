/**
 * Digests of a project's effective desired state — the resolved values (after `${VAR}` and
 * `${file:…}`), section modes and `allow_risky` entries — so that the daemon can tell, after a
 * configuration reload, which projects' desired state actually changed and reconcile only those.
 * Values are hashed in memory and compared; a digest is never printed, logged or exported (it is a
 * hash of values that may be secret). `plan --changed-since` compares configuration *references*
 * instead; this is the daemon's "did what this project asks for change?".
 */
import { createHash, type Hash } from 'node:crypto';
import type { DesiredProject, DesiredSection } from '../config/types.js';

/** JSON with object keys sorted, so that key order in a file never counts as a change. */
function updateStable(hash: Hash, value: unknown): void {
  if (Array.isArray(value)) {
    hash.update('[');
    for (const item of value) {
      updateStable(hash, item);
      hash.update(',');
    }
    hash.update(']');
  } else if (value !== null && typeof value === 'object') {
    hash.update('{');
    for (const key of Object.keys(value).sort()) {
      hash.update(JSON.stringify(key));
      hash.update(':');
      updateStable(hash, (value as Record<string, unknown>)[key]);
      hash.update(',');
    }
    hash.update('}');
  } else {
    hash.update(value === undefined ? 'undefined' : JSON.stringify(value));
  }
}

/** What one section asks for (mode and values): equal exactly when its desired configuration is. */
export function desiredSectionDigest(section: Pick<DesiredSection, 'mode' | 'values'>): string {
  const hash = createHash('sha256');
  updateStable(hash, { mode: section.mode, values: section.values });
  return hash.digest('hex');
}

/** What one project asks for: every section (by name), and what `allow_risky` lets through. */
export function desiredProjectDigest(project: Pick<DesiredProject, 'sections' | 'allowRisky'>): string {
  const hash = createHash('sha256');
  for (const name of [...project.sections.keys()].sort()) {
    hash.update(`${JSON.stringify(name)}=`);
    hash.update(desiredSectionDigest(project.sections.get(name)!));
    hash.update(';');
  }
  hash.update(`allow_risky=${JSON.stringify(project.allowRisky.map((e) => e.key).sort())}`);
  return hash.digest('hex');
}
