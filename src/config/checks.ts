/**
 * Checks beyond the JSON Schema, run on the merged desired state before anything is contacted:
 * each provider's own `check()` (CIDR syntax, ...) and the `allow_risky` entries.
 */
import type { ConfigIssue } from '../errors.js';
import { providerBySection } from '../providers/index.js';
import { formatPath } from './locate.js';
import { didYouMean } from './suggest.js';
import type { DesiredProject, DesiredSection, ValuePath } from './types.js';
import type { ConfigSchema } from './validate.js';

export interface CheckResult {
  issues: ConfigIssue[];
  warnings: string[];
}

export function checkProjects(projects: readonly DesiredProject[], schema: ConfigSchema, skip: ReadonlySet<string>): CheckResult {
  const issues: ConfigIssue[] = [];
  const warnings: string[] = [];
  for (const project of projects) {
    for (const section of project.sections.values()) {
      // A section with schema errors may hold values of the wrong type: its checks would only add noise.
      if (skip.has(`${project.ref}/${section.name}`)) continue;
      const findings = providerBySection.get(section.name)?.check?.(section) ?? [];
      for (const finding of findings) {
        const location = section.locate(finding.path);
        const path = formatPath([section.name, ...finding.path]);
        const message = withoutSensitiveValue(section, finding.path, finding.message);
        if (finding.severity === 'error') issues.push({ location, path, message });
        else warnings.push(`${location.file}:${location.line}:${location.col}: ${path}: ${message}`);
      }
    }
    issues.push(...checkAllowRisky(project, schema));
  }
  return { issues, warnings };
}

/**
 * A provider's finding may quote the value it is about (`"x" is not a CIDR`). When that value is
 * sensitive (read from a file, or a secret field) it is replaced here, whatever its length: the
 * loader's redaction leaves values of under four characters alone, as they are mostly words.
 */
function withoutSensitiveValue(section: DesiredSection, path: ValuePath, message: string): string {
  const joined = path.map(String).join('/');
  const fromFile = [...section.fromFile].some((p) => joined === p || joined.startsWith(`${p}/`));
  const secretFields = providerBySection.get(section.name)?.schema.secretFields ?? [];
  if (!fromFile && !(typeof path[0] === 'string' && secretFields.includes(path[0]))) return message;
  let value: unknown = section.values;
  for (const segment of path) value = value && typeof value === 'object' ? (value as Record<string | number, unknown>)[segment] : undefined;
  return typeof value === 'string' && value ? message.split(`"${value}"`).join('"[redacted]"') : message;
}

function checkAllowRisky(project: DesiredProject, schema: ConfigSchema): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const sections = [...providerBySection.keys()];
  for (const entry of project.allowRisky) {
    const [section = '', key] = entry.key.split('.');
    const fail = (message: string) => issues.push({ location: entry.location, path: 'allow_risky', message });
    if (!providerBySection.has(section)) {
      fail(`"${entry.key}": unknown section "${section}"${didYouMean(section, sections)}`);
      continue;
    }
    const keys = Object.keys(schema.properties[section]?.properties ?? {}).filter((k) => k !== 'mode');
    if (key !== undefined && !keys.includes(key)) fail(`"${entry.key}": ${section} has no key "${key}"${didYouMean(key, keys)}`);
  }
  return issues;
}
