/**
 * Checks beyond the JSON Schema, run on the merged desired state before anything is contacted:
 * each provider's own `check()` (CIDR syntax, ...) and the `allow_risky` entries.
 */
import type { ConfigIssue } from '../errors.js';
import { providerBySection } from '../providers/index.js';
import { formatPath } from './locate.js';
import { didYouMean } from './suggest.js';
import type { CheckFinding, Quote } from '../providers/types.js';
import { touchesFromFile } from './from-file.js';
import type { DesiredProject, DesiredSection } from './types.js';
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
        const message = messageOf(section, finding);
        if (finding.severity === 'error') issues.push({ location, path, message });
        else warnings.push(`${location.file}:${location.line}:${location.col}: ${path}: ${message}`);
      }
    }
    issues.push(...checkAllowRisky(project, schema));
  }
  return { issues, warnings };
}

const quoted: Quote = Object.assign((value: unknown) => `"${String(value)}"`, { hidden: false });
const unquoted: Quote = Object.assign(() => 'the value', { hidden: true });

/**
 * A finding's message, quoting the value only when its path is not sensitive: a secret field, or a
 * path at, inside or holding a value read from a file. (The loader's redaction of every message is
 * the second line of defence, for values quoted elsewhere.)
 */
function messageOf(section: DesiredSection, finding: CheckFinding): string {
  if (typeof finding.message === 'string') return finding.message;
  const secretFields = providerBySection.get(section.name)?.schema.secretFields ?? [];
  const [field] = finding.path;
  const sensitive = (typeof field === 'string' && secretFields.includes(field)) || touchesFromFile(section.fromFile, finding.path);
  return finding.message(sensitive ? unquoted : quoted);
}

/** An item entry, `section[item]` (the others are `section` and `section.key`); linear: anchored at both ends. */
const ITEM_ENTRY = /^([a-z_]+)\[(.+)\]$/;

function checkAllowRisky(project: DesiredProject, schema: ConfigSchema): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const sections = [...providerBySection.keys()];
  for (const entry of project.allowRisky) {
    const item = ITEM_ENTRY.exec(entry.key);
    // An item (`secrets[OLD_KEY]`, `sso[acme.com]`) is named by the plan from live state: any name is
    // valid here, and the entry allows the risky changes of that item only.
    const [section = '', key] = item ? [item[1]!] : entry.key.split('.');
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
