/**
 * Every position config.schema.json allows a string in — a scalar, a list item, a value of a
 * nested mapping — found by walking the schema (not listed by hand), each given a canary read
 * through `${file:}`. A position whose schema accepts a canary-shaped value goes in a valid
 * document (planned, applied, re-planned); one that does not (a pattern, a format, a name such as
 * `project`) goes in an invalid document, whose errors must not show it. Secret fields are left
 * out: the secret-hygiene suite gives each an environment canary of its own.
 *
 * What the schema cannot tell is written down in `SHAPES`: the semantic checks a value must pass
 * (a domain, an https URL, SAML metadata, a CIDR, a third-party issuer) to be planned rather than refused.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Ajv as AjvType, AnySchema } from 'ajv';
import { ROOT } from '../../helpers/cli.js';

export type Segment = string | number;

export interface CanaryPosition {
  /** Schema position, e.g. `auth.uri_allow_list[]`, `sso.providers[].attribute_mapping.keys.*.name`. */
  position: string;
  kind: 'scalar' | 'list item' | 'nested value';
  /** Where the value stands in the generated document. */
  path: Segment[];
  /** What must never be printed (in any of its forms). */
  canary: string;
  /** The secret file: its name under the secrets directory, and its text. */
  file: string;
  fileText: string;
  /** The value as written in the YAML, `REF` standing for the `${file:...}` reference. */
  value: string;
  /** The document it goes in: the project's own, or a second project's (see SECOND_PROJECT). */
  project: 'main' | 'second';
}

interface Shape {
  /** The file's text for canary `c`. */
  text: (c: string) => string;
  value: string;
  /** What must not appear, when it is not the file's text itself. */
  canary?: (c: string) => string;
}

/** Mixed case, so that lower- and upper-cased copies are different strings to look for. */
export const canaryFor = (position: string): string => `Cnry${createHash('sha256').update(position).digest('hex').slice(0, 10)}Q`;

const xmlFor = (c: string) =>
  `<?xml version="1.0"?>\n<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://${c.toLowerCase()}.example.com/saml">\n` +
  `  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"/>\n</md:EntityDescriptor>\n`;

/** Semantics beyond the schema, by position. */
const SHAPES: Record<string, Shape> = {
  'sso.providers[].domains[]': { text: (c) => c.toLowerCase(), value: 'REF.example.com' },
  'sso.providers[].metadata_url': { text: (c) => c, value: 'https://idp.example.com/REF' },
  'sso.providers[].metadata_xml': { text: xmlFor, value: 'REF', canary: (c) => c.toLowerCase() },
  'network_restrictions.dbAllowedCidrs[]': { text: () => '198.51.100.77/32', value: 'REF' },
  'network_restrictions.dbAllowedCidrsV6[]': { text: () => '2001:db8:77::/48', value: 'REF' },
  'third_party_auth.integrations[].oidc_issuer_url': { text: (c) => c, value: 'https://REF.example.com/issuer' },
  'third_party_auth.integrations[].jwks_url': { text: (c) => c, value: 'https://REF.example.com/jwks.json' },
  // Items are comma-free strings to the schema; the API's pattern on the joined string wants tags (letters, digits, _ and -).
  'auth.sessions_tags[]': { text: (c) => c, value: 'REF' },
  'custom_domain.custom_hostname': { text: (c) => c.toLowerCase(), value: 'REF.example.com' },
  'custom_domain.vanity_subdomain': { text: (c) => c.toLowerCase(), value: 'REF' },
};

/**
 * Positions that cannot share a project with others: a project uses a custom hostname or a vanity
 * subdomain, not both, so the subdomain goes to a second project's document.
 */
export const SECOND_PROJECT: ReadonlySet<string> = new Set(['custom_domain.vanity_subdomain']);

/** Where a position's value goes when the walk's default (list item 1, provider 1) does not fit. */
const PATHS: Record<string, Segment[]> = {
  // A provider has exactly one of metadata_url and metadata_xml: the XML goes to a provider of its own.
  'sso.providers[].metadata_xml': ['sso', 'providers', 0, 'metadata_xml'],
  // A key needs its type and name (FIRST_ITEMS): the description goes to that key.
  'api_keys.keys[].description': ['api_keys', 'keys', 0, 'description'],
};

/** A list's other item (before the canary), so that the canary is one item among others. */
export const FIRST_ITEMS: Record<string, unknown> = {
  'network_restrictions.dbAllowedCidrs': '203.0.113.0/24',
  'network_restrictions.dbAllowedCidrsV6': '2001:db8:1::/48',
  'auth.uri_allow_list': 'https://plain.example.com/cb',
  // Provider 0 gets the metadata_xml canary (see PATHS): a provider with a plain domain and metadata read from a file.
  'sso.providers': { domains: ['plain.example.com'] },
  'sso.providers.1.domains': 'plain.example.org',
  'third_party_auth.integrations': { oidc_issuer_url: 'https://plain-issuer.example.com' },
  'api_keys.keys': { type: 'secret', name: 'canary_described' },
};

