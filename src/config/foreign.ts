/**
 * Recognises YAML documents that belong to other tools (Kubernetes manifests, GitHub Actions
 * workflows) so that a directory mixing them gets one helpful message instead of a dozen
 * "unknown key" errors.
 */
const SIGNATURES: ReadonlyArray<{ what: string; keys: readonly string[] }> = [
  { what: 'a Kubernetes manifest', keys: ['apiVersion', 'kind'] },
  { what: 'a GitHub Actions workflow', keys: ['jobs', 'on'] },
  { what: 'a Docker Compose file', keys: ['services'] },
];

/** A message for a document that is clearly not supasync configuration, else undefined. */
export function foreignDocument(value: unknown): string | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value) || Object.hasOwn(value, 'project') || Object.hasOwn(value, 'template')) {
    return undefined;
  }
  const hit = SIGNATURES.find((s) => s.keys.every((k) => Object.hasOwn(value, k)));
  return hit && `not a supasync document (it looks like ${hit.what}); list its path in a .supasyncignore file to skip it`;
}
