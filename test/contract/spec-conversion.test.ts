/** OpenAPI 3.0 → JSON Schema conversion the validators rely on (nullable, enums, refs, examples). */
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { openApiToJsonSchema } from '../../src/emulator/spec.js';

function compile(schema: Record<string, unknown>) {
  const copy = structuredClone(schema);
  openApiToJsonSchema(copy);
  const ajv = new Ajv({ strict: false });
  ajv.addSchema({ $id: 'defs', definitions: { Thing: { type: 'object', required: ['a'] } } });
  return ajv.compile(copy);
}

describe('openApiToJsonSchema', () => {
  it('nullable typed values accept null and still check the type', () => {
    const validate = compile({ type: 'integer', minimum: 0, nullable: true });
    expect(validate(null)).toBe(true);
    expect(validate(3)).toBe(true);
    expect(validate('3')).toBe(false);
    expect(validate(-1)).toBe(false);
  });

  it('nullable enums accept null and only the listed values', () => {
    const validate = compile({ type: 'string', enum: ['twilio', 'vonage'], nullable: true });
    expect(validate(null)).toBe(true);
    expect(validate('vonage')).toBe(true);
    expect(validate('other')).toBe(false);
  });

  it('nullable references accept null or the referenced schema', () => {
    const validate = compile({ $ref: 'defs#/definitions/Thing', nullable: true });
    expect(validate(null)).toBe(true);
    expect(validate({ a: 1 })).toBe(true);
    expect(validate({})).toBe(false);
  });

  it('a bare {nullable: true} accepts anything; not-nullable values refuse null', () => {
    expect(compile({ nullable: true })(null)).toBe(true);
    expect(compile({ type: 'string' })(null)).toBe(false);
  });

  it('works in nested properties and leaves examples alone', () => {
    const schema = {
      type: 'object',
      properties: { n: { type: 'number', nullable: true } },
      example: { n: { nullable: true } },
    };
    const copy = structuredClone(schema);
    openApiToJsonSchema(copy);
    expect(copy.example).toEqual({ n: { nullable: true } });
    expect(compile(schema)({ n: null })).toBe(true);
  });
});
