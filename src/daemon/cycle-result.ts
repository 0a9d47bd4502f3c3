/**
 * What one cycle amounted to, as the `result` label of `supasync_cycles_total`, the summary log line
 * and readiness see it. A configuration or authentication failure is named apart from other errors
 * because retrying cannot fix it: readiness turns to 503 until someone does.
 *
 * Two wordings: `reason` (project refs and the problems' messages, which may quote the API's own
 * error text) goes to the log, the operator's; `summary` (codes, statuses and counts only) is all
 * the unauthenticated /readyz may show.
 */
import { ApiError, ConfigError, SupasyncError } from '../errors.js';
import type { Outcome, Problem } from '../reconcile/types.js';

export type CycleResult = 'ok' | 'refused' | 'error' | 'auth_error' | 'config_error';

export interface CycleVerdict {
  result: CycleResult;
  /** For anything but `ok`: which projects, and why, for the log (may quote the API's error text). */
  reason?: string;
  /** For anything but `ok`: result codes, statuses and counts only, for /readyz. */
  summary?: string;
}

/** An error code as we define them (E_API_STATUS...); anything else is not shown. */
const safeCode = (code: string): string => (/^E_[A-Z0-9_]{1,40}$/.test(code) ? code : 'E_UNKNOWN');

/** `2 project(s) failed: E_API_STATUS 401 (2)`: each code (and status) with how many projects had it. */
function summarize(items: Array<{ ref: string; problem: Problem }>): string {
  const byKind = new Map<string, Set<string>>();
  for (const { ref, problem } of items) {
    const key = `${safeCode(problem.code)}${Number.isInteger(problem.status) ? ` ${problem.status}` : ''}`;
    byKind.set(key, (byKind.get(key) ?? new Set()).add(ref));
  }
  const projects = new Set(items.map((i) => i.ref)).size;
  return `${projects} project(s) failed: ${[...byKind].map(([key, refs]) => `${key} (${refs.size})`).join(', ')}`;
}

/** The summary of a cycle that failed before planning (see `verdictForError` in daemon.ts). */
export function errorSummary(err: unknown): string {
  if (err instanceof ConfigError) return `configuration invalid: ${err.issues.length} error(s) (E_CONFIG)`;
  if (err instanceof ApiError) return `${safeCode(err.code)}${err.status === undefined ? '' : ` ${err.status}`}`;
  if (err instanceof SupasyncError) return safeCode(err.code);
  return 'E_INTERNAL';
}

function problemsOf(outcome: Outcome): Array<{ ref: string; problem: Problem }> {
  const found: Array<{ ref: string; problem: Problem }> = [];
  for (const p of outcome.projects) {
    if (p.error) found.push({ ref: p.ref, problem: p.error });
    for (const s of p.sections) if (s.error && s.error !== p.error) found.push({ ref: p.ref, problem: s.error });
  }
  return found;
}

const describe = (items: Array<{ ref: string; problem: Problem }>): string =>
  [...new Map(items.map((i) => [`${i.ref}: ${i.problem.message}`, true])).keys()].join('; ');

export function classifyOutcome(outcome: Outcome): CycleVerdict {
  const problems = problemsOf(outcome);
  const config = problems.filter((p) => p.problem.kind === 'config');
  if (config.length) return { result: 'config_error', reason: describe(config), summary: summarize(config) };
  const auth = problems.filter((p) => p.problem.kind === 'auth');
  if (auth.length) return { result: 'auth_error', reason: describe(auth), summary: summarize(auth) };
  if (problems.length) return { result: 'error', reason: describe(problems), summary: summarize(problems) };
  const refused = outcome.projects.filter((p) => p.status === 'refused').map((p) => p.ref);
  if (refused.length) {
    return { result: 'refused', reason: `risky changes not allowed in ${refused.join(', ')}`, summary: `${refused.length} project(s) refused` };
  }
  return { result: 'ok' };
}
