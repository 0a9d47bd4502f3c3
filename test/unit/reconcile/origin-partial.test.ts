/**
 * Changes carry their origin for projects built from templates (issue 14), and partial plans
 * (`--changed-since`) say so: the pure plan and the three renderers.
 */
import { describe, expect, it } from 'vitest';
import { providers, riskRules } from '../../../src/providers/index.js';
import { plan, summarise } from '../../../src/reconcile/plan.js';
import { renderJson } from '../../../src/reconcile/render/json.js';
import { renderMarkdown } from '../../../src/reconcile/render/markdown.js';
import { renderText } from '../../../src/reconcile/render/text.js';
import { PLAN_FORMAT_VERSION, type Plan, type ProjectPlan } from '../../../src/reconcile/types.js';
import type { DesiredSection, ValueOrigin } from '../../../src/config/types.js';
import { REF, project, section } from '../../helpers/desired.js';

const fromTemplate: ValueOrigin = { location: { file: 'templates/base.yaml', line: 4, col: 3 }, template: 'base', via: ['prod'] };

function templated(s: DesiredSection, origins: Record<string, ValueOrigin>): DesiredSection {
  return { ...s, origin: (path) => origins[String(path[0])] };
}

describe('change origins', () => {
  const live = new Map([[REF, new Map([['auth', { ok: true as const, value: { jwt_exp: 3600, site_url: 'https://old' } }], ['secrets', { ok: true as const, value: new Map([['OLD', 'x']]) }]])]]);

  it('are recorded for a project that extends templates, from the desired key the change comes from', () => {
    const own: ValueOrigin = { location: { file: 'projects/a.yaml', line: 5, col: 3 } };
    const p = {
      ...project(REF, [
        templated(section('auth', { jwt_exp: 200000, site_url: 'https://new' }), { jwt_exp: fromTemplate, site_url: own }),
        templated(section('secrets', { values: { NEW: 'v' }, prune: true }), { values: own, prune: fromTemplate }),
      ]),
      templates: ['base', 'prod'],
    };
    const { plan: result } = plan([p], live, { providers, riskRules });
    const changes = result.projects[0]!.sections.flatMap((s) => s.changes.map((c) => [s.section, c.path, c.origin]));
    expect(changes).toEqual([
      ['auth', 'jwt_exp', { file: 'templates/base.yaml', line: 4, col: 3, template: 'base', via: ['prod'] }],
      ['auth', 'site_url', { file: 'projects/a.yaml', line: 5, col: 3 }],
      ['secrets', 'NEW', { file: 'projects/a.yaml', line: 5, col: 3 }],
      ['secrets', 'OLD', { file: 'templates/base.yaml', line: 4, col: 3, template: 'base', via: ['prod'] }],
    ]);
    // The risky change says where it came from, and is still refused.
    const jwt = result.projects[0]!.sections[0]!.changes[0]!;
    expect(jwt.risk?.allowed).toBe(false);
  });

  it('are absent for a project without templates (its plan is what it always was)', () => {
    const p = project(REF, [templated(section('auth', { jwt_exp: 7200 }), { jwt_exp: fromTemplate })]);
    const { plan: result } = plan([p], live, { providers, riskRules });
    expect(result.projects[0]!.sections[0]!.changes).toEqual([{ path: 'jwt_exp', action: 'update', before: 3600, after: 7200, sensitive: false }]);
  });
});

const projects: ProjectPlan[] = [
  {
    ref: REF,
    sections: [
      {
        section: 'auth',
        mode: 'enforce',
        notes: [],
        warnings: [],
        changes: [
          {
            path: 'jwt_exp',
            action: 'update',
            before: 3600,
            after: 200000,
            sensitive: false,
            risk: { rule: 'auth.jwt_exp.too_long', key: 'auth.jwt_exp', reason: 'above one day', allowed: false },
            origin: { file: 'templates/base.yaml', line: 4, col: 3, template: 'base', via: ['prod'] },
          },
        ],
      },
    ],
  },
];
const partialPlan: Plan = {
  format_version: PLAN_FORMAT_VERSION,
  projects,
  summary: summarise(projects),
  warnings: [],
  partial: { changed_since: 'origin/main', commit: '0123456789abcdef0123456789abcdef01234567', unchanged: 499, no_longer_managed: ['zzzzzzzzzzzzzzzzzzzz'] },
};

describe('renderers', () => {
  it('text: the origin under the change, and what the partial plan covers', () => {
    const text = renderText(partialPlan);
    expect(text).toContain('        from templates/base.yaml:4:3 (template base via prod)\n');
    expect(text).toContain('Partial plan: only projects whose configuration changed since origin/main (0123456789ab): 1 project planned, 499 projects unchanged (skipped).');
    expect(text).toContain('No longer managed (gone from the configuration; nothing is deleted): zzzzzzzzzzzzzzzzzzzz.');
  });

  it('markdown: the origin in the diff block, and a note on the partial plan', () => {
    const md = renderMarkdown(partialPlan);
    expect(md).toContain('#     ⛔ RISKY (auth.jwt_exp.too_long)');
    expect(md).toContain('#     from templates/base.yaml:4:3 (template base via prod)');
    expect(md).toContain('> [!NOTE]\n> Partial plan: only projects whose configuration changed since origin/main');
    expect(md).toContain('> No longer managed (gone from the configuration; nothing is deleted): zzzzzzzzzzzzzzzzzzzz.');
  });

  it('json: an origin field on the change and a partial field on the plan', () => {
    const json = JSON.parse(renderJson(partialPlan));
    expect(json.projects[0].sections[0].changes[0].origin).toEqual({ file: 'templates/base.yaml', line: 4, col: 3, template: 'base', via: ['prod'] });
    expect(json.partial).toEqual(partialPlan.partial);
  });
});
