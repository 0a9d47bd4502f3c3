/** A check finding's message as checks.ts words it, for a path that is sensitive (`hidden`) or not. */
import type { CheckFinding, Quote } from '../../../src/providers/types.js';

export function messageOf(finding: CheckFinding, hidden = false): string {
  if (typeof finding.message === 'string') return finding.message;
  const quote: Quote = Object.assign((v: unknown) => (hidden ? 'the value' : `"${String(v)}"`), { hidden });
  return finding.message(quote);
}
