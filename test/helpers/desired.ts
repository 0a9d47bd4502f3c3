/** Builds desired-state values for unit tests of the pure core (no YAML involved). */
import type { DesiredProject, DesiredSection, SectionMode } from '../../src/config/types.js';

export function section(
  name: string,
  values: Record<string, unknown>,
  opts: { mode?: SectionMode; fromFile?: string[] } = {},
): DesiredSection {
  return {
    name,
    mode: opts.mode ?? 'enforce',
    values,
    fromFile: new Set(opts.fromFile ?? []),
    locate: () => ({ file: `${name}.yaml`, line: 1, col: 1 }),
  };
}

export function project(ref: string, sections: DesiredSection[], allowRisky: string[] = []): DesiredProject {
  return {
    ref,
    sections: new Map(sections.map((s) => [s.name, s])),
    allowRisky: allowRisky.map((key) => ({ key, location: { file: 'x.yaml', line: 1, col: 1 } })),
    location: { file: 'x.yaml', line: 1, col: 1 },
  };
}

export const REF = 'abcdefghijklmnopqrst';
