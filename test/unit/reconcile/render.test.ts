import { describe, expect, it } from 'vitest';
import { renderJson } from '../../../src/reconcile/render/json.js';
import { MARKDOWN_LIMIT, MARKDOWN_MARKER, renderMarkdown } from '../../../src/reconcile/render/markdown.js';
import { renderText } from '../../../src/reconcile/render/text.js';
import { summarise } from '../../../src/reconcile/plan.js';
import { PLAN_FORMAT_VERSION, type Plan, type ProjectPlan } from '../../../src/reconcile/types.js';

const REF = 'abcdefghijklmnopqrst';

function planOf(projects: ProjectPlan[]): Plan {
  return { format_version: PLAN_FORMAT_VERSION, projects, summary: summarise(projects), warnings: [] };
}

const drifted = planOf([
  {
    ref: REF,
    sections: [
      {
        section: 'auth',
        mode: 'enforce',
        notes: [],
        warnings: [],
        changes: [
          { path: 'jwt_exp', action: 'update', before: 3600, after: 200000, sensitive: false, risk: { rule: 'auth.jwt_exp.too_long', key: 'auth.jwt_exp', reason: 'jwt_exp becomes 200000 s, above one day', allowed: false } },
          { path: 'smtp_pass', action: 'update', sensitive: true, beforeSet: true },
        ],
      },
      { section: 'sso', mode: 'enforce', notes: ['1 live provider not in the configuration'], warnings: [], changes: [{ path: 'providers[acme.com]', item: 'acme.com', action: 'create', after: { domains: ['acme.com'] }, sensitive: false }] },
      { section: 'pooler', mode: 'observe', notes: [], warnings: [], changes: [{ path: 'pool_mode', action: 'update', before: 'transaction', after: 'session', sensitive: false }] },
    ],
  },
]);

describe('text renderer', () => {
  it('renders Terraform-like lines and the summary', () => {
    const text = renderText(drifted);
    expect(text).toContain('~ jwt_exp: 3600 → 200000');
    expect(text).toContain('~ smtp_pass: (sensitive value)');
    expect(text).toContain('+ providers[acme.com]: {"domains":["acme.com"]}');
    expect(text).toMatch(/RISKY \(auth\.jwt_exp\.too_long\)/);
    expect(text).toContain('allow_risky: [auth.jwt_exp]');
    expect(text).toContain('pooler (observe mode');
    expect(text).toContain('Plan: 1 to create, 1 to update, 0 to delete. 1 drifted in observe mode (not applied). 1 risky change(s) not allowed.');
    expect(text).not.toContain('\u001b[');
  });

  it('colours only when asked', () => {
    expect(renderText(drifted, { color: true })).toContain('\u001b[');
  });

  it('says No changes. for a converged plan', () => {
    const text = renderText(planOf([{ ref: REF, sections: [{ section: 'auth', mode: 'enforce', changes: [], notes: [], warnings: [] }] }]));
    expect(text).toContain('No changes.');
  });
});

describe('markdown renderer', () => {
  it('has the marker, the visible summary and folded details', () => {
    const md = renderMarkdown(drifted);
    expect(md.startsWith(MARKDOWN_MARKER)).toBe(true);
    expect(md).toContain('**Plan: 1 to create, 1 to update, 0 to delete.');
    expect(md).toContain('<details><summary>abcdefghijklmnopqrst</summary>');
    expect(md).toContain('! RISKY (auth.jwt_exp.too_long)');
    expect(md).toContain('~ auth.smtp_pass: (sensitive value)');
  });

  it('cuts a huge plan below the limit with a note and balanced blocks', () => {
    const many: ProjectPlan[] = Array.from({ length: 400 }, (_, i) => ({
      ref: `p${String(i).padStart(19, 'a')}`,
      sections: [{ section: 'auth', mode: 'enforce', notes: [], warnings: [], changes: Array.from({ length: 20 }, (_, j) => ({ path: `field_${j}`, action: 'update' as const, before: 'x'.repeat(20), after: 'y'.repeat(20), sensitive: false })) }],
    }));
    const md = renderMarkdown(planOf(many));
    expect(md.length).toBeLessThanOrEqual(MARKDOWN_LIMIT);
    expect(md).toContain('The plan was cut');
    expect((md.match(/```/g) ?? []).length % 2).toBe(0);
    expect((md.match(/<details>/g) ?? []).length).toBe((md.match(/<\/details>/g) ?? []).length);
  });
});

describe('json renderer', () => {
  it('is the plan with its format version, and marks risk and sensitivity', () => {
    const parsed = JSON.parse(renderJson(drifted));
    expect(parsed.format_version).toBe(PLAN_FORMAT_VERSION);
    const [jwt, smtp] = parsed.projects[0].sections[0].changes;
    expect(jwt).toMatchObject({ path: 'jwt_exp', before: 3600, after: 200000, action: 'update', sensitive: false, risk: { allowed: false } });
    expect(smtp).toEqual({ path: 'smtp_pass', action: 'update', sensitive: true, beforeSet: true });
  });
});

describe('risk in observe mode', () => {
  it('is reported but not called refused', () => {
    const observed = planOf([
      {
        ref: REF,
        sections: [
          {
            section: 'auth',
            mode: 'observe',
            notes: [],
            warnings: [],
            changes: [{ path: 'jwt_exp', action: 'update', before: 3600, after: 200000, sensitive: false, risk: { rule: 'auth.jwt_exp.too_long', key: 'auth.jwt_exp', reason: 'r', allowed: false } }],
          },
        ],
      },
    ]);
    expect(renderText(observed)).toContain('risky (auth.jwt_exp.too_long): r (observe mode: reported, never applied)');
    expect(renderText(observed)).not.toContain('Refused');
    expect(renderMarkdown(observed)).not.toContain('refused');
  });
});
