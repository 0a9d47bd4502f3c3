/**
 * Issue 17 item 8: every field of the JSON plan is documented. docs/plan-format.md has one table per
 * object of docs/plan-format.schema.json, listing exactly its fields in the order the JSON has
 * them; the renderer's output is checked against that schema (test/e2e/plan-formats.test.ts).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PLAN_FORMAT_VERSION } from '../../../src/reconcile/types.js';
import { ROOT } from '../../helpers/cli.js';

const doc = readFileSync(`${ROOT}/docs/plan-format.md`, 'utf8');
const schema = JSON.parse(readFileSync(`${ROOT}/docs/plan-format.schema.json`, 'utf8')) as {
  definitions: Record<string, { properties: Record<string, unknown> }>;
};

/** The fields in the table under `### name`. */
function documented(name: string): string[] {
  const start = doc.indexOf(`\n### ${name}\n`);
  if (start < 0) return [];
  const end = doc.indexOf('\n### ', start + 1);
  const part = doc.slice(start, end < 0 ? undefined : end);
  return [...part.matchAll(/^\| `([a-z_]+)` \|/gm)].map((m) => m[1]!);
}

describe('docs/plan-format.md', () => {
  for (const [name, definition] of Object.entries(schema.definitions)) {
    it(`documents every field of ${name}, in order`, () => {
      expect(documented(name)).toEqual(Object.keys(definition.properties));
    });
  }

  it('names the current format version', () => {
    expect(doc).toContain(`**\`format_version\` is \`${PLAN_FORMAT_VERSION}\`.**`);
    expect(schema.definitions.plan!.properties.format_version).toEqual({ type: 'string', pattern: `^${PLAN_FORMAT_VERSION.split('.')[0]}\\.[0-9]+$` });
  });
});
