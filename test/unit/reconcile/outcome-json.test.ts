/**
 * apply's outcome in `apply --format json`: every field of every kind of section outcome (failed
 * with keys not taken, waiting, with warnings) is written in snake_case, in the order
 * docs/plan-format.schema.json lists it (the order docs/plan-format.md documents), and is valid
 * against that schema.
 */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { toJsonOutcome } from '../../../src/reconcile/render/json.js';
import type { Outcome } from '../../../src/reconcile/types.js';
import { ROOT } from '../../helpers/cli.js';

const schema = JSON.parse(readFileSync(`${ROOT}/docs/plan-format.schema.json`, 'utf8')) as {
  $id: string;
  definitions: Record<string, { properties: Record<string, unknown> }>;
};

const outcome: Outcome = {
  projects: [
    {
      ref: 'aaaaaaaaaaaaaaaaaaaa',
      status: 'error',
      sections: [
        {
          section: 'ssl_enforcement',
          status: 'error',
          changes: 1,
          requests: 1,
          warnings: [],
          error: { kind: 'api', code: 'E_NOT_TAKEN', message: 'the API answered but did not take this change: database still differs after apply' },
          not_taken: ['database'],
        },
        { section: 'custom_domain', status: 'applied', changes: 1, requests: 1, warnings: [], waiting: 'DNS records: …' },
        { section: 'signing_keys', status: 'applied', changes: 1, requests: 1, warnings: ['in_use: a further change is due now that this one is applied (the next plan shows it)'] },
      ],
    },
    { ref: 'bbbbbbbbbbbbbbbbbbbb', status: 'error', sections: [], error: { kind: 'api', code: 'E_API_STATUS', message: 'GET … failed 500', status: 500 } },
  ],
};

describe('toJsonOutcome', () => {
  const json = toJsonOutcome(outcome) as { projects: Array<Record<string, unknown> & { sections: Array<Record<string, unknown>> }> };

  it('is valid against the documented schema, in snake_case', () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    ajv.addSchema(schema);
    const validate = ajv.getSchema(`${schema.$id}#/definitions/outcome`)!;
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
    expect(JSON.stringify(json)).not.toMatch(/"[a-z]+[A-Z][A-Za-z]*":/);
  });

  it('writes the fields in the documented order, only those present', () => {
    const order = (name: string) => Object.keys(schema.definitions[name]!.properties);
    const inOrder = (keys: string[], name: string) => expect(keys).toEqual(order(name).filter((k) => keys.includes(k)));
    for (const p of json.projects) {
      inOrder(Object.keys(p), 'project_outcome');
      for (const s of p.sections) inOrder(Object.keys(s), 'section_outcome');
    }
    expect(Object.keys(json.projects[0]!.sections[0]!)).toEqual(['section', 'status', 'changes', 'requests', 'error', 'not_taken', 'warnings']);
    expect(json.projects[0]!.sections[1]).toMatchObject({ status: 'applied', waiting: 'DNS records: …' });
    expect(Object.keys(json.projects[1]!)).toEqual(['ref', 'status', 'error', 'sections']);
  });
});
