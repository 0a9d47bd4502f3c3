/**
 * The seed document (`--seed FILE`, `POST /_emulator/reset`), YAML or JSON:
 *
 *   projects:
 *     - ref: abcdefghijklmnopqrst      # 20 lowercase letters
 *       name: production               # optional (default: the ref)
 *       plan: pro                      # free | pro | team | enterprise (default pro)
 *       organization_slug: ...         # optional
 *       region: us-east-1              # optional
 *       auth: {...}                    # optional initial section state, each applied through the
 *       postgres: {...}                #   same rules (and request schema) as the API's own write:
 *       pooler: {...}                  #   auth/pooler/postgrest/storage as PATCH, postgres as PUT,
 *       network_restrictions: {...}    #   network_restrictions as POST /apply, sso_providers as
 *       sso_providers: [...]           #   POSTs, secrets as POST (or a name → value map),
 *       postgrest: {...}               #   ssl_enforcement as {database: bool}
 *       storage: {...}
 *       ssl_enforcement: {...}
 *       secrets: [...]
 *       realtime, third_party_auth, api_keys, signing_keys, custom_hostname, vanity_subdomain,
 *       backup_schedule, database_webhooks, pgsodium   # each described in its resources/*.ts
 *   organizations:                     # optional: [{slug, name}] (others are named after their slug)
 *   tokens:                            # optional; when given, only these tokens are accepted
 *     - token: sbp_<40 hex>
 *       projects: [abcdefghijklmnopqrst]   # optional: the token may touch only these projects
 */
import { Ajv, type ErrorObject } from 'ajv';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { ConfigIssue } from '../errors.js';
import { didYouMean } from '../config/suggest.js';
import type { SeedIssue } from './seed-locate.js';
import { TOKEN_PATTERN_SOURCE } from './tokens.js';
import { PLANS } from './types.js';
import { SECTIONS } from './resources/index.js';

export interface SeedProject {
  ref: string;
  name?: string;
  plan?: (typeof PLANS)[number];
  organization_slug?: string;
  region?: string;
  [section: string]: unknown;
}

export interface SeedToken {
  token: string;
  projects?: string[];
}

export interface SeedOrganization {
  slug: string;
  name: string;
}

export interface SeedDocument {
  projects: SeedProject[];
  tokens?: SeedToken[];
  organizations?: SeedOrganization[];
}

/**
 * A seed that cannot be loaded; carries every problem found. An issue's path is a JSON pointer into
 * the document (located in its text by ./seed-locate.ts) unless it already has a location.
 */
export class SeedError extends Error {
  constructor(readonly issues: SeedIssue[]) {
    super(issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('\n'));
    this.name = 'SeedError';
  }
}

const REF = { type: 'string', pattern: '^[a-z]{20}$' };

const seedSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['projects'],
  properties: {
    projects: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['ref'],
        properties: {
          ref: REF,
          name: { type: 'string', minLength: 1 },
          plan: { enum: [...PLANS] },
          organization_slug: { type: 'string', pattern: '^[\\w-]+$' },
          region: { type: 'string', minLength: 1 },
          // Section values are checked by the sections themselves, with the spec's request schemas.
          ...Object.fromEntries(SECTIONS.map((s) => [s.name, {}])),
        },
      },
    },
    organizations: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['slug', 'name'],
        properties: { slug: { type: 'string', pattern: '^[\\w-]+$' }, name: { type: 'string', minLength: 1, maxLength: 256 } },
      },
    },
    tokens: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['token'],
        properties: {
          token: { type: 'string', pattern: TOKEN_PATTERN_SOURCE },
          projects: { type: 'array', items: REF },
        },
      },
    },
  },
};

// verbose: an error carries its schema, whose properties an unknown key's message lists.
const validateSeed = new Ajv({ allErrors: true, logger: false, verbose: true }).compile(seedSchema);

/** Parses YAML or JSON text (JSON is YAML) into a seed document; throws SeedError. */
export function parseSeed(text: string): SeedDocument {
  let doc: unknown;
  try {
    doc = text.trim() === '' ? undefined : parseYaml(text);
  } catch (err) {
    const at = err instanceof YAMLParseError ? err.linePos?.[0] : undefined;
    // yaml's first line ends "at line L, column C:", which the location says already.
    const message = `not valid YAML or JSON: ${(err as Error).message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`;
    // The location is completed with the file's name by whoever knows it (./seed-locate.ts).
    throw new SeedError([{ path: '', message, ...(at ? { location: { file: '', line: at.line, col: at.col } } : {}) }]);
  }
  return checkSeed(doc);
}

const PATTERN_WORDS: Readonly<Record<string, string>> = {
  [REF.pattern]: 'must be a project ref: 20 lowercase letters',
  [TOKEN_PATTERN_SOURCE]: 'must be sbp_ (or sbp_oauth_) followed by 40 lowercase hex characters',
  '^[\\w-]+$': 'must be letters, digits, _ and - only',
};

const typeWords = (type: unknown): string => (type === 'array' ? 'a list' : type === 'object' ? 'a mapping' : `a ${String(type)}`);

/** One schema error in words, with what is allowed. */
function seedIssue(e: ErrorObject): SeedIssue {
  const allowed = (values: readonly unknown[]) => values.map((v) => JSON.stringify(v)).join(', ');
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(e.params.additionalProperty);
      const known = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      return { path: `${e.instancePath}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, atKey: true, message: `unknown key "${key}"${didYouMean(key, known)} (allowed: ${known.join(', ')})` };
    }
    case 'required':
      return { path: e.instancePath, message: `missing required key "${String(e.params.missingProperty)}"` };
    case 'enum':
      return { path: e.instancePath, message: `must be one of: ${allowed(e.params.allowedValues as unknown[])}` };
    case 'pattern':
      return { path: e.instancePath, message: PATTERN_WORDS[String(e.params.pattern)] ?? `must match ${String(e.params.pattern)}` };
    case 'type':
      return { path: e.instancePath, message: `must be ${typeWords(e.params.type)}` };
    default:
      return { path: e.instancePath, message: e.message ?? 'is invalid' };
  }
}

/** Checks the shape of a parsed seed document; section values are checked when applied. */
export function checkSeed(doc: unknown): SeedDocument {
  if (!validateSeed(doc)) throw new SeedError((validateSeed.errors ?? []).map(seedIssue));
  const seed = doc as unknown as SeedDocument;
  const issues: ConfigIssue[] = [];
  const refs = new Set<string>();
  seed.projects.forEach((p, i) => {
    if (refs.has(p.ref)) issues.push({ path: `/projects/${i}/ref`, message: `duplicate project ref ${p.ref}` });
    refs.add(p.ref);
  });
  const slugs = new Set<string>();
  seed.organizations?.forEach((o, i) => {
    if (slugs.has(o.slug)) issues.push({ path: `/organizations/${i}/slug`, message: `duplicate organization slug ${o.slug}` });
    slugs.add(o.slug);
  });
  seed.tokens?.forEach((t, i) => {
    t.projects?.forEach((ref, j) => {
      if (!refs.has(ref)) issues.push({ path: `/tokens/${i}/projects/${j}`, message: `no project ${ref} in the seed` });
    });
  });
  if (issues.length > 0) throw new SeedError(issues);
  return seed;
}
