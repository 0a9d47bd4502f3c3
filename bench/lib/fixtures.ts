/**
 * Configurations and emulator seeds for N projects with five managed sections (auth, postgres,
 * postgrest, network_restrictions, ssl_enforcement), one file per project. The seed holds each
 * project in the configured state except one key (postgrest.max_rows): every plan finds exactly one
 * drifted key per project.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const SECTIONS = ['auth', 'postgres', 'postgrest', 'network_restrictions', 'ssl_enforcement'] as const;

/** A distinct, valid project ref (20 lowercase letters) for each index. */
export function benchRef(i: number): string {
  let suffix = '';
  for (let k = 0, x = i; k < 8; k++, x = Math.floor(x / 26)) suffix = String.fromCharCode(97 + (x % 26)) + suffix;
  return `benchproject${suffix}`;
}

function desiredYaml(ref: string, i: number, sections: readonly string[]): string {
  const parts: Record<string, string> = {
    auth: `auth:\n  site_url: https://app${i}.example.com\n  jwt_exp: 3600\n  password_min_length: 12\n`,
    postgres: 'postgres:\n  statement_timeout: 60s\n',
    postgrest: 'postgrest:\n  max_rows: 500\n  db_schema: [public, graphql_public]\n',
    network_restrictions: 'network_restrictions:\n  dbAllowedCidrs: [203.0.113.0/24]\n  dbAllowedCidrsV6: []\n',
    ssl_enforcement: 'ssl_enforcement:\n  database: true\n',
  };
  return `project: ${ref}\n${sections.map((s) => parts[s]).join('')}`;
}

/** The live state: as configured, except postgrest.max_rows (1000 live, 500 desired). */
function seedProject(ref: string, i: number) {
  return {
    ref,
    name: `bench-${i}`,
    plan: 'pro',
    auth: { site_url: `https://app${i}.example.com`, jwt_exp: 3600, password_min_length: 12 },
    postgres: { statement_timeout: '60s' },
    postgrest: { max_rows: 1000, db_schema: 'public,graphql_public' },
    network_restrictions: { dbAllowedCidrs: ['203.0.113.0/24'], dbAllowedCidrsV6: [] },
    ssl_enforcement: { database: true },
  };
}

export interface ScaleFixture {
  configDir: string;
  seed: { projects: ReturnType<typeof seedProject>[] };
  refs: string[];
}

export async function writeScaleFixture(dir: string, projects: number, sections: readonly string[] = SECTIONS): Promise<ScaleFixture> {
  const configDir = join(dir, `config-${projects}`);
  await rm(configDir, { recursive: true, force: true });
  await mkdir(configDir, { recursive: true });
  const refs = Array.from({ length: projects }, (_, i) => benchRef(i));
  await Promise.all(refs.map((ref, i) => writeFile(join(configDir, `${ref}.yaml`), desiredYaml(ref, i, sections))));
  return { configDir, seed: { projects: refs.map((ref, i) => seedProject(ref, i)) }, refs };
}
