/**
 * Checks of each layer (a project's own documents, or a template's) that need the schema: every
 * `unmanage` entry names a section, or a key of it, that exists; and a layer does not both set and
 * unmanage one key.
 */
import type { ConfigIssue, SourceLocation } from '../errors.js';
import { providerBySection } from '../providers/index.js';
import type { Layer } from './merge.js';
import { didYouMean } from './suggest.js';
import type { ConfigSchema } from './validate.js';

const where = (l: SourceLocation): string => `${l.file}:${l.line}:${l.col}`;

export function checkLayers(layers: Iterable<Layer>, schema: ConfigSchema): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const sections = [...providerBySection.keys()];
  for (const layer of layers) {
    const own = layer.kind === 'project' ? 'this project' : 'this template';
    for (const entry of layer.unmanage) {
      const fail = (message: string) => issues.push({ location: entry.location, path: 'unmanage', message: `"${entry.value}": ${message}` });
      const [section = '', key] = entry.value.split('.');
      if (!providerBySection.has(section)) {
        fail(`unknown section "${section}"${didYouMean(section, sections)}`);
        continue;
      }
      if (key === 'mode') {
        fail('mode cannot be unmanaged; set it (mode: enforce or observe) instead');
        continue;
      }
      const keys = Object.keys(schema.properties[section]?.properties ?? {}).filter((k) => k !== 'mode');
      if (key !== undefined && !keys.includes(key)) {
        fail(`${section} has no key "${key}"${didYouMean(key, keys)}`);
        continue;
      }
      const builder = layer.sections.get(section);
      const setHere = key === undefined ? builder && [...builder.owners.keys()][0] : builder?.owners.has(key) ? key : undefined;
      if (builder && setHere !== undefined) {
        const at = builder.owners.get(setHere)!.positions.key([section, setHere]);
        fail(`${section}.${setHere} is also set by ${own} (at ${where(at)}); a layer cannot both set and unmanage a key`);
      }
    }
  }
  return issues;
}
