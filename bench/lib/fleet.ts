/**
 * A generated fleet: N projects built from three templates (an org baseline, `prod` and `staging`,
 * both extending the baseline), each project file a few lines (extends + vars, and now and then an
 * override); and the same fleet written out in full, one file per project with every effective key,
 * no templates. Plus an emulator seed with one drifted key per project. Used by the fleet e2e
 * tests and the fleet benchmarks.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { benchRef } from './fixtures.js';

export const FLEET_TEMPLATES: Readonly<Record<string, string>> = {
  'templates/baseline.yaml': `template: baseline
allow_risky: [auth.jwt_exp]
auth:
  site_url: https://\${var:domain}
  uri_allow_list: ["https://\${var:domain}/auth/callback"]
  password_min_length: 12
  jwt_exp: 3600
network_restrictions:
  dbAllowedCidrs: [203.0.113.0/24]
  dbAllowedCidrsV6: []
ssl_enforcement:
  database: true
`,
  'templates/prod.yaml': `template: prod
extends: [baseline]
postgres:
  statement_timeout: 60s
postgrest:
  max_rows: 500
  db_schema: [public, graphql_public]
`,
  'templates/staging.yaml': `template: staging
extends: [baseline]
auth:
  jwt_exp: 7200
postgres:
  statement_timeout: 30s
postgrest:
  max_rows: 100
  db_schema: [public]
`,
};

export interface FleetProject {
  ref: string;
  template: 'prod' | 'staging';
  domain: string;
  /** Every tenth project overrides one inherited key. */
  override?: { section: 'postgrest'; key: 'max_rows'; value: number };
}

export function fleetProjects(n: number): FleetProject[] {
  return Array.from({ length: n }, (_, i) => ({
    ref: benchRef(i),
    template: i % 2 === 0 ? 'prod' : 'staging',
    domain: `app${i}.example.com`,
    ...(i % 10 === 9 ? { override: { section: 'postgrest' as const, key: 'max_rows' as const, value: 250 } } : {}),
  }));
}

/** A project's file in the templated fleet: at most six lines. */
export function templatedProjectYaml(p: FleetProject): string {
  const lines = [`project: ${p.ref}`, `extends: [${p.template}]`, `vars: {domain: ${p.domain}}`];
  if (p.override) lines.push(`${p.override.section}: {${p.override.key}: ${p.override.value}}`);
  return `${lines.join('\n')}\n`;
}

/** The same project written out in full: what the templates, variables and override make of it. */
export function fullProjectYaml(p: FleetProject): string {
  const prod = p.template === 'prod';
  const maxRows = p.override?.value ?? (prod ? 500 : 100);
  return `project: ${p.ref}
allow_risky: [auth.jwt_exp]
auth:
  site_url: https://${p.domain}
  uri_allow_list: ["https://${p.domain}/auth/callback"]
  password_min_length: 12
  jwt_exp: ${prod ? 3600 : 7200}
postgres:
  statement_timeout: ${prod ? '60s' : '30s'}
network_restrictions:
  dbAllowedCidrs: [203.0.113.0/24]
  dbAllowedCidrsV6: []
postgrest:
  max_rows: ${maxRows}
  db_schema: [${prod ? 'public, graphql_public' : 'public'}]
ssl_enforcement:
  database: true
`;
}

/**
 * Live state: as configured, except postgrest.max_rows (1000): one drifted key per project; with
 * `converged`, exactly as configured.
 */
export function fleetSeed(projects: readonly FleetProject[], opts: { converged?: boolean } = {}) {
  return {
    projects: projects.map((p, i) => ({
      ref: p.ref,
      name: `fleet-${i}`,
      plan: 'pro',
      auth: {
        site_url: `https://${p.domain}`,
        uri_allow_list: `https://${p.domain}/auth/callback`,
        password_min_length: 12,
        jwt_exp: p.template === 'prod' ? 3600 : 7200,
      },
      postgres: { statement_timeout: p.template === 'prod' ? '60s' : '30s' },
      postgrest: {
        max_rows: opts.converged ? (p.override?.value ?? (p.template === 'prod' ? 500 : 100)) : 1000,
        db_schema: p.template === 'prod' ? 'public,graphql_public' : 'public',
      },
      network_restrictions: { dbAllowedCidrs: ['203.0.113.0/24'], dbAllowedCidrsV6: [] },
      ssl_enforcement: { database: true },
    })),
  };
}

export interface WrittenFleet {
  dir: string;
  projects: FleetProject[];
}

/** Writes the fleet below `dir` (templates/ and projects/), templated or in full. */
export async function writeFleet(dir: string, n: number, form: 'templated' | 'full'): Promise<WrittenFleet> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, 'projects'), { recursive: true });
  const projects = fleetProjects(n);
  if (form === 'templated') {
    await mkdir(join(dir, 'templates'), { recursive: true });
    await Promise.all(Object.entries(FLEET_TEMPLATES).map(([file, text]) => writeFile(join(dir, file), text)));
  }
  const render = form === 'templated' ? templatedProjectYaml : fullProjectYaml;
  await Promise.all(projects.map((p) => writeFile(join(dir, 'projects', `${p.ref}.yaml`), render(p))));
  return { dir, projects };
}
