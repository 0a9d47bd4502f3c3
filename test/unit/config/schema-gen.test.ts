import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import formats from 'ajv-formats';
import { afterAll, describe, expect, it } from 'vitest';
import {
  API_TYPES_FILE,
  CONFIG_SCHEMA_FILE,
  buildConfigSchema,
  generate,
  readSpec,
} from '../../../scripts/gen-schema.js';
import { ROOT } from '../../helpers/cli.js';

type Schema = { [k: string]: unknown; properties?: Record<string, Schema> };
const props = (s: Schema | undefined): Record<string, Schema> => s?.properties ?? {};

describe('gen-schema', () => {
  const out = mkdtempSync(join(tmpdir(), 'supasync-gen-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('regenerates config.schema.json and src/api/schema.gen.ts byte for byte', async () => {
    await generate(out);
    for (const file of [CONFIG_SCHEMA_FILE, API_TYPES_FILE]) {
      expect(readFileSync(join(out, file), 'utf8'), `${file} is stale: run npm run gen:schema`).toBe(
        readFileSync(join(ROOT, file), 'utf8'),
      );
    }
  });

  const schema = buildConfigSchema(readSpec()) as Schema;
  const section = (name: string) => props(schema)[name];
  const field = (sectionName: string, name: string) => props(section(sectionName))[name];

  it('compiles under ajv strict mode', () => {
    const ajv = new Ajv({ strict: true, allErrors: true, allowUnionTypes: true });
    formats.default(ajv);
    expect(() => ajv.compile(schema)).not.toThrow();
  });

  it('describes one document: project required (unless it is a template), strict at every level', () => {
    expect(schema.if).toMatchObject({ required: ['template'] });
    expect(schema.else).toMatchObject({ required: ['project'] });
    expect(schema.additionalProperties).toBe(false);
    expect(field('pooler', 'pool_mode')).toMatchObject({ enum: ['transaction', 'session'] });
    expect(section('pooler')?.additionalProperties).toBe(false);
    expect(field('sso', 'providers')).toMatchObject({ items: { additionalProperties: false } });
  });

  it('keeps the spec ranges, formats and patterns, and turns nullable into a null type', () => {
    expect(field('auth', 'jwt_exp')).toMatchObject({ type: ['integer', 'null'], minimum: 0, maximum: 604800 });
    expect(field('auth', 'smtp_admin_email')).toMatchObject({ format: 'email' });
    expect(field('auth', 'site_url')).toMatchObject({ pattern: '^[^,]+$' });
    expect(field('auth', 'security_captcha_provider')).toMatchObject({ enum: ['turnstile', 'hcaptcha', null] });
  });

  it('applies the friendly forms of the descriptors', () => {
    expect(field('auth', 'uri_allow_list')).toMatchObject({
      type: ['string', 'array', 'null'],
      items: { type: 'string', pattern: '^[^,]+$' },
    });
    expect(field('auth', 'smtp_port')).toMatchObject({ type: ['string', 'integer', 'null'] });
    const chars = field('auth', 'password_required_characters')?.enum as unknown[];
    expect(chars.slice(0, 2)).toEqual(['none', 'letters_digits']);
    expect(chars).toContain('abcdefghijklmnopqrstuvwxyz:ABCDEFGHIJKLMNOPQRSTUVWXYZ:0123456789');
  });

  it('adds mode to every section, and expands body references of extra properties without excluded fields', () => {
    const documentKeys = ['project', 'allow_risky', 'template', 'extends', 'vars', 'unmanage'];
    for (const name of Object.keys(props(schema)).filter((n) => !documentKeys.includes(n))) {
      expect(field(name, 'mode'), name).toMatchObject({ enum: ['enforce', 'observe'] });
    }
    const provider = (field('sso', 'providers')?.items ?? {}) as Schema;
    expect(Object.keys(props(provider)).sort()).toEqual(['attribute_mapping', 'domains', 'metadata_url', 'metadata_xml', 'name_id_format']);
    expect(provider.required).toBeUndefined();
  });

  it('refuses a spec keyword it does not know, rather than dropping it', () => {
    const spec = readSpec();
    const body = spec.components.schemas.UpdateSupavisorConfigBody as Schema;
    (props(body).pool_mode as Schema)['x-unknown'] = true;
    expect(() => buildConfigSchema(spec)).toThrow(/x-unknown/);
  });
});
