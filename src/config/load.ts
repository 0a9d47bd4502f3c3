/**
 * The configuration loader: files → YAML documents → interpolated values → schema validation →
 * merged desired state → semantic checks. Every problem found is collected, and one ConfigError
 * reports them all; if any file is invalid, nothing is returned (so nothing is contacted).
 */
import { ConfigError, type ConfigIssue } from '../errors.js';
import { checkProjects } from './checks.js';
import { discoverConfigFiles } from './files.js';
import { foreignDocument } from './foreign.js';
import { PATTERN_BUDGET } from '../redact.js';
import { LIMITS } from './limits.js';
import { mergeDocuments, type MergeInput } from './merge.js';
import { parseYamlSliced } from './parse.js';
import { escapeHidden, printable } from './printable.js';
import { newReadBudget, readConfigFile } from './read.js';
import { createSecretFileReader } from './secret-files.js';
import { SensitiveValues } from './sensitive.js';
import { timeSlicer } from './slicer.js';
import { documentToTree } from './tree.js';
import type { DesiredState, LoadOptions } from './types.js';
import { configSchema, validateDocumentSliced } from './validate.js';

function compareIssues(a: ConfigIssue, b: ConfigIssue): number {
  const la = a.location;
  const lb = b.location;
  if (!la || !lb) return la ? 1 : lb ? -1 : 0;
  if (la.file !== lb.file) return la.file < lb.file ? -1 : 1;
  return la.line - lb.line || la.col - lb.col;
}

/** Redacted first (a shortened secret could no longer be found), then made printable. */
function finalIssue(issue: ConfigIssue, sensitive: SensitiveValues): ConfigIssue {
  return {
    ...issue,
    ...(issue.location ? { location: { ...issue.location, file: escapeHidden(issue.location.file) } } : {}),
    path: printable(sensitive.redact(issue.path)),
    message: printable(sensitive.redact(issue.message)),
  };
}

function finalIssues(issues: ConfigIssue[], sensitive: SensitiveValues): ConfigIssue[] {
  const seen = new Set<string>();
  const unique = issues
    .map((i) => finalIssue(i, sensitive))
    .filter((i) => {
      const key = JSON.stringify(i);
      return seen.has(key) ? false : (seen.add(key), true);
    })
    .sort(compareIssues);
  if (unique.length <= LIMITS.issues) return unique;
  const rest = unique.length - LIMITS.issues;
  return [...unique.slice(0, LIMITS.issues), { path: '', message: `… and ${rest} more issue${rest === 1 ? '' : 's'}` }];
}

export async function loadDesiredState(paths: readonly string[], opts: LoadOptions): Promise<DesiredState> {
  const env = opts.env ?? process.env;
  const secrets = createSecretFileReader(opts.secretsDirs);
  const discovery = await discoverConfigFiles(paths);
  const issues: ConfigIssue[] = [...secrets.issues, ...discovery.issues];
  const sensitive = new SensitiveValues();
  const documents: MergeInput[] = [];
  /** `ref/section` pairs with schema errors: their semantic checks are skipped. */
  const invalidSections = new Set<string>();
  const budget = newReadBudget();
  // The daemon reloads on the event loop that answers its probes: every step below may pause.
  const pause = timeSlicer();

  for (const file of discovery.files) {
    const read = await readConfigFile(file, budget);
    if (!read.ok) {
      issues.push(read.issue);
      continue;
    }
    await pause();
    const parsed = await parseYamlSliced(file, read.text, pause);
    issues.push(...parsed.issues);
    if (parsed.issues.length) continue; // a document with syntax errors has no trustworthy content
    for (const doc of parsed.documents) {
      await pause();
      // What each `${file:}` read gave is sensitive by itself, also where it is only part of a value.
      const fileTexts: string[] = [];
      const readFile = (p: string) => {
        const result = secrets.read(p);
        if (result.ok) fileTexts.push(result.text);
        return result;
      };
      const tree = documentToTree(doc, { file, source: read.text, lineCounter: parsed.lineCounter, sources: { env, readFile } });
      sensitive.addDocument(tree.value, tree.fromFile, tree.unresolved, fileTexts);
      issues.push(...tree.issues);
      if (tree.value === undefined) continue; // empty document
      const foreign = foreignDocument(tree.value);
      if (foreign) {
        issues.push({ location: tree.positions.root, path: '', message: foreign });
        continue;
      }
      await pause();
      const schemaErrors = await validateDocumentSliced(
        {
          data: tree.value,
          positions: tree.positions,
          unresolved: tree.unresolved,
          isSensitive: (path) => SensitiveValues.isSensitivePath(path, tree.fromFile),
        },
        pause,
      );
      issues.push(...schemaErrors);
      if (!tree.value || typeof tree.value !== 'object' || Array.isArray(tree.value)) continue;
      const value = tree.value as Record<string, unknown>;
      for (const issue of [...tree.issues, ...schemaErrors]) {
        invalidSections.add(`${String(value.project)}/${issue.path.split(/[.[]/)[0]}`);
      }
      documents.push({ value, positions: tree.positions, fromFile: tree.fromFile });
    }
  }

  await pause();
  const merged = mergeDocuments(documents);
  issues.push(...merged.issues);
  const checked = checkProjects(merged.projects, configSchema(), invalidSections);
  issues.push(...checked.issues);
  if (sensitive.tooLarge) {
    // Fail closed: a secret the redactor could not index could be printed.
    issues.push({
      path: '',
      message: `the secret values and \${file:} contents of this configuration add up to more than ${PATTERN_BUDGET / 1024} Ki characters in the forms redaction looks for; supasync cannot guarantee to keep them out of its output`,
    });
  }
  if (!issues.length && !merged.projects.length) {
    issues.push({ path: '', message: `no project is declared in ${paths.join(', ')} (each document needs "project: <ref>")` });
  }
  await pause();
  if (issues.length) throw new ConfigError(finalIssues(issues, sensitive));
  return {
    projects: merged.projects,
    files: discovery.files,
    warnings: checked.warnings.map((w) => printable(sensitive.redact(w))),
    sensitive,
  };
}
