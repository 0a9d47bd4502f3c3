/**
 * `supasync export`: writes YAML for a live project — how a team adopts supasync for a project that
 * already exists. The output validates against the schema and plans back to `No changes.`; secret
 * fields become `${NAME}` references (listed on stderr), never values or hashes.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Document, Scalar, visit } from 'yaml';
import { loadDesiredState } from '../config/load.js';
import { configSchema } from '../config/validate.js';
import { ConfigError, ExitCode, SupasyncError, UsageError } from '../errors.js';
import { createLogger } from '../log.js';
import { providerBySection, providers } from '../providers/index.js';
import type { ExportVariable } from '../providers/types.js';
import { readSection } from '../reconcile/read.js';
import { createSharedClient, type ClientOptions } from '../api/shared-client.js';
import { writeOutFile } from './out-file.js';
import { tokenRejected } from './token-rejected.js';

export interface ExportCommandOptions extends ClientOptions {
  project: string;
  sections?: string[];
  all?: boolean;
  out?: string;
  logLevel?: string;
}

/** An export that does not validate is our bug (or an API value outside its own spec): say which. */
class ExportInvalid extends SupasyncError {
  readonly code = 'E_EXPORT_INVALID';
}

/** A section could not be read: nothing is exported rather than a partial picture. */
class ExportReadFailed extends SupasyncError {
  readonly code = 'E_EXPORT_READ';
}

function chosenSections(requested: string[] | undefined): string[] {
  const exportable = providers.filter((p) => p.export).map((p) => p.section);
  if (!requested?.length) return exportable;
  const names = requested.flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !exportable.includes(n));
  if (unknown.length) throw new UsageError(`--sections: unknown section(s) ${unknown.join(', ')} (choose from ${exportable.join(', ')})`);
  return exportable.filter((s) => names.includes(s));
}

function toYaml(ref: string, sections: Record<string, Record<string, unknown>>, references: ReadonlySet<string>): string {
  const doc = new Document({ project: ref, ...sections });
  // `${NAME}` references are double-quoted so that a value like "12345" stays a string when interpolated.
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && references.has(node.value)) node.type = Scalar.QUOTE_DOUBLE;
    },
  });
  doc.commentBefore =
    ' yaml-language-server: $schema=config.schema.json\n' +
    ` Exported by supasync from project ${ref}. Secret values are \${VAR} references: set them in the\n` +
    ' environment (or use ${file:...} with --secrets-dir) before planning.';
  return doc.toString({ lineWidth: 0 });
}

/** Loads the output like any configuration (secrets stubbed) so that nothing invalid is handed out. */
async function assertValid(yamlText: string, variables: readonly ExportVariable[]): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'supasync-export-'));
  try {
    const file = join(dir, 'export.yaml');
    writeFileSync(file, yamlText, { mode: 0o600 });
    const env = { ...process.env, ...Object.fromEntries(variables.map((v) => [v.name, 'placeholder'])) };
    await loadDesiredState([file], { secretsDirs: [], env });
  } catch (err) {
    if (err instanceof ConfigError) {
      throw new ExportInvalid(`the exported YAML does not validate:\n${err.issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`);
    }
    throw err;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function exportCommand(opts: ExportCommandOptions): Promise<ExitCode> {
  if (!/^[a-z]{20}$/.test(opts.project)) throw new UsageError(`--project ${opts.project}: a project ref is 20 lowercase letters`);
  const names = chosenSections(opts.sections);
  const schema = configSchema();
  const logger = createLogger({ level: (opts.logLevel ?? 'warn') as 'warn', destination: 'stderr' });
  const client = createSharedClient(opts, logger);

  const reads = await Promise.all(names.map(async (name) => [name, await readSection(providerBySection.get(name)!, client, opts.project)] as const));
  const sections: Record<string, Record<string, unknown>> = {};
  const variables: ExportVariable[] = [];
  for (const [name, read] of reads) {
    if (!read.ok) {
      // A section the project cannot have (plan entitlement) is left out; any other failure stops the export.
      if (read.error.kind === 'unsupported') {
        process.stderr.write(`Skipped ${name}: ${read.error.message}\n`);
        continue;
      }
      if (read.error.kind === 'auth') throw tokenRejected(read.error, opts.tokenFile);
      throw new ExportReadFailed(`cannot export ${name}: ${read.error.message}`);
    }
    const allowedKeys = new Set(Object.keys(schema.properties[name]?.properties ?? {}));
    const exported = providerBySection.get(name)!.export!(read.value, { ref: opts.project, all: opts.all ?? false, allowedKeys });
    if (!exported) continue;
    sections[name] = exported.values;
    variables.push(...exported.variables);
  }

  const references = new Set(variables.map((v) => `\${${v.name}}`));
  const text = toYaml(opts.project, sections, references);
  await assertValid(text, variables);
  if (opts.out) await writeOutFile(opts.out, text); // a new file, never through a symlink
  else process.stdout.write(text);
  if (variables.length) {
    process.stderr.write(
      `Set these environment variables before planning (the export holds no secret values):\n${variables
        .map((v) => `  ${v.name}  (${v.field})\n`)
        .join('')}`,
    );
  }
  return ExitCode.ok;
}
