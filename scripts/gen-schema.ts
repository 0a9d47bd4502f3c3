/**
 * Generates, from the vendored OpenAPI spec and the provider registry:
 *   - config.schema.json: the JSON Schema (draft-07) of one supasync YAML document;
 *   - src/api/schema.gen.ts: TypeScript types of the Management API (openapi-typescript).
 *
 * Usage: npm run gen:schema [-- --out DIR]   (DIR defaults to the repository root)
 *
 * Output is deterministic (sorted keys, 2-space JSON, trailing newline): regenerating without a
 * spec or descriptor change gives byte-identical files, which test/unit/config/schema-gen.test.ts checks.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import openapiTS, { COMMENT_HEADER, astToString } from 'openapi-typescript';
import { providers } from '../src/providers/index.js';
import { describeFormat, patternOf, takesNumber } from '../src/providers/formats.js';
import type { BodyRef, JsonSchema, SectionSchema } from '../src/providers/types.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const SPEC_PATH = join(ROOT, 'vendor/openapi/supabase-management-api.json');
export const CONFIG_SCHEMA_FILE = 'config.schema.json';
export const API_TYPES_FILE = 'src/api/schema.gen.ts';

interface OpenApiSpec {
  components: { schemas: Record<string, JsonSchema> };
}

/** OpenAPI schema keywords that carry over to JSON Schema unchanged. */
const COPIED = new Set([
  'type', 'enum', 'format', 'pattern', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum',
  'minLength', 'maxLength', 'minItems', 'maxItems', 'uniqueItems', 'description', 'default', 'title', 'const',
]);
/** OpenAPI-only annotations with no meaning for validation. */
const DROPPED = new Set(['example']);

/**
 * Spec patterns that backtrack catastrophically or polynomially, each with an equivalent linear form
 * (recheck proves it linear; test/unit/config/safe-patterns.test.ts proves the two accept the same
 * strings; test/reliability/pattern-audit.test.ts checks every pattern the schema ends up with).
 * src/config/messages.ts words the replacements for people (PATTERN_MESSAGES is keyed by them).
 */
export const SAFE_PATTERNS: Readonly<Record<string, string>> = {
  // sessions_tags: comma-separated tags. The spec's nested quantifiers are exponential; a first
  // replacement, `^\s*(?:W+(?:\s*,+\s*W+)*(?:\s*,+)?)?\s*$`, was still quadratic (leading and
  // trailing \s* both match a run of blanks: 12 s at 100k characters). Here the blanks after the
  // last tag are read once, and a blank-only value is the leading \s* alone.
  '^\\s*([a-zA-Z0-9_-]+(\\s*,+\\s*)?)*\\s*$':
    '^\\s*(?:[a-zA-Z0-9_-]+(?:\\s*,+\\s*[a-zA-Z0-9_-]+)*\\s*(?:,+\\s*)?)?$',
  // sms_test_otp: phone=code pairs; the comma between pairs is optional, so `1=23=4` is the two
  // pairs 1=2 and 3=4. Exponential in the spec (3.7 s at 99 characters, no end at 123). The same
  // language, read once: a comma-free run is `P(=G)*=D+` where P is a phone of 1-15 digits and each
  // inner group G (a code followed by the next phone) has 2 or more digits.
  '^([0-9]{1,15}=[0-9]+,?)*$':
    '^(?:[0-9]{1,15}(?:=[0-9]{2,})*=[0-9]+(?:,[0-9]{1,15}(?:=[0-9]{2,})*=[0-9]+)*,?)?$',
};

/** Items of a list given for a comma-separated API field. */
const COMMA_FREE_ITEM: JsonSchema = { type: 'string', pattern: '^[^,]+$' };

/** `section` or `section.key`, as allow_risky and unmanage entries name them. */
const SECTION_KEY_PATTERN = '^[a-z_]+(\\.[A-Za-z0-9_]+)?$';
/** An allow_risky entry: `section`, `section.key`, or `section[item]` (an item of a collection, as the plan names it). */
const ALLOW_RISKY_PATTERN = '^[a-z_]+(\\.[A-Za-z0-9_]+|\\[.+\\])?$';
export const TEMPLATE_NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.-]*$';
export const VARIABLE_NAME_PATTERN = '^[A-Za-z_][A-Za-z0-9_]*$';
const TEMPLATE_NAME: JsonSchema = { type: 'string', pattern: TEMPLATE_NAME_PATTERN, maxLength: 100 };

