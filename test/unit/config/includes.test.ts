/**
 * `${include:PATH}`: long texts from files of the configuration repository (./src/config/includes.ts),
 * loaded through the real loader from temporary directories: relative to the YAML file naming them,
 * confined below its -c directory, regular UTF-8 files within the limits, never interpolated, never
 * sensitive, and every refusal located at the reference.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { escapeIncluded, includeReference } from '../../../src/config/includes.js';
import { LIMITS } from '../../../src/config/limits.js';
import { loadDesiredState } from '../../../src/config/load.js';
import { ConfigError, formatIssue } from '../../../src/errors.js';

const A = 'abcdefghijklmnopqrst';
const B = 'bbbbbbbbbbbbbbbbbbbb';
const INVITE = '<h2>You are invited</h2>\n<p><a href="{{ .ConfirmationURL }}">Accept</a> ${NOT_A_VARIABLE} $${kept}</p>\n';
let root: string;
let cwd: string;

function write(rel: string, content: string | Buffer): string {
  const path = join(root, rel);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  return path;
}

/** Paths as a user would type them, relative to the working directory (messages show them so). */
const rel = (path: string) => relative(cwd, join(root, path)) || '.';

async function load(paths: string[], env: Record<string, string> = {}) {
  return loadDesiredState(paths.map(rel), { secretsDirs: [], env });
}

async function issuesOf(paths: string[]): Promise<string[]> {
  try {
    await load(paths);
  } catch (err) {
    if (err instanceof ConfigError) return err.issues.map(formatIssue);
    throw err;
  }
  throw new Error('expected a ConfigError');
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'supasync-include-'));
  cwd = process.cwd();
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('includeReference', () => {
  it('is an include only as the whole value; mixed, nested and escaped forms are told apart', () => {
    expect(includeReference('${include:a/b.html}')).toEqual({ kind: 'include', raw: '${include:a/b.html}', path: 'a/b.html' });
    expect(includeReference('plain')).toEqual({ kind: 'none' });
    expect(includeReference('$${include:a}')).toEqual({ kind: 'none' });
    expect(includeReference('x ${include:a}')).toMatchObject({ kind: 'invalid', message: '${include:a} must be the whole value (put the text around it into the included file)' });
    expect(includeReference('${include:a}\n')).toMatchObject({ kind: 'invalid' });
    expect(includeReference('${include:${VAR}/a}')).toMatchObject({ kind: 'invalid', message: 'nested references are not supported' });
  });

  it('escapes ${ in an included text so that the reference grammar reads it literally', () => {
    expect(escapeIncluded('a ${B} $${C} }')).toBe('a $${B} $$${C} }');
  });
});

