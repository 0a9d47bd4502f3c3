/**
 * Digests of a project's effective desired state — the resolved values (after `${VAR}` and
 * `${file:…}`), section modes and `allow_risky` entries — so that the daemon can tell, after a
 * configuration reload, which projects' desired state actually changed and reconcile only those.
 * What counts as the effective state is `plan --changed-since`'s definition
 * (src/config/effective-diff.ts: sections by mode and values, and what `allow_risky` lets through,
 * key order ignored); `--changed-since` compares it in reference form (secrets as written), the
 * daemon on resolved values, hashed here at once: a digest is never printed, logged or exported.
 */
import { createHash } from 'node:crypto';
import { canonicalJson, effectiveFingerprint } from '../config/effective-diff.js';
import type { DesiredProject, DesiredSection } from '../config/types.js';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** What one section asks for (mode and values): equal exactly when its desired configuration is. */
export function desiredSectionDigest(section: Pick<DesiredSection, 'mode' | 'values'>): string {
  return sha256(canonicalJson({ mode: section.mode, values: section.values }));
}

/** What one project asks for: every section (by name), and what `allow_risky` lets through. */
export function desiredProjectDigest(project: DesiredProject): string {
  return sha256(effectiveFingerprint(project));
}
