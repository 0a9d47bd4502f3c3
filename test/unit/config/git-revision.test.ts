/**
 * The configuration at a git revision, from git's objects (real git, temporary repositories): what
 * the loader sees through it, that the working tree and the index are left alone, and that the
 * revision and the paths are handled safely.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openGitRevision } from '../../../src/config/git-revision.js';
import { compareFleets } from '../../../src/config/effective-diff.js';
import { loadDesiredState, loadReferenceForms } from '../../../src/config/load.js';
import { UsageError } from '../../../src/errors.js';

const A = 'aaaaaaaaaaaaaaaaaaaa';
const B = 'bbbbbbbbbbbbbbbbbbbb';
let repo: string;

const git = (...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], {
    cwd: repo,
    encoding: 'utf8',
  });

function write(files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(repo, rel)), { recursive: true });
    writeFileSync(join(repo, rel), text);
  }
}

beforeEach(() => {
  repo = mkdtempSync(join(tmpdir(), 'supasync-git-'));
  git('init', '-q', '-b', 'main');
  write({
    'config/a.yaml': `project: ${A}\nauth: {jwt_exp: 1}\n`,
    'config/sub/b.yaml': `project: ${B}\nauth: {jwt_exp: 2}\n`,
    'config/.supasyncignore': 'ignored/\n',
    'config/ignored/k8s.yaml': 'apiVersion: v1\nkind: ConfigMap\n',
    'README.md': 'not configuration\n',
  });
  symlinkSync('sub/b.yaml', join(repo, 'config/link.yml'));
  git('add', '-A');
  git('commit', '-q', '-m', 'base');
});
afterEach(() => rmSync(repo, { recursive: true, force: true }));

describe('openGitRevision', () => {
  it('gives the loader the files as they were, and leaves the working tree and the index alone', async () => {
    write({ 'config/a.yaml': `project: ${A}\nauth: {jwt_exp: 99}\n`, 'config/new.yaml': `project: ${'c'.repeat(20)}\n` });
    git('add', 'config/a.yaml');
    const status = git('status', '--porcelain');
    const index = statSync(join(repo, '.git/index')).mtimeMs;

    const revision = await openGitRevision([join(repo, 'config')], 'HEAD');
    // (the working tree and the index stay as they are: checked below)
    expect(revision.commit).toMatch(/^[0-9a-f]{40}$/);
    const state = await loadDesiredState([join(repo, 'config')], { secretsDirs: [], fs: revision.fs });
    expect(state.projects.map((p) => p.ref)).toEqual([A, B]);
    expect(state.projects[0]!.sections.get('auth')!.values).toEqual({ jwt_exp: 1 });
    const forms = await loadReferenceForms([join(repo, 'config')], { fs: revision.fs });
    expect(forms.refs().sort()).toEqual([A, B]);
    // .supasyncignore is honoured; the symlink to a listed file is followed, and the file read once
    // (under the first name reached, as on disk).
    expect(state.files.map((f) => f.slice(repo.length + 1))).toEqual(['config/a.yaml', 'config/link.yml']);
    expect(statSync(join(repo, '.git/index')).mtimeMs).toBe(index);
    expect(git('status', '--porcelain')).toBe(status);
    expect(readFileSync(join(repo, 'config/a.yaml'), 'utf8')).toContain('99');
  });

  it('answers for paths deleted since, and for files given one by one', async () => {
    const revision = await openGitRevision([join(repo, 'config/a.yaml')], 'HEAD');
    rmSync(join(repo, 'config/a.yaml'));
    expect(await revision.has(join(repo, 'config/a.yaml'))).toBe(true);
    expect(await revision.has(join(repo, 'config/none.yaml'))).toBe(false);
    const read = revision.fs.readBounded(join(repo, 'config/a.yaml'), 1000);
    expect(read.ok && read.bytes.toString()).toBe(`project: ${A}\nauth: {jwt_exp: 1}\n`);
    expect(revision.fs.readBounded(join(repo, 'config/a.yaml'), 10)).toMatchObject({ ok: false, reason: 'too-large' });
    // Only the configuration paths are listed: nothing else of the revision can be read.
    expect(revision.fs.readBounded(join(repo, 'README.md'), 1000)).toEqual({ ok: false, reason: 'error', code: 'ENOENT' });
  });

  it('refuses a revision that could be read as an option, one that does not exist, and a directory outside git', async () => {
    for (const bad of ['--output=/tmp/x', '-h', 'HEAD\n--all', '']) {
      await expect(openGitRevision([join(repo, 'config')], bad)).rejects.toThrow(UsageError);
    }
    await expect(openGitRevision([join(repo, 'config')], 'no-such-branch')).rejects.toThrow(/no such commit in the repository at .*fetch-depth: 0/);
    await expect(openGitRevision([join(repo, 'config')], 'HEAD~5')).rejects.toThrow(/no such commit/);
    const outside = mkdtempSync(join(tmpdir(), 'supasync-nogit-'));
    try {
      await expect(openGitRevision([outside], 'HEAD')).rejects.toThrow(/is not in a git repository/);
      await expect(openGitRevision([join(repo, 'config'), outside], 'HEAD')).rejects.toThrow(/is outside the git repository/);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('reads the files ${include:} names as they were at the revision, fetched when the loader asks for them', async () => {
    write({
      'config/mail/invite.html': '<p>invite, version 1</p>\n',
      'config/a.yaml': `project: ${A}\nauth: {jwt_exp: 1, mailer_templates_invite_content: "\${include:mail/invite.html}"}\n`,
    });
    git('add', '-A');
    git('commit', '-q', '-m', 'a template from a file');
    write({ 'config/mail/invite.html': '<p>invite, version 2</p>\n' });
    const revision = await openGitRevision([join(repo, 'config')], 'HEAD');
    // Not a configuration file: nothing fetched up front.
    expect(revision.fs.readBounded(join(repo, 'config/mail/invite.html'), 1000)).toMatchObject({ ok: false });
    const base = await loadDesiredState([join(repo, 'config')], { secretsDirs: [], fs: revision.fs, referenceForms: true });
    expect(base.projects[0]!.sections.get('auth')!.values.mailer_templates_invite_content).toBe('<p>invite, version 1</p>\n');
    const head = await loadDesiredState([join(repo, 'config')], { secretsDirs: [], referenceForms: true });
    expect(head.projects[0]!.sections.get('auth')!.values.mailer_templates_invite_content).toBe('<p>invite, version 2</p>\n');
    const forms = await loadReferenceForms([join(repo, 'config')], { fs: revision.fs });
    expect(compareFleets(forms, head.references!)).toMatchObject({ changed: [A], unchanged: [B] });
    // A path leading out of the listing is never fetched, whatever the revision holds there.
    write({ 'config/a.yaml': `project: ${A}\nauth: {mailer_templates_invite_content: "\${include:../README.md}"}\n` });
    git('add', '-A');
    git('commit', '-q', '-m', 'escape');
    const escaping = await openGitRevision([join(repo, 'config')], 'HEAD');
    await expect(loadReferenceForms([join(repo, 'config')], { fs: escaping.fs })).rejects.toThrow(/the path leads outside .*config, the -c directory/);
  });

  it('takes pathspec magic literally', async () => {
    write({ ':(glob)x/a.yaml': `project: ${A}\n` });
    git('add', '-A');
    git('commit', '-q', '-m', 'odd name');
    const revision = await openGitRevision([join(repo, ':(glob)x')], 'HEAD');
    const names = (await revision.fs.readdir(join(repo, ':(glob)x'))).map((e) => e.name);
    expect(names).toEqual(['a.yaml']);
    await expect(revision.fs.stat(join(repo, 'config/a.yaml'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
