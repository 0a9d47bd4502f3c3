/**
 * [remotes.<name>] → a template (the base config) and one project per remote that writes only what
 * differs from it: changed keys set, keys its effective config does not send unmanaged, written
 * secrets named per remote. The effective state of each project equals its own conversion.
 */
import { describe, expect, it } from 'vitest';
import { convert } from '../../../src/import/convert.js';
import { layout, sameValue } from '../../../src/import/layout.js';
import { Reference } from '../../../src/import/model.js';
import { baseOf, readRemotes } from '../../../src/import/remotes.js';
import { locate, parseToml } from '../../../src/import/toml-file.js';

const FILE = '/repo/supabase/config.toml';
const PROD = 'prodprodprodprodprod';
const STAGING = 'stagingstagingstagin';

function importText(text: string, ref?: string) {
  const toml = parseToml(FILE, text);
  const at = (p: string) => locate(toml, p);
  const { remotes, issues } = readRemotes(toml.root, at);
  const base = convert({ toml: baseOf(toml.root), file: FILE, sourceOf: (p) => p, locate: at });
  const converted = remotes.map((r) => ({ ...r, result: convert({ toml: r.toml, file: FILE, sourceOf: (p) => (r.own.has(p) ? `remotes.${r.name}.${p}` : p), locate: at }) }));
  const docs = layout({
    name: 'my app',
    base: { ...(ref ? { ref } : {}), sections: base.sections, provenance: base.provenance },
    remotes: converted.map((c) => ({ name: c.name, ref: c.ref, sections: c.result.sections, provenance: c.result.provenance })),
  });
  return { docs, issues, converted };
}

const BASE = `
project_id = "my app"
[auth]
site_url = "https://app.example.com"
jwt_expiry = 3600
[auth.email.smtp]
host = "smtp.example.com"
pass = "base-secret"
[auth.external.github]
enabled = true
client_id = "gh"
secret = "env(GH_SECRET)"
[db.settings]
statement_timeout = "10s"
`;

describe('remotes', () => {
  it('without remotes: one project document', () => {
    const { docs } = importText(BASE, PROD);
    expect(docs.map((d) => [d.kind, d.id, d.path])).toEqual([['project', PROD, 'my-app.yaml']]);
    expect((docs[0]!.sections.auth!.smtp_pass as Reference).name).toBe('AUTH_SMTP_PASS');
  });

  it('the base becomes a template; each remote a project with its differences and what it stops sending', () => {
    const { docs, issues } = importText(
      `${BASE}
[remotes.staging]
project_id = "${STAGING}"
[remotes.staging.auth]
site_url = "https://staging.example.com"
[remotes.staging.auth.email.smtp]
pass = "staging-secret"
[remotes.staging.auth.external.github]
enabled = false
[remotes.prod]
project_id = "${PROD}"
[remotes.prod.auth.email.smtp]
pass = "base-secret"
`,
    );
    expect(issues).toEqual([]);
    expect(docs.map((d) => [d.kind, d.id, d.path, d.extends])).toEqual([
      ['template', 'my-app', 'templates/my-app.yaml', undefined],
      ['project', STAGING, 'projects/staging.yaml', ['my-app']],
      ['project', PROD, 'projects/prod.yaml', ['my-app']],
    ]);
    const [, staging, prod] = docs;
    expect(staging!.sections.auth).toMatchObject({ site_url: 'https://staging.example.com', external_github_enabled: false });
    expect((staging!.sections.auth!.smtp_pass as Reference).name).toBe('AUTH_SMTP_PASS_STAGING');
    // GitHub off: the CLI sends neither its client nor its secret for staging.
    expect(staging!.unmanage).toEqual(['auth.external_github_client_id', 'auth.external_github_secret']);
    // The same secret as the base is inherited, not repeated.
    expect(prod!.sections).toEqual({});
    expect(prod!.unmanage).toBeUndefined();
    expect(staging!.provenance.get('auth.site_url')).toBe('remotes.staging.auth.site_url');
  });

  it('a --project that is not a remote gets its own document on the template', () => {
    const { docs } = importText(`${BASE}\n[remotes.staging]\nproject_id = "${STAGING}"\n`, PROD);
    expect(docs.map((d) => [d.kind, d.id, d.path])).toEqual([
      ['template', 'my-app', 'templates/my-app.yaml'],
      ['project', STAGING, 'projects/staging.yaml'],
      ['project', PROD, 'projects/my-app.yaml'],
    ]);
  });

  it('a remote that turns a whole section off unmanages the section', () => {
    const { docs } = importText(`[db.settings]\nwork_mem = "4MB"\n[storage]\nfile_size_limit = "1MB"\n[remotes.x]\nproject_id = "${STAGING}"\n[remotes.x.storage]\nenabled = false\n`);
    expect(docs[1]!.unmanage).toEqual(['storage']);
  });

  it('project_id of a remote: a ref, once', () => {
    const { issues } = importText(`[remotes.a]\nproject_id = "not-a-ref"\n[remotes.b]\nproject_id = "${PROD}"\n[remotes.c]\nproject_id = "${PROD}"\n`);
    expect(issues.map((i) => [i.path, i.location?.line, i.message])).toEqual([
      ['remotes.a.project_id', 2, expect.stringContaining('20 lowercase letters')],
      ['remotes.c.project_id', 6, 'the same project as [remotes.b]'],
    ]);
  });

  it('sameValue compares references by variable, written secrets by value, without exposing them', () => {
    const a = new Reference('plain', 'auth.smtp_pass', 'x', false, undefined, 'one');
    expect(sameValue(a, new Reference('plain', 'auth.smtp_pass', 'y', false, undefined, 'one'))).toBe(true);
    expect(sameValue(a, new Reference('plain', 'auth.smtp_pass', 'y', false, undefined, 'two'))).toBe(false);
    expect(sameValue(new Reference('env', 'f', 'x', false, 'A'), new Reference('env', 'f', 'x', false, 'A'))).toBe(true);
    expect(JSON.stringify({ a })).not.toContain('one');
  });
});
