/**
 * What one cycle amounted to, as the `result` label of `supasync_cycles_total`, the summary log line
 * and readiness see it. A configuration or authentication failure is named apart from other errors
 * because retrying cannot fix it: readiness turns to 503 until someone does.
 */
import type { Outcome, Problem } from '../reconcile/types.js';

export type CycleResult = 'ok' | 'refused' | 'error' | 'auth_error' | 'config_error';

export interface CycleVerdict {
  result: CycleResult;
  /** For anything but `ok`: which projects, and why (no secret: Problem messages never hold one). */
  reason?: string;
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
  if (config.length) return { result: 'config_error', reason: describe(config) };
  const auth = problems.filter((p) => p.problem.kind === 'auth');
  if (auth.length) return { result: 'auth_error', reason: describe(auth) };
  if (problems.length) return { result: 'error', reason: describe(problems) };
  const refused = outcome.projects.filter((p) => p.status === 'refused').map((p) => p.ref);
  if (refused.length) return { result: 'refused', reason: `risky changes not allowed in ${refused.join(', ')}` };
  return { result: 'ok' };
}
