/** Documents → YAML: references quoted or typed, literal `${` escaped, includes, comments naming the TOML key. */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { OutDocument } from '../../../src/import/layout.js';
import { Included, Reference } from '../../../src/import/model.js';
import { renderDocument } from '../../../src/import/render.js';

const doc = (sections: OutDocument['sections'], extra: Partial<OutDocument> = {}): OutDocument => ({
  kind: 'project',
  id: 'abcdefghijklmnopqrst',
  path: 'app.yaml',
  sections,
  provenance: new Map([['auth.site_url', 'auth.site_url'], ['auth.jwt_exp', 'auth.jwt_expiry']]),
  ...extra,
});

describe('render', () => {
  const text = renderDocument(
    doc({
      auth: {
        site_url: 'https://example.com/${literal}',
        jwt_exp: new Reference('env', 'auth.jwt_exp', 'auth.jwt_expiry', true, 'JWT_EXP'),
        smtp_pass: new Reference('plain', 'auth.smtp_pass', 'auth.email.smtp.pass', false, 'AUTH_SMTP_PASS', 'written-secret'),
        mailer_templates_invite_content: new Included('/repo/supabase/templates/invite.html', 'auth.email.template.invite.content_path'),
        uri_allow_list: ['https://a.example.com', new Reference('env', 'auth.uri_allow_list', 'x', false, 'CALLBACK')],
      },
    }),
    { source: 'supabase/config.toml', includePath: () => 'email-templates/invite.html' },
  );

  it('writes references for supasync to read, and escapes a literal ${', () => {
    expect(text).toContain('site_url: https://example.com/$${literal} # auth.site_url');
    expect(text).toContain('jwt_exp: ${JWT_EXP} # auth.jwt_expiry');
    expect(text).toContain('smtp_pass: "${AUTH_SMTP_PASS}"');
    expect(text).toContain('mailer_templates_invite_content: "${include:email-templates/invite.html}"');
    expect(text).toContain('- "${CALLBACK}"');
    expect(text).not.toContain('written-secret');
    expect(parse(text)).toMatchObject({ project: 'abcdefghijklmnopqrst', auth: { jwt_exp: '${JWT_EXP}' } });
  });

  it('templates, extends and unmanage', () => {
    const t = renderDocument(doc({}, { kind: 'project', extends: ['base'], unmanage: ['auth.external_github_secret'] }), { source: 'c.toml', includePath: (f) => f });
    expect(parse(t)).toEqual({ project: 'abcdefghijklmnopqrst', extends: ['base'], unmanage: ['auth.external_github_secret'] });
    expect(parse(renderDocument(doc({}, { kind: 'template', id: 'base' }), { source: 'c.toml', includePath: (f) => f }))).toEqual({ template: 'base' });
  });
});
