/**
 * A 401 means the API did not accept the token: every request with it fails the same way, so the
 * run reports it once, as one error that says to check the token, rather than once per section of
 * every project (the client stops sending after the first 401: `stopAfterUnauthorized`).
 */
import { TokenRejected } from '../errors.js';
import type { Outcome, Plan, Problem } from '../reconcile/types.js';

/** Where the token came from, as the user set it. */
export const tokenSource = (tokenFile: string | undefined): string => (tokenFile === undefined ? 'SUPABASE_ACCESS_TOKEN' : `the token file ${tokenFile}`);

export function tokenRejected(problem: Pick<Problem, 'message'>, tokenFile: string | undefined): TokenRejected {
  // The API's own words (already scrubbed of the token) after the status, e.g. "Unauthorized".
  const marker = 'failed 401: ';
  const at = problem.message.indexOf(marker);
  const said = at < 0 ? undefined : problem.message.slice(at + marker.length) || undefined;
  return new TokenRejected(
    `the API did not accept the access token (401${said ? ` ${said}` : ''}): check the token in ${tokenSource(tokenFile)} — is it expired, revoked, or for another account?`,
  );
}

/** The first 401 in a plan or an apply's outcome, as the one error of the run; undefined when there is none. */
export function tokenRejectionIn(result: Plan | Outcome, tokenFile: string | undefined): TokenRejected | undefined {
  for (const project of result.projects) {
    const problem = [project.error, ...project.sections.map((s) => s.error)].find((p) => p?.kind === 'auth');
    if (problem) return tokenRejected(problem, tokenFile);
  }
  return undefined;
}
