/**
 * The build turns config.schema.json into standalone validation code (scripts/build-validator.mjs →
 * dist/config/schema-validator.cjs). It must answer exactly like the validator compiled at run time:
 * the same verdicts and the same error objects, including the `schema` / `parentSchema` / `data`
 * that `verbose` adds and the messages (with "did you mean") are built from.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ValidateFunction } from 'ajv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileSchemaValidator, schemaDigest } from '../../../src/config/validate.js';
import { standaloneValidatorSource } from '../../../src/config/validator-source.js';

const schemaText = readFileSync(new URL('../../../config.schema.json', import.meta.url), 'utf8');
const schema = JSON.parse(schemaText) as { properties: Record<string, { properties?: Record<string, unknown> }> };
const REF = 'abcdefghijklmnopqrst';

/** Evaluates the generated CommonJS module with the repository's require (it needs ajv's runtime helpers). */
function loadGenerated(source: string): { validate: ValidateFunction; schemaSha256: string } {
  const module = { exports: {} as Record<string, unknown> };
  const repoRequire = createRequire(import.meta.url);
  new Function('require', 'module', 'exports', source)(repoRequire, module, module.exports);
  const exported = module.exports as unknown as ValidateFunction & { default: ValidateFunction; schemaSha256: string };
  return { validate: exported.default, schemaSha256: exported.schemaSha256 };
}

const generated = loadGenerated(standaloneValidatorSource(schemaText));
const runtime = compileSchemaValidator(schema).validate;

function outcome(validate: ValidateFunction, data: unknown): { valid: boolean; errors: unknown } {
  const valid = validate(data) as boolean;
  return { valid, errors: structuredClone(validate.errors ?? null) };
}

const sections = Object.keys(schema.properties).filter((s) => schema.properties[s]?.properties);
const keysOf = (section: string) => Object.keys(schema.properties[section]?.properties ?? {});

/** Documents near the schema: real keys and misspelt ones, values of every JSON type. */
const nearDocument = fc
  .record({
    project: fc.oneof(fc.constant(REF), fc.string(), fc.integer()),
    parts: fc.array(
      fc.constantFrom(...sections).chain((section) =>
        fc.tuple(
          fc.constant(section),
          fc.oneof(
            fc.dictionary(
              fc.oneof(fc.constantFrom(...keysOf(section)), fc.constantFrom(...keysOf(section)).map((k) => `${k}x`)),
              fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom('session', 'transaction', '60s', 'x'), fc.integer()),
              { maxKeys: 6 },
            ),
            fc.jsonValue({ maxDepth: 1 }),
          ),
        ),
      ),
      { maxLength: 4 },
    ),
    stray: fc.option(fc.constantFrom('auht', 'pooller', 'whatever')),
  })
  .map(({ project, parts, stray }) => {
    const doc: Record<string, unknown> = { project, ...Object.fromEntries(parts) };
    if (stray) doc[stray] = {};
    return doc;
  });

describe('standalone schema validator (build output)', () => {
  it('records the digest of the schema it was generated from', () => {
    expect(generated.schemaSha256).toBe(schemaDigest(schemaText));
  });

  it('is what the built CLI validates with (npm run build and the test setup generate it)', async () => {
    const built = new URL('../../../dist/config/validate.js', import.meta.url).href;
    const dist = (await import(built)) as { usesStandaloneValidator(): boolean };
    expect(dist.usesStandaloneValidator()).toBe(true);
  });

  it('answers the documents of the examples and the fixtures exactly as the runtime-compiled validator', () => {
    const documents: unknown[] = [
      { project: REF, auth: { site_url: 'https://a', jwt_exp: 3600, uri_allow_list: ['https://a', 'https://b'] } },
      { project: REF, auth: { jwt_expiry: 3600 } },
      { project: REF, auht: {} },
      { auth: { jwt_exp: 1 } },
      { project: REF, pooler: { default_pool_size: 'twenty', pool_mode: 'transactoin' } },
      { project: REF, auth: { jwt_exp: 999999, password_min_length: 2, uri_allow_list: { a: 1 } } },
      { project: 'ABC', allow_risky: ['auth.x', 'Bad Key'] },
      { project: REF, sso: { providers: [{ attribute_mapping: {} }, { metadata_url: 3, domains: 'x' }] } },
      { project: REF, secrets: { values: { SUPABASE_URL: 'x', ok_name: 1 } } },
      { project: REF, postgres: { statement_timeout: 'forever', max_connections: -1, restart_database: 'yes' } },
      { project: REF, network_restrictions: { dbAllowedCidrs: 'x', dbAllowedCidrsV6: [1] } },
      { project: REF, postgrest: { db_schema: 7, max_rows: 'many' }, ssl_enforcement: { database: 'on' } },
      [],
      'a string',
      null,
    ];
    for (const doc of documents) expect(outcome(generated.validate, doc), JSON.stringify(doc)).toEqual(outcome(runtime, doc));
  });

  it('answers arbitrary near-miss documents exactly as the runtime-compiled validator', () => {
    fc.assert(
      fc.property(nearDocument, (doc) => {
        expect(outcome(generated.validate, doc)).toEqual(outcome(runtime, doc));
      }),
      { numRuns: 300 },
    );
  });
});
