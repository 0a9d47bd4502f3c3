/**
 * `supasync validate`: loads and checks the configuration (files, YAML, values, schema, semantic
 * checks) and contacts nothing. Problems are thrown as ConfigError; cli.ts prints them and exits 3.
 */
import { loadDesiredState } from '../config/load.js';
import { ExitCode } from '../errors.js';

export interface ValidateOptions {
  config: string[];
  secretsDir?: string[];
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export async function validateCommand(opts: ValidateOptions): Promise<ExitCode> {
  const state = await loadDesiredState(opts.config, { secretsDirs: opts.secretsDir ?? [] });
  for (const warning of state.warnings) process.stderr.write(`Warning: ${warning}\n`);
  const refs = state.projects.map((p) => p.ref).join(', ');
  process.stdout.write(`Valid: ${plural(state.files.length, 'file')}, ${plural(state.projects.length, 'project')} (${refs}).\n`);
  return ExitCode.ok;
}