describe('loading ${include:...}', () => {
  it('reads the file relative to the YAML file naming it, exactly as written: no interpolation, no trimming, not sensitive', async () => {
    write('config/templates/invite.html', INVITE);
    write('config/templates/sms.txt', 'Your code is {{ .Code }}');
    write('config/projects/a.yaml', `project: ${A}\nauth:\n  mailer_templates_invite_content: \${include:../templates/invite.html}\n  sms_template: "\${include:../templates/sms.txt}"\n`);
    const state = await load(['config']);
    const auth = state.projects[0]!.sections.get('auth')!;
    expect(auth.values.mailer_templates_invite_content).toBe(INVITE);
    expect(auth.values.sms_template).toBe('Your code is {{ .Code }}');
    expect(auth.fromFile.size).toBe(0);
    expect(state.sensitive.redact(`text: ${INVITE}`)).toBe(`text: ${INVITE}`);
  });

  it('in a template resolves against the template file; through a variable, against the file setting the variable', async () => {
    write('config/templates/mail/invite.html', INVITE);
    write('config/templates/prod.yaml', 'template: prod\nauth:\n  mailer_templates_invite_content: ${include:mail/invite.html}\n  mailer_templates_recovery_content: ${var:recovery}\n');
    write('config/projects/recovery-a.html', 'recovery for a ${project}');
    write('config/projects/a.yaml', `project: ${A}\nextends: [prod]\nvars:\n  recovery: \${include:recovery-a.html}\n`);
    write('config/projects/b.yaml', `project: ${B}\nextends: [prod]\nvars:\n  recovery: plain text\n`);
    const state = await load(['config']);
    const [a, b] = state.projects.map((p) => p.sections.get('auth')!.values);
    expect(a!.mailer_templates_invite_content).toBe(INVITE);
    expect(b!.mailer_templates_invite_content).toBe(INVITE);
    expect(a!.mailer_templates_recovery_content).toBe('recovery for a ${project}');
    expect(b!.mailer_templates_recovery_content).toBe('plain text');
  });

  it('allows .. while the path stays below the -c directory, and a symbolic link that stays inside', async () => {
    write('config/shared/footer.html', 'footer');
    mkdirSync(join(root, 'config/deep/x'), { recursive: true });
    symlinkSync('../../shared/footer.html', join(root, 'config/deep/x/link.html'));
    write('config/deep/x/a.yaml', `project: ${A}\nauth:\n  mailer_templates_invite_content: \${include:../../shared/footer.html}\n  mailer_templates_recovery_content: \${include:./../x/../../deep/x/link.html}\n`);
    const auth = (await load(['config'])).projects[0]!.sections.get('auth')!.values;
    expect(auth.mailer_templates_invite_content).toBe('footer');
    expect(auth.mailer_templates_recovery_content).toBe('footer');
  });

  it('for a -c file, confines includes to the directory holding it', async () => {
    write('config/templates/invite.html', INVITE);
    write('config/outside.html', 'not below');
    const file = write('config/templates/a.yaml', `project: ${A}\nauth:\n  mailer_templates_invite_content: \${include:invite.html}\n`);
    expect((await load(['config/templates/a.yaml'])).projects[0]!.sections.get('auth')!.values.mailer_templates_invite_content).toBe(INVITE);
    writeFileSync(file, `project: ${A}\nauth:\n  mailer_templates_invite_content: \${include:../outside.html}\n`);
    expect(await issuesOf(['config/templates/a.yaml'])).toEqual([
      `${rel('config/templates/a.yaml')}:3:36: auth.mailer_templates_invite_content: \${include:../outside.html}: the path leads outside ${rel('config/templates')}, the -c directory this file was found under`,
    ]);
  });

  it('refuses, each at the reference: absolute, outside, symlink out, missing, directory, FIFO, too large, binary, not UTF-8', async () => {
    write('outside/secret.txt', 'OUTSIDE-CANARY');
    write('config/big.html', 'x'.repeat(LIMITS.includeFileBytes + 1));
    write('config/binary.html', Buffer.from([0x3c, 0x70, 0x3e, 0x00]));
    write('config/latin1.html', Buffer.from('<p>\ncaf\xe9</p>', 'latin1'));
    mkdirSync(join(root, 'config/dir'));
    execFileSync('mkfifo', [join(root, 'config/pipe.html')]);
    symlinkSync(join(root, 'outside/secret.txt'), join(root, 'config/out.html'));
    const keys = [
      ['mailer_templates_invite_content', '/etc/passwd'],
      ['mailer_templates_confirmation_content', '../outside/secret.txt'],
      ['mailer_templates_recovery_content', 'sub/../../../outside/secret.txt'],
      ['mailer_templates_magic_link_content', 'out.html'],
      ['mailer_templates_email_change_content', 'missing.html'],
      ['mailer_templates_reauthentication_content', 'dir'],
      ['sms_template', 'pipe.html'],
      ['mailer_subjects_invite', 'big.html'],
      ['mailer_subjects_confirmation', 'binary.html'],
      ['mailer_subjects_recovery', 'latin1.html'],
      ['mailer_subjects_magic_link', ''],
    ];
    write('config/a.yaml', `project: ${A}\nauth:\n${keys.map(([k, p]) => `  ${k}: "\${include:${p}}"`).join('\n')}\n`);
    const at = (line: number, key: string) => `${rel('config/a.yaml')}:${line}:${key.length + 6}: auth.${key}: `;
    expect(await issuesOf(['config'])).toEqual([
      `${at(3, keys[0]![0]!)}\${include:/etc/passwd}: the path must be relative to the directory of this file (absolute paths are not allowed)`,
      `${at(4, keys[1]![0]!)}\${include:../outside/secret.txt}: the path leads outside ${rel('config')}, the -c directory this file was found under`,
      `${at(5, keys[2]![0]!)}\${include:sub/../../../outside/secret.txt}: the path leads outside ${rel('config')}, the -c directory this file was found under`,
      `${at(6, keys[3]![0]!)}\${include:out.html}: a symbolic link to a path outside ${rel('config')}: not followed`,
      `${at(7, keys[4]![0]!)}\${include:missing.html}: no such file`,
      `${at(8, keys[5]![0]!)}\${include:dir}: not a regular file (a directory)`,
      `${at(9, keys[6]![0]!)}\${include:pipe.html}: not a regular file (a FIFO)`,
      `${at(10, keys[7]![0]!)}\${include:big.html}: larger than 1 MiB (the limit for an included file)`,
      `${at(11, keys[8]![0]!)}\${include:binary.html}: binary file (a NUL byte at line 1, col 4 of the included file), not text`,
      `${at(12, keys[9]![0]!)}\${include:latin1.html}: not UTF-8 text (line 2, col 4 of the included file; save it as UTF-8)`,
      `${at(13, keys[10]![0]!)}\${include:}: no path (write \${include:relative/path/to/file})`,
    ]);
  });

  it('counts included files against the load\'s byte budget, each file once', async () => {
    const size = LIMITS.includeFileBytes - 4096;
    const count = Math.floor(LIMITS.totalBytes / size) + 1; // the last one no longer fits
    for (let i = 0; i < count; i++) write(`config/t${i}.html`, 'x'.repeat(size));
    // The same file named twice, from two files, is read once.
    write('config/a.yaml', `project: ${A}\nauth:\n  mailer_templates_invite_content: \${include:t0.html}\n  sms_template: \${include:t0.html}\n`);
    write('config/b.yaml', `project: ${B}\nauth:\n  mailer_templates_invite_content: \${include:./t0.html}\n`);
    expect((await load(['config'])).projects).toHaveLength(2);
    write('config/c.yaml', `project: ${'c'.repeat(20)}\nauth:\n${Array.from({ length: count }, (_, i) => `  mailer_subjects_${i}: \${include:t${i}.html}`).join('\n')}\n`);
    const issues = await issuesOf(['config']);
    expect(issues.filter((i) => i.includes('too large'))).toEqual([
      `${rel('config/c.yaml')}:${2 + count}:${`  mailer_subjects_${count - 1}: `.length + 1}: auth.mailer_subjects_${count - 1}: \${include:t${count - 1}.html}: the configuration is too large (at most 16 MiB for all files together, included files too)`,
    ]);
  });

  it('refuses an include mixed with other text, located at the reference', async () => {
    write('config/t.html', 'x');
    write('config/a.yaml', `project: ${A}\nauth:\n  mailer_subjects_invite: "Welcome \${include:t.html}"\n`);
    expect(await issuesOf(['config'])).toEqual([
      `${rel('config/a.yaml')}:3:36: auth.mailer_subjects_invite: \${include:t.html} must be the whole value (put the text around it into the included file)`,
    ]);
  });
});
