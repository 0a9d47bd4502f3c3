/** Issue 17 item 5: one unit (the change) for every count, and what failed said in words. */
import { describe, expect, it } from 'vitest';
import { projectStatus, summarise, summariseProject } from '../../../src/reconcile/summary.js';
import type { Change, ProjectPlan, SectionPlan } from '../../../src/reconcile/types.js';

const change = (action: Change['action'], more: Partial<Change> = {}): Change => ({ path: `p_${action}`, action, sensitive: false, ...more });
const refused: Partial<Change> = { risk: { rule: 'r', key: 'k', reason: 'x', allowed: false } };
const section = (name: string, changes: Change[], more: Partial<SectionPlan> = {}): SectionPlan => ({ section: name, mode: 'enforce', changes, notes: [], warnings: [], ...more });
const REF = 'abcdefghijklmnopqrst';

describe('summary', () => {
  it('counts changes by action; the lines of one SSO provider are one change each', () => {
    const project: ProjectPlan = {
      ref: REF,
      sections: [
        section('auth', [change('update'), change('update', refused)]),
        section('sso', [
          change('update', { path: 'providers[a].domains', item: 'a' }),
          change('update', { path: 'providers[a].metadata_url', item: 'a' }),
          change('create', { path: 'providers[b]', item: 'b' }),
        ]),
        section('secrets', [change('delete', refused)]),
        section('pooler', [change('update')], { mode: 'observe' }),
      ],
    };
    expect(summariseProject(project)).toEqual({ create: 1, update: 4, delete: 1, refused: 2, observed: 1, not_applied: 0, sections_failed: 0 });
    expect(projectStatus(project)).toBe('refused');
  });

  it('a project that could not be planned: its changes are not applied, its failed sections counted', () => {
    const error = { kind: 'api' as const, code: 'E', message: 'm' };
    const project: ProjectPlan = { ref: REF, error, sections: [section('auth', [change('update', refused)]), section('sso', [], { error }), section('pooler', [change('update')], { mode: 'observe' })] };
    expect(summariseProject(project)).toEqual({ create: 0, update: 0, delete: 0, refused: 0, observed: 1, not_applied: 1, sections_failed: 1 });
    expect(projectStatus(project)).toBe('failed');
  });

  it('statuses: pending, observed, no changes', () => {
    expect(projectStatus({ ref: REF, sections: [section('auth', [change('create')])] })).toBe('pending');
    expect(projectStatus({ ref: REF, sections: [section('auth', [change('update')], { mode: 'observe' })] })).toBe('observed');
    expect(projectStatus({ ref: REF, sections: [section('auth', [], { notes: ['n'] })] })).toBe('no_changes');
  });

  it("the plan's counts are its projects' added up", () => {
    const error = { kind: 'api' as const, code: 'E', message: 'm' };
    const projects: ProjectPlan[] = [
      { ref: REF, sections: [section('auth', [change('update'), change('delete')])] },
      { ref: 'zyxwvutsrqponmlkjihg', error, sections: [section('auth', [change('update')]), section('sso', [], { error })] },
    ];
    expect(summarise(projects)).toEqual({ create: 0, update: 1, delete: 1, refused: 0, observed: 0, not_applied: 1, projects: 2, projects_failed: 1, sections_failed: 1 });
  });
});
