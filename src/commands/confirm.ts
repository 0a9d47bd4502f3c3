/**
 * Asks on the terminal before writing; never defaults to yes, and asks only when something can be
 * applied. The question is written to the terminal itself (/dev/tty), else to stderr — never to
 * stdout, which may be a pipe (`apply | tail` would otherwise wait on a question nobody sees).
 */
import { openSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { WriteStream } from 'node:tty';
import { ConfirmationDeclined } from '../errors.js';
import { refusedIn } from '../reconcile/guardrails.js';
import type { Planned } from '../reconcile/types.js';

/** Projects apply would write to: planned writes in a project that holds no refused change. */
export function applicableProjects(planned: Planned): string[] {
  return [...planned.writes.keys()].filter((ref) => {
    const project = planned.plan.projects.find((p) => p.ref === ref);
    return project !== undefined && !project.error && !project.sections.some((s) => refusedIn(s).length > 0);
  });
}

/** Why nothing can be applied although the plan has changes, or undefined when something can (or there is nothing at all). */
export function nothingApplicable(planned: Planned): string | undefined {
  if (applicableProjects(planned).length) return undefined;
  const { summary } = planned.plan;
  const refused = summary.refused > 0;
  const failed = summary.projects_failed > 0;
  if (!refused && !failed) return undefined;
  const reasons = [
    ...(refused ? [`every project with changes holds a risky change that is not allowed (allow it with allow_risky, or --allow-risky)`] : []),
    ...(failed ? [`${summary.projects_failed === summary.projects ? 'no project' : `${summary.projects_failed} of ${summary.projects} projects`} could be planned`] : []),
  ];
  return `Nothing to apply: ${reasons.join('; ')}. Nothing was written and no confirmation is asked.`;
}

/** The terminal to ask on, for writing; undefined when it cannot be opened (no controlling terminal). */
function openTerminal(): WriteStream | undefined {
  try {
    return new WriteStream(openSync('/dev/tty', 'w'));
  } catch {
    return undefined;
  }
}

/**
 * With something to apply and no --yes: asks "yes" on the terminal. Without a terminal to read the
 * answer from, refuses (exit 4). `planText` is shown again on the terminal when stdout is not one
 * (piped or redirected), so that what is approved is in view.
 */
export async function confirmApply(yes: boolean | undefined, planText?: string): Promise<void> {
  if (yes) return;
  if (!process.stdin.isTTY) {
    throw new ConfirmationDeclined('refusing to apply without confirmation: there is no terminal to ask on (pass --yes)');
  }
  const terminal = openTerminal();
  const output = terminal ?? process.stderr;
  if (planText && !process.stdout.isTTY) output.write(planText);
  const rl = createInterface({ input: process.stdin, output });
  try {
    const answer = await rl.question('\nDo you want to apply these changes? Only "yes" will be accepted: ');
    if (answer.trim() !== 'yes') throw new ConfirmationDeclined('apply cancelled: the answer was not "yes"');
  } finally {
    rl.close();
    terminal?.destroy();
  }
}
