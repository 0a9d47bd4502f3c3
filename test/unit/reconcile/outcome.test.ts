/** The report after apply counts in the plan's unit: changes applied, then projects by what became of them. */
import { describe, expect, it } from 'vitest';
import { renderOutcome } from '../../../src/reconcile/outcome.js';
import type { Outcome, SectionOutcome } from '../../../src/reconcile/types.js';

const section = (name: string, status: SectionOutcome['status'], changes: number, more: Partial<SectionOutcome> = {}): SectionOutcome => ({
  section: name,
  status,
  changes,
  requests: status === 'applied' ? 1 : 0,
  warnings: [],
  ...more,
});

describe('renderOutcome', () => {
  it('one line per project, then changes applied and projects by outcome', () => {
    const outcome: Outcome = {
      projects: [
        { ref: 'aaaaaaaaaaaaaaaaaaaa', status: 'changed', sections: [section('auth', 'applied', 3, { warnings: ['site_url was not taken by the API: it still differs after apply'] }), section('secrets', 'applied', 1), section('pooler', 'unchanged', 0)] },
        { ref: 'bbbbbbbbbbbbbbbbbbbb', status: 'refused', sections: [section('auth', 'refused', 2), section('secrets', 'skipped', 1)] },
        { ref: 'cccccccccccccccccccc', status: 'drift', sections: [section('pooler', 'drift', 1)] },
        { ref: 'dddddddddddddddddddd', status: 'error', sections: [section('sso', 'error', 0, { error: { kind: 'api', code: 'E', message: 'GET … failed 500' } })] },
        { ref: 'eeeeeeeeeeeeeeeeeeee', status: 'unchanged', sections: [section('auth', 'unchanged', 0)] },
      ],
    };
    expect(renderOutcome(outcome)).toBe(
      [
        'aaaaaaaaaaaaaaaaaaaa: changed — auth: 3 changes applied; secrets: 1 change applied',
        '  warning (auth): site_url was not taken by the API: it still differs after apply',
        'bbbbbbbbbbbbbbbbbbbb: refused: risky changes not allowed, nothing written — auth: refused; secrets: 1 change not applied',
        'cccccccccccccccccccc: drift reported (observe mode) — pooler: 1 change drifted (observe mode: not applied)',
        'dddddddddddddddddddd: failed — sso: failed (GET … failed 500)',
        'eeeeeeeeeeeeeeeeeeee: no changes',
        'Apply complete: 4 changes applied to 1 project. Projects: 1 changed, 1 unchanged, 1 drifted (observe mode), 1 refused, 1 failed.',
        '',
      ].join('\n'),
    );
  });
});
