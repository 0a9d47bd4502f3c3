import { describe, expect, it } from 'vitest';
import { providers, riskRules } from '../../../src/providers/index.js';
import { hmacHex } from '../../../src/providers/normalise.js';
import { hasChanges, plan } from '../../../src/reconcile/plan.js';
import type { LiveState } from '../../../src/reconcile/read.js';
import { planExitCode } from '../../../src/reconcile/outcome.js';
import { Redactor } from '../../../src/redact.js';
import { REF, project, section } from '../../helpers/desired.js';

const OTHER = 'zyxwvutsrqponmlkjihg';
const liveOf = (entries: Record<string, Record<string, unknown>>): LiveState =>
  new Map(Object.entries(entries).map(([ref, sections]) => [ref, new Map(Object.entries(sections).map(([s, v]) => [s, { ok: true as const, value: v }]))]));

const opts = { providers, riskRules };

describe('plan', () => {
  it('is empty for a converged project and holds no writes', () => {
    const desired = [project(REF, [section('auth', { jwt_exp: 3600, smtp_pass: 'x' }), section('postgres', {})])];
    const live = liveOf({ [REF]: { auth: { jwt_exp: 3600, smtp_pass: hmacHex(REF, 'x') }, postgres: { work_mem: '4MB' } } });
    const { plan: p, writes } = plan(desired, live, opts);
    expect(hasChanges(p)).toBe(false);
    expect(writes.size).toBe(0);
    expect(p.summary).toEqual({ create: 0, update: 0, delete: 0, refused: 0, observed: 0, not_applied: 0, projects: 1, projects_failed: 0, sections_failed: 0 });
    expect(planExitCode(p, true)).toBe(0);
  });

  it('counts changes (one per field), sorted by project, and keeps bodies out of the plan', () => {
    const desired = [
      project(OTHER, [section('pooler', { pool_mode: 'session' })]),
      project(REF, [section('auth', { site_url: 'https://new', smtp_pass: 'canary-123' })]),
    ];
    const live = liveOf({ [REF]: { auth: { site_url: 'https://old', smtp_pass: null } }, [OTHER]: { pooler: { pool_mode: 'transaction', default_pool_size: null } } });
    const { plan: p, writes } = plan(desired, live, opts);
    expect(p.projects.map((x) => x.ref)).toEqual([REF, OTHER]);
    // site_url and smtp_pass in one project, pool_mode in the other: three changes.
    expect(p.summary.update).toBe(3);
    expect(JSON.stringify(p)).not.toContain('canary-123');
    expect(JSON.stringify(writes.get(REF)?.get('auth'))).toContain('canary-123');
    expect(planExitCode(p, true)).toBe(2);
    expect(planExitCode(p, false)).toBe(0);
  });

  it('observe mode reports drift without writes', () => {
    const desired = [project(REF, [section('pooler', { pool_mode: 'session' }, { mode: 'observe' })])];
    const live = liveOf({ [REF]: { pooler: { pool_mode: 'transaction' } } });
    const { plan: p, writes } = plan(desired, live, opts);
    expect(p.summary).toMatchObject({ update: 0, observed: 1 });
    expect(writes.size).toBe(0);
    expect(hasChanges(p)).toBe(true);
  });

  it('a failed read blocks every write to that project only', () => {
    const desired = [
      project(REF, [section('auth', { site_url: 'https://new' }), section('pooler', { pool_mode: 'session' })]),
      project(OTHER, [section('pooler', { pool_mode: 'session' })]),
    ];
    const live = liveOf({ [REF]: { auth: { site_url: 'https://old' } }, [OTHER]: { pooler: { pool_mode: 'transaction' } } });
    live.get(REF)!.set('pooler', { ok: false, error: { kind: 'api', code: 'E_API_STATUS', message: 'GET ... failed 500', status: 500 } });
    const { plan: p, writes } = plan(desired, live, opts);
    expect(p.projects[0]?.error?.status).toBe(500);
    expect(writes.has(REF)).toBe(false);
    expect(writes.has(OTHER)).toBe(true);
    expect(planExitCode(p, true)).toBe(1);
  });

  it('marks risky changes and counts those not allowed', () => {
    const live = liveOf({ [REF]: { auth: { jwt_exp: 3600, password_min_length: 12 } } });
    const auth = section('auth', { jwt_exp: 200000, password_min_length: 8 });
    const refused = plan([project(REF, [auth])], live, opts).plan;
    expect(refused.summary.refused).toBe(2);
    const some = plan([project(REF, [auth], ['auth.jwt_exp'])], live, opts).plan;
    expect(some.summary.refused).toBe(1);
    const all = plan([project(REF, [auth])], live, { ...opts, allowRisky: true }).plan;
    expect(all.summary.refused).toBe(0);
    expect(all.projects[0]?.sections[0]?.changes.every((c) => c.risk?.allowed)).toBe(true);
    const observed = plan([project(REF, [section('auth', { jwt_exp: 200000 }, { mode: 'observe' })])], live, opts).plan;
    expect(observed.summary).toMatchObject({ refused: 0, observed: 1 });
  });

  it('is deterministic', () => {
    const desired = [project(REF, [section('auth', { b: 1, a: 2, c: 3 })])];
    const live = liveOf({ [REF]: { auth: {} } });
    expect(JSON.stringify(plan(desired, live, opts).plan)).toBe(JSON.stringify(plan(desired, live, opts).plan));
    expect(plan(desired, live, opts).plan.projects[0]?.sections[0]?.changes.map((c) => c.path)).toEqual(['a', 'b', 'c']);
  });
});

