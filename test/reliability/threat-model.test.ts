/**
 * The threat model section of docs/reliability.md (issue 13): who controls what, what each can and
 * cannot make supasync do, and which tests prove each claim — every test named must exist.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { writeReportSection, table } from './support/report.js';
import { ACTORS, ISSUE_13 } from './support/threat-model.js';

const named = [...new Set([...ACTORS.flatMap((a) => a.cannot.flatMap((c) => c.proof)), ...ISSUE_13.flatMap(([, , proof]) => proof)])];
const exists = (path: string) => existsSync(join(ROOT, path));
const link = (path: string) => `[\`${path}\`](../${path})`;

describe('threat model', () => {
  it('every claim is proven by a test file that exists', async () => {
    for (const actor of ACTORS) {
      expect(actor.cannot.length, actor.who).toBeGreaterThan(0);
      for (const c of actor.cannot) expect(c.proof.length, c.claim).toBeGreaterThan(0);
    }
    expect(named.filter((p) => !exists(p))).toEqual([]);

    const parts: string[] = [
      'Configuration arrives through pull requests, and the plan of a pull request is published as a comment: the YAML is',
      'untrusted input. Each claim below names the tests that prove it (run by `npm test`).',
    ];
    for (const a of ACTORS) {
      parts.push('', `### ${a.who}`, '', `- **Controls:** ${a.controls}.`, `- **Does not control:** ${a.doesNotControl}.`, `- **Can:** ${a.can}.`, '', table(['cannot', 'proven by'], a.cannot.map((c) => [c.claim, c.proof.map(link).join(', ')])));
      if (a.limits?.length) parts.push('', ...a.limits.map((l) => `Accepted: ${l}`));
    }
    parts.push('', '### Issue 13, item by item', '', table(['item', 'fixed', 'regression tests'], ISSUE_13.map(([item, what, proof]) => [item, what, proof.map(link).join(', ')])));
    await writeReportSection('threat-model', parts.join('\n'));
  });
});
