/**
 * The vendored OpenAPI spec for contract tests: find an operation by method and concrete path, the
 * statuses it lists, and its response schemas compiled by an ajv of the tests' own (allErrors, so
 * that documented deviations of the real API can be told apart from real mismatches).
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { openApiToJsonSchema, type OpenApiDocument } from '../../src/emulator/spec.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

const spec = JSON.parse(
  readFileSync(new URL('../../vendor/openapi/supabase-management-api.json', import.meta.url), 'utf8'),
) as OpenApiDocument;
openApiToJsonSchema(spec);
const ajv = new Ajv({ strict: false, allErrors: true, logger: false });
addFormats(ajv);
ajv.addSchema(spec as unknown as Record<string, unknown>, 'spec');

const templates = Object.keys(spec.paths).map((template) => ({
  template,
  params: (template.match(/\{/g) ?? []).length,
  pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
}));

/** The spec's path template for a concrete path (the most literal one when several match). */
export function templateFor(method: string, path: string): string | undefined {
  const found = templates
    .filter((t) => t.pattern.test(path) && spec.paths[t.template]?.[method.toLowerCase()] !== undefined)
    .sort((a, b) => a.params - b.params);
  return found[0]?.template;
}

/** The statuses the spec lists for an operation. */
export function listedStatuses(method: string, template: string): number[] {
  const op = spec.paths[template]?.[method.toLowerCase()];
  if (!op?.responses) throw new Error(`the spec has no operation ${method} ${template}`);
  return Object.keys(op.responses).map(Number);
}

const validators = new Map<string, ValidateFunction | null>();

/** Errors of a response body against the spec's schema for the status; undefined when there is none. */
export function responseErrors(method: string, template: string, status: number, body: unknown): ErrorObject[] | undefined {
  const key = `${method} ${template} ${status}`;
  if (!validators.has(key)) {
    const op = spec.paths[template]?.[method.toLowerCase()];
    const hasSchema = op?.responses?.[String(status)]?.content?.['application/json']?.schema !== undefined;
    const pointer = `/paths/${template.replace(/~/g, '~0').replace(/\//g, '~1')}/${method.toLowerCase()}/responses/${status}/content/application~1json/schema`;
    validators.set(key, hasSchema ? (ajv.getSchema(`spec#${pointer}`) ?? null) : null);
  }
  const validate = validators.get(key);
  if (!validate) return undefined;
  return validate(body) ? [] : [...(validate.errors ?? [])];
}

/**
 * Where the real API's answers, as recorded, do not meet the spec's response schemas. The emulator
 * answers as the real API does, so these (and only these) are tolerated. Each names its evidence; the
 * contract test checks that the recording really shows it.
 */
export const REAL_API_DEVIATIONS: { operation: string; at: RegExp; missing: string; evidence: string }[] = [
  {
    operation: 'SSO provider answers',
    at: /^(\/items\/\d+)?\/saml$/,
    missing: 'id',
    evidence: 'recorded/POST_v1_projects___PROJECT_REF___config_auth_sso_providers/default.response.json',
  },
  {
    operation: 'SSO provider answers',
    at: /^(\/items\/\d+)?\/saml\/attribute_mapping$/,
    missing: 'keys',
    evidence: 'recorded/POST_v1_projects___PROJECT_REF___config_auth_sso_providers/default.response.json',
  },
  {
    operation: 'SSO provider answers',
    at: /^(\/items\/\d+)?\/domains\/\d+$/,
    missing: 'id',
    evidence: 'recorded/POST_v1_projects___PROJECT_REF___config_auth_sso_providers/default.response.json',
  },
];

/**
 * Where the spec's response schema cannot be met by any answer: the entitlement `config` is a `oneOf`
 * of `{enabled}`, `{enabled, value, unlimited, unit}` and `{enabled, set}`, none closed
 * (`additionalProperties`), so a numeric or set config also matches `{enabled}` and fails `oneOf`
 * (it means `anyOf`). The errors of the failed `oneOf` (and of the branches it tried) are set aside
 * when the config matches the first branch and exactly one other; the contract test checks the defect.
 */
export const SPEC_DEFECTS = {
  entitlementConfigOneOf: {
    at: /^\/entitlements\/\d+\/config$/,
    schema: '/paths/~1v1~1organizations~1{slug}~1entitlements/get/responses/200/content/application~1json/schema',
  },
};

function isEntitlementOneOfDefect(e: ErrorObject, all: ErrorObject[]): boolean {
  const at = SPEC_DEFECTS.entitlementConfigOneOf.at;
  if (!at.test(e.instancePath)) return false;
  const oneOf = all.find((x) => x.keyword === 'oneOf' && x.instancePath === e.instancePath);
  const passing = (oneOf?.params as { passingSchemas?: number[] | null } | undefined)?.passingSchemas;
  return Array.isArray(passing) && passing.length === 2 && passing[0] === 0;
}

/** The errors left once the documented real-API deviations and spec defects are set aside. */
export function withoutKnownDeviations(errors: ErrorObject[]): ErrorObject[] {
  return errors.filter(
    (e) =>
      !(
        e.keyword === 'required' &&
        REAL_API_DEVIATIONS.some((d) => d.at.test(e.instancePath) && d.missing === e.params.missingProperty)
      ) && !isEntitlementOneOfDefect(e, errors),
  );
}
