/**
 * Hostile YAML sizes (issue 13, item 6): the value cap must be reported from the token tree, before
 * composing (yaml's own duplicate-key check is quadratic: a 116k-key file took 147 s), and duplicate
 * keys must still be found among tens of thousands of distinct ones.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../../src/config/limits.js';
import { loadDesiredState } from '../../../src/config/load.js';
import { parseYaml } from '../../../src/config/parse.js';
import { ConfigError, formatIssue } from '../../../src/errors.js';

const REF = 'abcdefghijklmnopqrst';
let root: string;

async function issuesOf(file: string): Promise<string[]> {
  try {
    await loadDesiredState([file], { secretsDirs: [], env: {} });
  } catch (err) {
    if (err instanceof ConfigError) return err.issues.map(formatIssue);
    throw err;
  }
  throw new Error('expected a ConfigError');
}

/** `project` on line 1, then `count` distinct top-level keys `k<base36>: 1`, one per line. */
function manyKeys(count: number): string {
  const lines = [`project: ${REF}`];
  for (let i = 0; i < count; i++) lines.push(`k${i.toString(36)}: 1`);
  return `${lines.join('\n')}\n`;
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'supasync-yaml-limits-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('YAML size limits', () => {
  it('reports the value cap for a 1 MiB file of 116k keys, located at the first value over it', async () => {
    const text = manyKeys(116_000);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(LIMITS.fileBytes);
    const file = join(root, 'many.yaml');
    writeFileSync(file, text);
    // The root counts as one value and `project` as another: key i (on line i + 2) is value i + 3.
    const line = LIMITS.values; // value LIMITS.values + 1 is key LIMITS.values - 2, on line LIMITS.values
    expect(await issuesOf(file)).toEqual([`${file}:${line}:1: document has more than ${LIMITS.values} values`]);
  });

  it('counts values per document, in flow collections too', () => {
    const flow = `[${Array.from({ length: LIMITS.values + 5 }, () => '1').join(',')}]\n`;
    const issues = parseYaml('f.yaml', flow).issues.map((i) => i.message);
    expect(issues).toEqual([`document has more than ${LIMITS.values} values`]);
    // Two documents just under the cap each are fine.
    const half = `[${Array.from({ length: LIMITS.values - 2 }, () => '1').join(',')}]\n`;
    expect(parseYaml('f.yaml', `${half}---\n${half}`).issues).toEqual([]);
  });

  it('finds the one duplicate among 50k distinct keys, at the duplicate', async () => {
    const text = `${manyKeys(50_000)}k7: 2\n`;
    const file = join(root, 'dup.yaml');
    writeFileSync(file, text);
    expect(await issuesOf(file)).toEqual([`${file}:50002:1: YAML: duplicate key "k7": a key may appear only once in a mapping`]);
  });

  it('finds duplicates in flow mappings and nested mappings, each at its own position', () => {
    const issues = parseYaml('f.yaml', 'a: {x: 1, y: 2, x: 3}\nb:\n  c: 1\n  d:\n    e: 1\n    e: 2\n  c: 3\n').issues;
    expect(issues.map((i) => `${i.location?.line}:${i.location?.col} ${i.message}`)).toEqual([
      '1:17 YAML: duplicate key "x": a key may appear only once in a mapping',
      '6:5 YAML: duplicate key "e": a key may appear only once in a mapping',
      '7:3 YAML: duplicate key "c": a key may appear only once in a mapping',
    ]);
  });

  it('words 30k failed oneOf alternatives (once quadratic: every alternative scanned every error)', async () => {
    const keys = Array.from({ length: 30_000 }, (_, i) => `      k${i.toString(36)}: {default: null}`).join('\n');
    const file = join(root, 'alternatives.yaml');
    writeFileSync(file, `project: ${REF}\nsso:\n providers:\n  - metadata_url: https://idp.example.com/m\n    attribute_mapping:\n     keys:\n${keys}\n`);
    const issues = await issuesOf(file);
    expect(issues).toHaveLength(LIMITS.issues + 1);
    expect(issues[0]).toBe(`${file}:7:12: sso.providers[0].attribute_mapping.keys.k0.default: must be a mapping, a number, a string or true or false`);
    expect(issues.at(-1)).toBe(`… and ${30_000 - LIMITS.issues} more issues`);
  });
});