/**
 * Names, not settings: a reference there is refused by the schema like any other value that does
 * not fit, or makes the document something else (`template:` beside `project:`, an `extends` entry
 * naming no template), so they go in the invalid document.
 */
const NOT_SETTINGS = new Set(['project', 'allow_risky[]', 'template', 'extends[]', 'unmanage[]']);

/** Shapes tried, in turn, for a plain string: the whole value, then embedded in a URL, then in an e-mail address. */
const GENERIC: Shape[] = [
  { text: (c) => c, value: 'REF' },
  { text: (c) => c, value: 'https://REF.example.com/cb' },
  { text: (c) => c.toLowerCase(), value: 'REF@example.com' },
];

type Schema = { [k: string]: unknown };
const types = (s: Schema): string[] => ([] as string[]).concat((s.type as string | string[] | undefined) ?? []);

export interface Positions {
  valid: CanaryPosition[];
  invalid: CanaryPosition[];
}

/** Walks the schema; positions in `skip` (the secret fields, e.g. `auth.smtp_pass`) are left out. */
export function canaryPositions(skip: ReadonlySet<string>): Positions {
  const schema = JSON.parse(readFileSync(`${ROOT}/config.schema.json`, 'utf8')) as Schema;
  const require = createRequire(import.meta.url);
  const { Ajv } = require('ajv') as { Ajv: new (o: object) => AjvType };
  const addFormats = (require('ajv-formats') as { default: (a: AjvType) => void }).default;
  const ajv = new Ajv({ strict: false });
  addFormats(ajv);

  const valid: CanaryPosition[] = [];
  const invalid: CanaryPosition[] = [];
  const add = (position: string, kind: CanaryPosition['kind'], path: Segment[], s: Schema) => {
    if (skip.has(position) || s.enum) return;
    const c = canaryFor(position);
    const special = SHAPES[position];
    // Alternate whole values and values embedded in a longer string, so that both are covered.
    const order = special ? [special] : valid.length % 2 ? [GENERIC[1]!, GENERIC[0]!, GENERIC[2]!] : GENERIC;
    const shape = NOT_SETTINGS.has(position) ? undefined : order.find((sh) => ajv.validate(s as AnySchema, sh.value.replace('REF', sh.text(c))));
    const chosen = shape ?? GENERIC[0]!;
    const text = chosen.text(c);
    // One file carries whitespace around its value: the trimmed value must not appear either.
    const padded = !special && valid.length === 3;
    (shape ? valid : invalid).push({
      position,
      kind,
      path: PATHS[position] ?? path,
      canary: chosen.canary?.(c) ?? text,
      file: `pos-${createHash('sha256').update(position).digest('hex').slice(0, 12)}`,
      fileText: padded ? `  ${text}  \n` : `${text}\n`,
      value: chosen.value,
      project: SECOND_PROJECT.has(position) ? 'second' : 'main',
    });
  };

  const walk = (s: Schema | undefined, position: string, path: Segment[], depth: number): void => {
    if (!s || depth > 12) return;
    const t = types(s);
    const items = s.items as Schema | undefined;
    if (t.includes('array') && items) {
      // Item 1: item 0 is an ordinary value (FIRST_ITEMS), so the canary is one item among others.
      walk(items, `${position}[]`, [...path, 1], depth + 1);
      return;
    }
    const stringBranch = t.includes('string') ? s : (s.oneOf as Schema[] | undefined)?.find((o) => types(o).includes('string'));
    if (stringBranch) {
      add(position, position.endsWith('[]') ? 'list item' : path.length > 2 ? 'nested value' : 'scalar', path, stringBranch);
      return;
    }
    for (const [key, sub] of Object.entries((s.properties as Record<string, Schema> | undefined) ?? {})) {
      walk(sub, position ? `${position}.${key}` : key, [...path, key], depth + 1);
    }
    const extra = s.additionalProperties;
    // A map's key is a name chosen here (a `${...}` in a key is refused; the suite tests that apart).
    if (extra && typeof extra === 'object') walk(extra as Schema, `${position}.*`, [...path, path.includes('keys') ? 'email' : 'CANARY_FILE_SECRET'], depth + 1);
  };
  walk(schema, '', [], 0);
  return { valid, invalid };
}

/** The YAML document for `positions` (a mapping; the caller adds `project`), references pointing into `dir`. */
export function documentFor(positions: readonly CanaryPosition[], dir: string): Record<string, unknown> {
  const doc: Record<string, unknown> = {};
  for (const p of positions) {
    let node: Record<string | number, unknown> = doc;
    p.path.forEach((segment, i) => {
      const last = i === p.path.length - 1;
      if (last) {
        node[segment] = p.value.replace('REF', `\${file:${dir}/${p.file}}`);
        return;
      }
      if (node[segment] === undefined) {
        if (typeof p.path[i + 1] === 'number') {
          const key = p.path.slice(0, i + 1).join('.');
          const first = FIRST_ITEMS[key] ?? FIRST_ITEMS[key.replace(/\.\d+(?=\.|$)/g, '')] ?? 'plain-item';
          node[segment] = [structuredClone(first)];
        } else node[segment] = {};
      }
      node = node[segment] as Record<string | number, unknown>;
    });
  }
  return doc;
}