/** The keys of templates and layering (docs/configuration.md, "Many projects"). */
const FLEET_PROPERTIES: Record<string, JsonSchema> = {
  template: {
    ...TEMPLATE_NAME,
    description:
      'Makes this document a template named NAME (instead of a project): it holds sections, allow_risky, vars, extends and unmanage for the projects that extend it.',
  },
  extends: {
    type: 'array',
    items: TEMPLATE_NAME,
    uniqueItems: true,
    description:
      'Templates this project or template builds on, in order: each one (after its own extends) is a layer, later layers override earlier ones key by key, and the document itself comes last.',
  },
  vars: {
    type: 'object',
    propertyNames: { pattern: VARIABLE_NAME_PATTERN, maxLength: 100 },
    additionalProperties: { type: ['string', 'number', 'boolean', 'array', 'object'] },
    description:
      'Variables for ${var:NAME} references in section values. A template\'s vars are defaults; the project\'s own win. Resolved per project after merging.',
  },
  unmanage: {
    type: 'array',
    items: { type: 'string', pattern: SECTION_KEY_PATTERN },
    uniqueItems: true,
    description:
      'Keys (`section.key`) or whole sections (`section`) inherited from templates that this document stops managing.',
  },
};

const MODE: JsonSchema = {
  type: 'string',
  enum: ['enforce', 'observe'],
  description: 'enforce (default): apply differences; observe: report drift, never write.',
};

class SchemaConverter {
  constructor(private readonly spec: OpenApiSpec) {}

  body(name: string): JsonSchema {
    const schema = this.spec.components.schemas[name];
    if (!schema) throw new Error(`the spec has no components.schemas.${name}`);
    return schema;
  }

