/**
 * The origin of a change: where the desired value it comes from was set, and through which
 * templates. Recorded for projects built from templates, where "which file holds this?" is a real
 * question; a project without templates has its values in its own documents.
 */
import type { DesiredProject, DesiredSection } from '../config/types.js';
import type { AnyProvider } from '../providers/types.js';
import type { SensitiveText } from '../redact.js';
import type { Change, ChangeOrigin } from './types.js';

export function changeOrigin(project: DesiredProject, section: DesiredSection, provider: AnyProvider, change: Change): ChangeOrigin | undefined {
  if (!project.templates?.length || !section.origin) return undefined;
  const path = provider.desiredPath?.(change) ?? [change.path.split(/[.[]/, 1)[0] ?? change.path];
  const origin = section.origin(path) ?? section.origin([]);
  if (!origin) return undefined;
  const { file, line, col } = origin.location;
  return { file, line, col, ...(origin.template ? { template: origin.template } : {}), ...(origin.via ? { via: [...origin.via] } : {}) };
}

/** The origin as a plan may hold it: names are the user's, and redacted like any text. */
export function publicOrigin(origin: ChangeOrigin, sensitive: SensitiveText): ChangeOrigin {
  const out: ChangeOrigin = { ...origin, file: sensitive.redact(origin.file) };
  if (out.template !== undefined) out.template = sensitive.redact(out.template);
  if (out.via) out.via = out.via.map((t) => sensitive.redact(t));
  return out;
}
