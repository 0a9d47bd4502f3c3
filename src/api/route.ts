/**
 * A path's route: the project ref and ids replaced by placeholders, so that metrics keep a small,
 * fixed set of label values (`/v1/projects/{ref}/config/auth`) whatever the number of projects.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function routeOf(path: string): string {
  const segments = (path.split(/[?#]/)[0] ?? '').split('/');
  return segments
    .map((seg, i) => (segments[i - 1] === 'projects' && seg ? '{ref}' : UUID.test(seg) ? '{id}' : seg))
    .join('/');
}

/** The path without its query string or fragment: what errors and logs may show. */
export function pathOnly(path: string): string {
  return path.split(/[?#]/)[0] ?? '';
}