  /** OpenAPI 3.0 schema → self-contained, strict draft-07 schema. */
  convert(schema: JsonSchema, where: string, seen: readonly string[] = []): JsonSchema {
    if (typeof schema.$ref === 'string') {
      const name = schema.$ref.replace(/^#\/components\/schemas\//, '');
      if (seen.includes(name)) throw new Error(`${where}: recursive $ref ${schema.$ref} cannot be inlined`);
      return this.convert(this.body(name), where, [...seen, name]);
    }
    const out: JsonSchema = {};
    for (const [key, value] of Object.entries(schema)) {
      if (COPIED.has(key)) out[key] = key === 'pattern' ? (SAFE_PATTERNS[value as string] ?? value) : value;
      else if (key === 'properties') out.properties = this.properties(value as Record<string, JsonSchema>, where, seen);
      else if (key === 'items') out.items = this.convert(value as JsonSchema, `${where}[]`, seen);
      else if (key === 'additionalProperties') {
        out.additionalProperties = typeof value === 'boolean' ? value : this.convert(value as JsonSchema, `${where}.*`, seen);
      } else if (key === 'oneOf' || key === 'anyOf' || key === 'allOf') {
        out[key] = (value as JsonSchema[]).map((s, i) => this.convert(s, `${where}.${key}[${i}]`, seen));
      } else if (key === 'required') out.required = [...(value as string[])];
      else if (key !== 'nullable' && !DROPPED.has(key)) {
        throw new Error(`${where}: OpenAPI keyword "${key}" is not handled by the generator`);
      }
    }
    if (schema.nullable === true) makeNullable(out, where);
    // Strict: an object that names its properties accepts no others. An object with no named
    // properties is an open map in the spec and stays one.
    if (out.properties && Object.keys(out.properties).length > 0 && out.additionalProperties === undefined) {
      out.additionalProperties = false;
    }
    return out;
  }

  private properties(props: Record<string, JsonSchema>, where: string, seen: readonly string[]): JsonSchema {
    const out: JsonSchema = {};
    for (const [name, schema] of Object.entries(props)) out[name] = this.convert(schema, `${where}.${name}`, seen);
    return out;
  }

  /** A body's properties as a strict object schema, minus `exclude`, with `require`. */
  bodyObject(ref: BodyRef, where: string): JsonSchema {
    const converted = this.convert(this.body(ref.$body), where);
    const properties = { ...(converted.properties as Record<string, JsonSchema>) };
    for (const name of ref.exclude ?? []) {
      if (!(name in properties)) throw new Error(`${where}: excluded property ${name} is not in ${ref.$body}`);
      delete properties[name];
    }
    const required = [...((converted.required as string[] | undefined) ?? []), ...(ref.require ?? [])].filter(
      (name) => name in properties,
    );
    return {
      type: 'object',
      properties,
      additionalProperties: false,
      ...(required.length ? { required: [...new Set(required)] } : {}),
    };
  }
}

function makeNullable(schema: JsonSchema, where: string): void {
  if (typeof schema.type !== 'string') throw new Error(`${where}: nullable without a single type`);
  schema.type = [schema.type, 'null'];
  if (Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum = [...schema.enum, null];
}

/** The schema's types plus `added`, with null last (ajv messages list them in this order). */
function withTypes(schema: JsonSchema, added: string): string[] {
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
  const all = [...new Set([...types.filter((t) => t !== 'null'), added])];
  return types.includes('null') ? [...all, 'null'] : all;
}

function field(properties: Record<string, JsonSchema>, name: string, section: string): JsonSchema {
  const schema = properties[name];
  if (!schema) throw new Error(`${section}: the descriptor names ${name}, which the body does not have`);
  return schema;
}

/** Applies the descriptor's friendlier forms to the section's fields. */
function applyFriendlyForms(properties: Record<string, JsonSchema>, desc: SectionSchema, section: string): void {
  const lists: Array<[string, string]> = [
    ...(desc.commaLists ?? []).map((name): [string, string] => [name, 'A comma-separated string or a list of strings.']),
    ...(desc.orderedLists ?? []).map((name): [string, string] => [name, 'A comma-separated string or a list of strings; their order matters.']),
  ];
  for (const [name, sentence] of lists) {
    const schema = field(properties, name, section);
    schema.type = withTypes(schema, 'array');
    const itemPattern = desc.commaListItems?.[name];
    schema.items = itemPattern ? { type: 'string', pattern: itemPattern } : { ...COMMA_FREE_ITEM };
    schema.description = appendSentence(schema.description, sentence);
  }
  for (const name of desc.numericStrings ?? []) {
    const schema = field(properties, name, section);
    schema.type = withTypes(schema, 'integer');
  }
  for (const [name, format] of Object.entries(desc.formats ?? {})) {
    const schema = field(properties, name, section);
    const pattern = patternOf(format);
    // The spec's own pattern (the time fields have one) must be the format's: two rules for one field would drift.
    if (schema.pattern !== undefined && schema.pattern !== pattern) throw new Error(`${section}.${name}: the spec's pattern differs from the ${format.kind} format's`);
    schema.pattern = pattern;
    if (takesNumber(format)) schema.type = withTypes(schema, 'integer');
    schema.description = appendSentence(schema.description, describeFormat(format));
  }
  for (const [name, aliases] of Object.entries(desc.aliases ?? {})) {
    const schema = field(properties, name, section);
    if (!Array.isArray(schema.enum)) throw new Error(`${section}.${name}: aliases on a field without an enum`);
    const names = Object.keys(aliases);
    const values = schema.enum as unknown[];
    for (const [alias, apiValue] of Object.entries(aliases)) {
      if (!values.includes(apiValue)) throw new Error(`${section}.${name}: alias ${alias} maps to a value the enum lacks`);
    }
    // Aliases first: they are what people write, and what messages list first.
    schema.enum = [...names, ...values.filter((v) => !names.includes(v as string))];
    schema.description = appendSentence(schema.description, `Names accepted for the API values: ${names.join(', ')}.`);
  }
  for (const name of desc.mergedObjects ?? []) {
    const schema = field(properties, name, section);
    const members = schema.properties as Record<string, JsonSchema> | undefined;
    if (!members) throw new Error(`${section}.${name}: mergedObjects names a field without properties`);
    // Each object is merged with its live value, so any part of it may be given.
    for (const member of Object.values(members)) delete member.required;
    schema.description = appendSentence(schema.description, 'Each object given is merged with its live value: keys left out keep their live value.');
  }
  for (const name of desc.restartFields ?? []) {
    const schema = field(properties, name, section);
    schema.description = appendSentence(schema.description, 'Takes effect only after a restart.');
  }
}

const LONG_TEXT_SENTENCE =
  'A long text: `${include:PATH}` (the whole value) loads it from a file of the configuration, PATH relative to this YAML file and below its -c directory, as it is (never interpolated, not a secret).';

/** Says on the long-text fields that `${include:}` can load them (./docs/configuration.md). */
function applyLongTexts(properties: Record<string, JsonSchema>, desc: SectionSchema, section: string): void {
  for (const name of desc.longTexts ?? []) {
    const [list, inner] = name.split('[].') as [string, string | undefined];
    const holder = inner === undefined ? properties : ((field(properties, list, section).items as JsonSchema | undefined)?.properties as Record<string, JsonSchema> | undefined);
    if (!holder) throw new Error(`${section}.${name}: ${list} is not a list of objects`);
    const schema = field(holder, inner ?? list, section);
    if (!([] as unknown[]).concat(schema.type).includes('string')) throw new Error(`${section}.${name}: a long text must be a string field`);
    schema.description = appendSentence(schema.description, LONG_TEXT_SENTENCE);
  }
}

function appendSentence(description: unknown, sentence: string): string {
  return typeof description === 'string' && description ? `${description} ${sentence}` : sentence;
}

function sectionSchema(conv: SchemaConverter, section: string, desc: SectionSchema): JsonSchema {
  const properties: Record<string, JsonSchema> = desc.body
    ? (conv.bodyObject(desc.body, section).properties as Record<string, JsonSchema>)
    : {};
  applyFriendlyForms(properties, desc, section);
  for (const [name, extra] of Object.entries(desc.extra ?? {})) {
    if (name in properties) throw new Error(`${section}: extra property ${name} clashes with a body field`);
    const items = extra.items as BodyRef | undefined;
    properties[name] =
      extra.type === 'array' && items && typeof items.$body === 'string'
        ? {
            type: 'array',
            items: conv.bodyObject(items, `${section}.${name}[]`),
            ...(extra.description ? { description: extra.description } : {}),
          }
        : structuredClone(extra as JsonSchema);
  }
  applyLongTexts(properties, desc, section);
  if ('mode' in properties) throw new Error(`${section}: a field named mode clashes with the section mode`);
  properties.mode = { ...MODE };
  return { type: 'object', description: desc.description, properties, additionalProperties: false };
}

export function buildConfigSchema(
  spec: OpenApiSpec,
  sections: ReadonlyArray<{ section: string; schema: SectionSchema }> = providers,
): JsonSchema {
  const conv = new SchemaConverter(spec);
  const properties: Record<string, JsonSchema> = {
    project: {
      type: 'string',
      pattern: '^[a-z]{20}$',
      description: 'Project ref (20 lowercase letters), as in https://supabase.com/dashboard/project/<ref>.',
    },
    allow_risky: {
      type: 'array',
      items: { type: 'string', pattern: ALLOW_RISKY_PATTERN },
      description:
        'Risky changes this project allows without --allow-risky: `section.key` (e.g. auth.password_min_length), ' +
        '`section[item]` for an item of a collection (e.g. "secrets[OLD_KEY]", quoted in YAML), or `section`. The plan names the entry for each risky change. ' +
        'Entries of the templates a project extends add up.',
    },
    ...FLEET_PROPERTIES,
  };
  for (const { section, schema } of sections) properties[section] = sectionSchema(conv, section, schema);
  return sortKeys({
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'supasync configuration document',
    description:
      'One YAML document: the project it addresses (or, with `template:`, a template projects extend) and the sections it manages. Absent sections and keys are unmanaged.',
    type: 'object',
    properties,
    additionalProperties: false,
    // A project document names its project; a template document (`template: NAME`) does not.
    // (ajv's strictRequired wants each required key declared beside it.)
    if: { properties: { template: true }, required: ['template'] },
    else: { properties: { project: true }, required: ['project'] },
  }) as JsonSchema;
}

/** Recursively sorts object keys; arrays keep their order (enum order is meaningful in messages). */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

export async function buildApiTypes(specPath: string = SPEC_PATH): Promise<string> {
  return `${COMMENT_HEADER}${astToString(await openapiTS(pathToFileURL(specPath)))}`;
}

export function readSpec(specPath: string = SPEC_PATH): OpenApiSpec {
  return JSON.parse(readFileSync(specPath, 'utf8')) as OpenApiSpec;
}

/** Writes both generated files below `outDir` (the repository root by default). */
export async function generate(outDir: string = ROOT, specPath: string = SPEC_PATH): Promise<string[]> {
  const outputs: Array<[string, string]> = [
    [CONFIG_SCHEMA_FILE, `${JSON.stringify(buildConfigSchema(readSpec(specPath)), null, 2)}\n`],
    [API_TYPES_FILE, await buildApiTypes(specPath)],
  ];
  return outputs.map(([file, text]) => {
    const target = join(outDir, file);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
    return target;
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outFlag = process.argv.indexOf('--out');
  const outDir = outFlag > 0 ? resolve(process.argv[outFlag + 1] ?? '.') : ROOT;
  for (const file of await generate(outDir)) console.log(`wrote ${file}`);
}
