import { describe, expect, it } from 'vitest';
import { renderJson } from '../../../src/reconcile/render/json.js';
import { MARKDOWN_LIMIT, MARKDOWN_MARKER, renderMarkdown } from '../../../src/reconcile/render/markdown.js';
import { renderText } from '../../../src/reconcile/render/text.js';
import { summarise } from '../../../src/reconcile/plan.js';
import { PLAN_FORMAT_VERSION, type Change, type Plan, type ProjectPlan, type SectionPlan } from '../../../src/reconcile/types.js';

const REF = 'abcdefghijklmnopqrst';
const OTHER = 'zyxwvutsrqponmlkjihg';
const SHA = '0123456789abcdef0123456789abcdef01234567';

function planOf(projects: ProjectPlan[], extra: Partial<Plan> = {}): Plan {
  return { format_version: PLAN_FORMAT_VERSION, projects, summary: summarise(projects), warnings: [], ...extra };
}

const sectionOf = (section: string, changes: Change[], more: Partial<SectionPlan> = {}): SectionPlan => ({
  section,
  mode: 'enforce',
  changes,
  notes: [],
  warnings: [],
  ...more,
});

const jwtRisky: Change = {
  path: 'jwt_exp',
  action: 'update',
  before: 3600,
  after: 200000,
  sensitive: false,
  risk: { rule: 'auth.jwt_exp.too_long', key: 'auth.jwt_exp', reason: 'jwt_exp becomes 200000 s, above one day', allowed: false },
};

const drifted = planOf([
  {
    ref: REF,
    sections: [
      sectionOf('auth', [jwtRisky, { path: 'smtp_pass', action: 'update', sensitive: true, beforeSet: true }]),
      sectionOf('sso', [{ path: 'providers[acme.com]', item: 'acme.com', action: 'create', after: { domains: ['acme.com'] }, sensitive: false }], {
        notes: ['1 live provider not in the configuration'],
      }),
      sectionOf('pooler', [{ path: 'pool_mode', action: 'update', before: 'transaction', after: 'session', sensitive: false }], { mode: 'observe' }),
    ],
  },
]);

const TEMPLATE_BEFORE = '<h2>You are invited</h2>\n<p>Hello,</p>\n<p>Follow this link to accept the invite:</p>\n<p><a href="{{ .ConfirmationURL }}">Accept</a></p>\n';
const TEMPLATE_AFTER = '<h2>You are invited</h2>\n<p>Hello,</p>\n<p>Follow this link to join the team:</p>\n<p><a href="{{ .ConfirmationURL }}">Accept the invite</a></p>\n';
const template: Change = { path: 'mailer_templates_invite_content', action: 'update', before: TEMPLATE_BEFORE, after: TEMPLATE_AFTER, sensitive: false };

/** A project one of whose sections could not be read: the other's changes are found but not applied. */
const failed = planOf([
  {
    ref: REF,
    error: { kind: 'api', code: 'E_API_STATUS', message: 'GET /v1/projects/x/config/auth/sso/providers failed: 500', status: 500 },
    sections: [
      sectionOf('auth', [{ path: 'site_url', action: 'update', before: 'https://a', after: 'https://b', sensitive: false }]),
      sectionOf('sso', [], { error: { kind: 'api', code: 'E_API_STATUS', message: 'GET /v1/projects/x/config/auth/sso/providers failed: 500', status: 500 } }),
    ],
  },
  { ref: OTHER, sections: [sectionOf('auth', [{ path: 'site_url', action: 'update', before: 'https://a', after: 'https://c', sensitive: false }])] },
]);

/** Everything outside the fenced blocks of a Markdown text. */
function outsideFences(md: string): string {
  const out: string[] = [];
  let fence: string | undefined;
  for (const line of md.split('\n')) {
    const m = /^(`{3,})/.exec(line);
    if (fence === undefined && m) fence = m[1];
    else if (fence !== undefined && line === fence) fence = undefined;
    else if (fence === undefined) out.push(line);
  }
  return out.join('\n');
}

/** The lines of the fenced blocks. */
function insideFences(md: string): string[] {
  const out: string[] = [];
  let fence: string | undefined;
  for (const line of md.split('\n')) {
    const m = /^(`{3,})/.exec(line);
    if (fence === undefined && m) fence = m[1];
    else if (fence !== undefined && line === fence) fence = undefined;
    else if (fence !== undefined) out.push(line);
  }
  return out;
}