describe('plan: secrets (issue 13, item 1)', () => {
  const FILE_VALUE = 'http://FileSecret-9f2.example.com';
  const ENV_SECRET = 'EnvSecret-42abc';
  const secretsOf = (...values: string[]) => {
    const r = new Redactor();
    for (const v of values) r.add(v, { minLength: 4 });
    return r;
  };
  const changesOf = (p: ReturnType<typeof plan>['plan']) => p.projects.flatMap((x) => x.sections.flatMap((s) => s.changes));

  it('a field read from a file is judged by the guardrails on its real value, then shown without it', () => {
    const auth = section('auth', { site_url: FILE_VALUE }, { fromFile: ['site_url'] });
    const live = liveOf({ [REF]: { auth: { site_url: 'https://app.example.com' } } });
    const { plan: p } = plan([project(REF, [auth])], live, { ...opts, sensitive: secretsOf(FILE_VALUE) });
    const [change] = changesOf(p);
    expect(change).toMatchObject({ path: 'site_url', sensitive: true, beforeSet: true, risk: { rule: 'auth.site_url.insecure', allowed: false } });
    expect(change).not.toHaveProperty('after');
    expect(change).not.toHaveProperty('before');
    expect(p.summary.refused).toBe(1);
    expect(JSON.stringify(p).toLowerCase()).not.toContain('filesecret');
  });

  it('a known secret reused in a plain field, or held by a live value, makes that change sensitive too', () => {
    const auth = section('auth', { smtp_pass: ENV_SECRET, smtp_sender_name: `Mailer ${ENV_SECRET}`, site_url: 'https://new.example.com' });
    const live = liveOf({ [REF]: { auth: { smtp_pass: null, smtp_sender_name: null, site_url: `https://${ENV_SECRET.toLowerCase()}.example.com` } } });
    const { plan: p } = plan([project(REF, [auth])], live, { ...opts, sensitive: secretsOf(ENV_SECRET) });
    expect(changesOf(p).map((c) => [c.path, c.sensitive, c.beforeSet])).toEqual([
      ['site_url', true, true],
      ['smtp_pass', true, false],
      ['smtp_sender_name', true, false],
    ]);
    expect(JSON.stringify(p).toLowerCase()).not.toContain(ENV_SECRET.toLowerCase());
  });

  it('an item label that shows a secret is replaced, two such items keep two labels, and notes and errors are redacted', () => {
    const sso = section('sso', { prune: true, providers: [] });
    const live = liveOf({
      [REF]: {
        sso: {
          providers: [
            { id: 'p1', saml: { entity_id: 'e1' }, domains: [{ domain: `${ENV_SECRET.toLowerCase()}.com` }] },
            { id: 'p2', saml: { entity_id: 'e2' }, domains: [{ domain: `${ENV_SECRET.toLowerCase()}.org` }] },
          ],
        },
      },
    });
    const { plan: p } = plan([project(REF, [sso])], live, { ...opts, sensitive: secretsOf(ENV_SECRET) });
    const changes = changesOf(p);
    expect(changes.map((c) => c.item)).toEqual(['[redacted].com', '[redacted].org']);
    expect(changes.map((c) => c.path)).toEqual(['providers[[redacted].com]', 'providers[[redacted].org]']);
    // Still judged (and refused), in words that quote nothing of the sensitive change.
    expect(changes[0]).toMatchObject({ sensitive: true, risk: { rule: 'sso.provider.deleted', allowed: false } });
    expect(changes[0]?.risk?.reason).toBe('deleting an SSO provider (its users can no longer sign in) (the value is sensitive and not shown)');
    expect(JSON.stringify(p).toLowerCase()).not.toContain(ENV_SECRET.toLowerCase());
    const failing = liveOf({ [REF]: {} });
    failing.get(REF)!.set('sso', { ok: false, error: { kind: 'api', code: 'E_API_STATUS', message: `GET failed 500: ${ENV_SECRET} is wrong`, status: 500 } });
    const failed = plan([project(REF, [sso])], failing, { ...opts, sensitive: secretsOf(ENV_SECRET) }).plan;
    expect(failed.projects[0]?.error?.message).toBe('GET failed 500: [redacted] is wrong');
  });
});
