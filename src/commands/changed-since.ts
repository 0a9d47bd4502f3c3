/**
 * `plan --changed-since REV`: which projects to plan. The configuration is loaded again as it is at
 * REV (from git objects, through the same loader, resolving no `${VAR}` or `${file:...}`); projects
 * whose effective desired state is the same there are skipped, those new or changed are planned,
 * and those gone are reported as no longer managed.
 */
import { compareFleets } from '../config/effective-diff.js';
import type { GitRevision } from '../config/git-revision.js';
import { loadReferenceForms } from '../config/load.js';
import { referenceForms, type ReferenceForms } from '../config/reference-forms.js';
import type { DesiredProject, DesiredState, DocumentCache } from '../config/types.js';
import { ConfigError, formatIssue } from '../errors.js';
import type { PartialPlan } from '../reconcile/types.js';

export interface ChangedSelection {
  projects: DesiredProject[];
  partial: PartialPlan;
  warnings: string[];
}

const short = (commit: string) => commit.slice(0, 12);

/**
 * `git` is the revision opened on the same paths (./git-revision.ts); `head` must be loaded with
 * `referenceForms` (and, to spare parsing the files that did not change, the `documentCache` it
 * filled); `selected` are the projects --project kept (all by default).
 */
export async function selectChanged(
  configPaths: readonly string[],
  git: GitRevision,
  head: DesiredState,
  selected: readonly DesiredProject[],
  documentCache?: DocumentCache,
): Promise<ChangedSelection> {
  const { revision } = git;
  let base: ReferenceForms | undefined;
  const warnings: string[] = [];
  try {
    const present: string[] = [];
    for (const path of configPaths) if (await git.has(path)) present.push(path);
    base = present.length ? await loadReferenceForms(present, { fs: git.fs, documentCache }) : referenceForms(new Map());
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    const n = err.issues.length;
    warnings.push(
      `the configuration at ${revision} (${short(git.commit)}) does not load (${n} problem${n === 1 ? '' : 's'}, first: ${formatIssue(err.issues[0]!)}); every project is planned`,
    );
  }
  const comparison = base && head.references ? compareFleets(base, head.references) : undefined;
  const planned = comparison ? new Set([...comparison.added, ...comparison.changed]) : undefined;
  const projects = planned ? selected.filter((p) => planned.has(p.ref)) : [...selected];
  return {
    projects,
    partial: {
      changed_since: revision,
      commit: git.commit,
      unchanged: selected.length - projects.length,
      no_longer_managed: comparison?.removed ?? [],
    },
    warnings,
  };
}