describe('text renderer', () => {
  it('renders Terraform-like lines, section headers with their counts, and the summary in changes', () => {
    const text = renderText(drifted);
    expect(text).toContain(`Project ${REF}: 1 to create, 2 to update; 1 refused; 1 drifted (observe mode)\n`);
    expect(text).toContain('  ~ auth: 2 to update\n');
    expect(text).toContain('      ~ jwt_exp: 3600 → 200000');
    expect(text).toContain('      ~ smtp_pass: (sensitive value)');
    expect(text).toContain('  + sso: 1 to create\n      + providers[acme.com]: {"domains":["acme.com"]}');
    expect(text).toMatch(/RISKY \(auth\.jwt_exp\.too_long\)/);
    expect(text).toContain('\n            allow_risky: [auth.jwt_exp]\n');
    expect(text).toContain('  ~ pooler: 1 change drifted (observe mode: reported, never applied)');
    expect(text).toContain('Plan: 1 to create, 2 to update, 0 to delete (3 changes).\n');
    expect(text).toContain('1 risky change not allowed: apply refuses its project unless it is allowed.');
    expect(text).toContain('1 change drifted in observe mode (reported, never applied).');
    expect(text).not.toContain('\u001b[');
  });

  it('colours only when asked', () => {
    expect(renderText(drifted, { color: true })).toContain('\u001b[');
  });

  it('says No changes. for a converged plan', () => {
    const text = renderText(planOf([{ ref: REF, sections: [sectionOf('auth', [])] }]));
    expect(text).toContain(`Project ${REF}: no changes`);
    expect(text).toContain('No changes.');
  });

  it("puts a section's notes under that section, also when it has no changes", () => {
    const plan = planOf([
      {
        ref: REF,
        sections: [
          sectionOf('auth', [{ path: 'site_url', action: 'update', before: 'https://a', after: 'https://b', sensitive: false }]),
          sectionOf('secrets', [], { notes: ['1 live secret(s) not in the configuration, left untouched: OLD'] }),
        ],
      },
    ]);
    const lines = renderText(plan).split('\n');
    const header = lines.indexOf('    secrets: no changes');
    expect(header).toBeGreaterThan(lines.findIndex((l) => l.includes('site_url')));
    expect(lines[header + 1]).toBe('      note: 1 live secret(s) not in the configuration, left untouched: OLD');
  });

  it('marks a project that could not be planned, and does not show its changes as pending', () => {
    const text = renderText(failed);
    expect(text).toContain(`Project ${REF}: could not be planned; nothing will be applied to it\n`);
    expect(text).toContain('  ~ auth: 1 change found, not applied (the project could not be planned)');
    expect(text).toContain('  ! sso: could not be read or compared: GET /v1/projects/x/config/auth/sso/providers failed: 500');
    expect(text).toContain('Plan: 0 to create, 1 to update, 0 to delete (1 change).');
    expect(text).toContain(
      `1 section could not be read or compared: ${REF} (sso). 1 project could not be planned, so nothing is applied to it; its 1 change found elsewhere is not applied.`,
    );
  });

  it('shows a changed long text as a diff of its lines, coloured on a terminal', () => {
    const plan = planOf([{ ref: REF, sections: [sectionOf('auth', [template])] }]);
    const text = renderText(plan);
    expect(text).toContain('      ~ mailer_templates_invite_content: text, 4 lines → 4 lines\n');
    expect(text).toContain('            <h2>You are invited</h2>\n');
    expect(text).toContain('          - <p>Follow this link to accept the invite:</p>\n');
    expect(text).toContain('          + <p>Follow this link to join the team:</p>\n');
    expect(text).not.toContain('\\n');
    expect(renderText(plan, { color: true })).toContain('\u001b[31m- <p>Follow this link to accept the invite:</p>\u001b[0m');
    expect(renderText(plan, { color: true })).toContain('\u001b[32m+ <p>Follow this link to join the team:</p>\u001b[0m');
  });

  it('never diffs a sensitive value', () => {
    const plan = planOf([{ ref: REF, sections: [sectionOf('auth', [{ path: 'mailer_templates_invite_content', action: 'update', sensitive: true, beforeSet: true }])] }]);
    expect(renderText(plan)).toContain('~ mailer_templates_invite_content: (sensitive value)');
    expect(renderMarkdown(plan)).toContain('!   mailer_templates_invite_content: (sensitive value)');
  });
});

