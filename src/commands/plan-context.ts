/**
 * What a plan says about when and from what it was made — the commit of the configuration and the
 * time the live state was read — taken here, at the edge, and passed into the plan as data: the
 * plan itself stays a pure function of its inputs.
 */

/** A git object name, abbreviated or whole (SHA-1 or SHA-256). */
const COMMIT = /^[0-9a-f]{7,64}$/i;

export const isCommit = (text: string): boolean => COMMIT.test(text);

/**
 * The commit: `--commit`, else the CI's own variable — GITHUB_SHA (on a `pull_request` event, the
 * merge commit the checkout holds), CI_COMMIT_SHA (GitLab). A variable that holds no SHA is ignored.
 */
export function commitOf(flag: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  if (flag !== undefined) return flag.toLowerCase();
  for (const name of ['GITHUB_SHA', 'CI_COMMIT_SHA']) {
    const value = env[name]?.trim();
    if (value && isCommit(value)) return value.toLowerCase();
  }
  return undefined;
}

/** Now, to the second, in UTC; SOURCE_DATE_EPOCH (seconds) instead when set, for reproducible output. */
export function plannedAt(env: NodeJS.ProcessEnv, now: number = Date.now()): string {
  const epoch = env.SOURCE_DATE_EPOCH?.trim();
  const ms = epoch && /^\d{1,12}$/.test(epoch) ? Number(epoch) * 1000 : now;
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
