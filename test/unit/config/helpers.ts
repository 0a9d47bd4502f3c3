/** Builds loader documents from YAML text, as load.ts does, for unit tests of the later stages. */
import type { InterpolationSources } from '../../../src/config/interpolate.js';
import type { MergeInput } from '../../../src/config/merge.js';
import { parseYaml } from '../../../src/config/parse.js';
import { documentToTree, type DocumentTree } from '../../../src/config/tree.js';

export const noFiles: InterpolationSources['readFile'] = () => ({ ok: false, message: 'no file reads in this test' });

export function treesOf(
  file: string,
  text: string,
  sources: Partial<InterpolationSources> = {},
): DocumentTree[] {
  const parsed = parseYaml(file, text);
  if (parsed.issues.length) throw new Error(`unexpected YAML issues: ${JSON.stringify(parsed.issues)}`);
  return parsed.documents.map((doc) =>
    documentToTree(doc, {
      file,
      source: text,
      lineCounter: parsed.lineCounter,
      sources: { env: sources.env ?? {}, readFile: sources.readFile ?? noFiles },
    }),
  );
}

export function mergeInputs(file: string, text: string): MergeInput[] {
  return treesOf(file, text)
    .filter((t) => t.value !== undefined)
    .map((t) => ({ value: t.value as Record<string, unknown>, positions: t.positions, fromFile: t.fromFile }));
}