describe('markdown renderer', () => {
  it('has the marker, a headline, the summary in changes, and each project folded under its status and counts', () => {
    const md = renderMarkdown(drifted);
    expect(md.startsWith(MARKDOWN_MARKER)).toBe(true);
    expect(md).toContain('### supasync plan · ⛔ 1 risky change refused');
    expect(md).toContain('**Plan: 1 to create, 2 to update, 0 to delete (3 changes).**');
    expect(md).toContain(`<summary><code>${REF}</code> · ⛔ refused · 1 to create, 2 to update; 1 refused; 1 drifted (observe mode)</summary>`);
    expect(md).toContain('> [!CAUTION]\n> 1 risky change is not allowed');
  });

  it('puts changes in a diff block: + create, - delete, ! update, ~ observed, # comments', () => {
    const plan = planOf([
      {
        ref: REF,
        sections: [
          sectionOf('auth', [jwtRisky, { path: 'smtp_pass', action: 'update', sensitive: true, beforeSet: true }]),
          sectionOf('secrets', [
            { path: 'NEW', item: 'NEW', action: 'create', sensitive: true, beforeSet: false },
            { path: 'OLD', item: 'OLD', action: 'delete', sensitive: false, risk: { rule: 'secrets.deleted', key: 'secrets[OLD]', reason: 'deletes secret OLD', allowed: false } },
          ]),
          sectionOf('pooler', [{ path: 'pool_mode', action: 'update', before: 'transaction', after: 'session', sensitive: false }], { mode: 'observe' }),
        ],
      },
    ]);
    const md = renderMarkdown(plan);
    expect(md).toContain('```diff\n# auth: 2 to update\n!   jwt_exp: 3600 → 200000\n');
    expect(md).toContain('!   smtp_pass: (sensitive value)');
    expect(md).toContain('# secrets: 1 to create, 1 to delete\n+   NEW: (not set) → (sensitive value)\n-   OLD\n');
    expect(md).toContain('#       refused; to allow exactly this change, add to the project (or apply with --allow-risky):\n#         allow_risky: ["secrets[OLD]"]\n');
    expect(md).toContain('# pooler: 1 change drifted; observe mode: reported, never applied\n~   pool_mode: "transaction" → "session"\n');
  });

  it('wraps long risk lines and notes inside the block', () => {
    const reason = `uri_allow_list gains ${Array.from({ length: 12 }, (_, i) => `http://localhost:${3000 + i}/auth/callback`).join(', ')}: plain http or localhost`;
    const plan = planOf([
      {
        ref: REF,
        sections: [
          sectionOf('auth', [{ path: 'uri_allow_list', action: 'update', before: [], after: [], sensitive: false, risk: { rule: 'auth.uri_allow_list.insecure', key: 'auth.uri_allow_list', reason, allowed: false } }], {
            notes: [`a note ${'that goes on '.repeat(30)}`],
          }),
        ],
      },
    ]);
    const md = renderMarkdown(plan);
    const comments = insideFences(md).filter((l) => l.startsWith('#'));
    expect(comments.length).toBeGreaterThan(6);
    for (const line of comments) expect(line.length, line).toBeLessThanOrEqual(100);
    // Nothing of the reason is lost to the wrapping.
    expect(comments.join(' ').replace(/#\s+/g, ' ').replace(/\s+/g, ' ')).toContain(reason.replace(/\s+/g, ' '));
  });

  it('shows a changed long text as a unified diff GitHub colours', () => {
    const md = renderMarkdown(planOf([{ ref: REF, sections: [sectionOf('auth', [template])] }]));
    expect(md).toContain(
      [
        '!   mailer_templates_invite_content: text, 4 lines → 4 lines',
        '        <h2>You are invited</h2>',
        '        <p>Hello,</p>',
        '-       <p>Follow this link to accept the invite:</p>',
        '-       <p><a href="{{ .ConfirmationURL }}">Accept</a></p>',
        '+       <p>Follow this link to join the team:</p>',
        '+       <p><a href="{{ .ConfirmationURL }}">Accept the invite</a></p>',
      ].join('\n'),
    );
  });

  it('marks a project that could not be planned, with its changes not applied (~) and a warning in words', () => {
    const md = renderMarkdown(failed);
    expect(md).toContain('### supasync plan · ❌ 1 project could not be planned');
    expect(md).toContain('> [!WARNING]\n> 1 section could not be read or compared, so 1 project could not be planned and nothing is applied to it');
    expect(md).toContain(`| \`${REF}\` | ❌ could not be planned (1 change not applied) | – | – | – | – | 0 |`);
    expect(md).toContain(`| \`${OTHER}\` | ✏️ changes pending | 0 | 1 | 0 | 0 | 0 |`);
    expect(md).toContain('# auth: 1 change found; not applied: the project could not be planned\n~   site_url: "https://a" → "https://b"');
    expect(md).toContain('# ❌ sso: could not be read or compared: GET /v1/projects/x/config/auth/sso/providers failed: 500');
    expect(md).not.toMatch(/^!\s+site_url: "https:\/\/a" → "https:\/\/b"/m);
  });

  it('the table counts what the JSON counts, and the header adds them up', () => {
    const md = renderMarkdown(failed);
    const json = JSON.parse(renderJson(failed));
    const other = json.projects[1];
    expect(md).toContain(`| \`${OTHER}\` | ✏️ changes pending | ${other.summary.create} | ${other.summary.update} | ${other.summary.delete} | ${other.summary.refused} | ${other.summary.observed} |`);
    expect(md).toContain(`**Plan: ${json.summary.create} to create, ${json.summary.update} to update, ${json.summary.delete} to delete (1 change).**`);
  });

  it('shows the commit and the time it was planned at', () => {
    const md = renderMarkdown({ ...drifted, commit: SHA, planned_at: '2026-11-30T09:39:37Z' });
    expect(md).toContain(`<sub>Planned by supasync for commit ${SHA} at 2026-11-30 09:39 UTC.</sub>`);
    expect(renderMarkdown(drifted)).not.toContain('<sub>');
  });

  it('keeps every text from the configuration or the API inside a code block', () => {
    const hostile = '<img src=x onerror=alert(1)> @octocat **bold** ```';
    const plan = planOf(
      [
        {
          ref: REF,
          sections: [
            sectionOf('auth', [{ path: 'site_url', action: 'update', before: hostile, after: `${hostile}!`, sensitive: false, origin: { file: `t/${hostile}.yaml`, line: 1, col: 1, template: hostile } }], {
              notes: [hostile],
              warnings: [hostile],
            }),
          ],
        },
      ],
      { warnings: [hostile] },
    );
    const md = renderMarkdown(plan);
    expect(outsideFences(md)).not.toContain('<img');
    expect(outsideFences(md)).not.toContain('@octocat');
    expect(insideFences(md).join('\n')).toContain('<img src=x onerror=alert(1)>');
  });

  it('cuts a huge plan below the limit with a note and balanced blocks', () => {
    const many: ProjectPlan[] = Array.from({ length: 400 }, (_, i) => ({
      ref: `p${String(i).padStart(19, 'a')}`,
      sections: [sectionOf('auth', Array.from({ length: 20 }, (_, j) => ({ path: `field_${j}`, action: 'update' as const, before: 'x'.repeat(20), after: 'y'.repeat(20), sensitive: false })))],
    }));
    const md = renderMarkdown({ ...planOf(many), commit: SHA, planned_at: '2026-11-30T09:39:37Z' });
    expect(md.length).toBeLessThanOrEqual(MARKDOWN_LIMIT);
    expect(md).toContain('The plan was cut');
    expect(md).toMatch(/> \d+ more projects with changes are not shown\./);
    expect(md).toContain(`commit ${SHA}`);
    expect((md.match(/^```/gm) ?? []).length % 2).toBe(0);
    expect((md.match(/<details/g) ?? []).length).toBe((md.match(/<\/details>/g) ?? []).length);
  });

  it('cuts one huge project inside its block, saying how many lines were left out', () => {
    const huge: ProjectPlan = {
      ref: REF,
      sections: [sectionOf('auth', Array.from({ length: 3000 }, (_, j) => ({ path: `field_${j}`, action: 'update' as const, before: 'x'.repeat(20), after: 'y'.repeat(20), sensitive: false })))],
    };
    const md = renderMarkdown(planOf([huge]));
    expect(md.length).toBeLessThanOrEqual(MARKDOWN_LIMIT);
    expect(md).toMatch(/# … \d+ more lines not shown: the plan was cut to fit in a comment\n```\n\n<\/details>/);
  });

  it('fences a value holding backticks with a longer fence', () => {
    const md = renderMarkdown(planOf([{ ref: REF, sections: [sectionOf('auth', [{ path: 'site_url', action: 'update', before: 'a', after: '````', sensitive: false }])] }]));
    expect(md).toContain('`````diff\n');
  });
});

describe('json renderer', () => {
  it('is the plan with its format version, and marks risk and sensitivity', () => {
    const parsed = JSON.parse(renderJson(drifted));
    expect(parsed.format_version).toBe(PLAN_FORMAT_VERSION);
    const [jwt, smtp] = parsed.projects[0].sections[0].changes;
    expect(jwt).toMatchObject({ path: 'jwt_exp', before: 3600, after: 200000, action: 'update', sensitive: false, risk: { allowed: false } });
    expect(smtp).toEqual({ path: 'smtp_pass', action: 'update', sensitive: true, before_set: true });
  });

  it('names every field in snake_case (values aside)', () => {
    const parsed = JSON.parse(renderJson({ ...failed, commit: SHA, planned_at: '2026-11-30T09:39:37Z' }));
    const keys: string[] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        for (const [k, child] of Object.entries(v)) {
          keys.push(k);
          if (k !== 'before' && k !== 'after') walk(child);
        }
      }
    };
    walk(parsed);
    expect(keys.filter((k) => !/^[a-z][a-z0-9_]*$/.test(k))).toEqual([]);
    expect(parsed).toMatchObject({ commit: SHA, planned_at: '2026-11-30T09:39:37Z' });
  });

  it("gives each project its status and counts, adding up to the plan's", () => {
    const parsed = JSON.parse(renderJson(failed));
    expect(parsed.projects.map((p: { status: string }) => p.status)).toEqual(['failed', 'pending']);
    expect(parsed.projects[0].summary).toEqual({ create: 0, update: 0, delete: 0, refused: 0, observed: 0, not_applied: 1, sections_failed: 1 });
    expect(parsed.summary).toEqual({ create: 0, update: 1, delete: 0, refused: 0, observed: 0, not_applied: 1, projects: 2, projects_failed: 1, sections_failed: 1 });
  });
});

describe('risk in observe mode', () => {
  it('is reported but not called refused', () => {
    const observed = planOf([{ ref: REF, sections: [sectionOf('auth', [{ ...jwtRisky, risk: { ...jwtRisky.risk!, reason: 'r' } }], { mode: 'observe' })] }]);
    expect(renderText(observed)).toContain('risky (auth.jwt_exp.too_long): r (observe mode: reported, never applied)');
    expect(renderText(observed)).not.toContain('refused');
    expect(renderMarkdown(observed)).not.toContain('refused');
  });
});
