/**
 * `${file:...}` reads what it checked (issue 13, item 11): the file is opened once (O_NOFOLLOW,
 * O_NONBLOCK), checked through that descriptor and read from it. These tests swap the file for a
 * symlink to a file outside the secrets directory right after each check the reader makes
 * (realpath; stat), as an attacker racing the reader would: nothing outside may ever be read. A
 * FIFO in the directory is refused without blocking.
 */
import { execFileSync } from 'node:child_process';
import * as realFs from 'node:fs';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSecretFileReader } from '../../../src/config/secret-files.js';

const OUTSIDE = 'outside-canary-7d41';
const INSIDE = 'inside-value-2b9e';

/** After the named check on `path` returns, `path` becomes a symlink to `target`. */
const race = vi.hoisted(() => ({ armed: undefined as undefined | { after: 'realpath' | 'stat'; path: string; target: string } }));

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const swap = () => {
    const armed = race.armed!;
    race.armed = undefined;
    fs.unlinkSync(armed.path);
    fs.symlinkSync(armed.target, armed.path);
  };
  const after = <A extends unknown[], R>(kind: 'realpath' | 'stat', fn: (...args: A) => R, matches: (...args: A) => boolean) =>
    ((...args: A): R => {
      const result = fn(...args);
      if (race.armed?.after === kind && matches(...args)) swap();
      return result;
    }) as typeof fn;
  const isTarget = (p: unknown) => String(p) === race.armed?.path;
  return {
    ...fs,
    default: fs,
    realpathSync: Object.assign(after('realpath', fs.realpathSync as (p: realFs.PathLike) => string, isTarget), { native: fs.realpathSync.native }),
    statSync: after('stat', fs.statSync as (p: realFs.PathLike) => realFs.Stats, isTarget),
    lstatSync: after('stat', fs.lstatSync as (p: realFs.PathLike) => realFs.Stats, isTarget),
    fstatSync: after('stat', fs.fstatSync as (fd: number) => realFs.Stats, () => true),
  };
});

let root: string;
let secrets: string;
const file = () => join(secrets, 'smtp');

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'supasync-secret-race-'));
  secrets = join(root, 'secrets');
  mkdirSync(secrets);
  writeFileSync(join(root, 'outside'), OUTSIDE);
  execFileSync('mkfifo', [join(secrets, 'fifo')]);
});
beforeEach(() => {
  rmSync(file(), { force: true });
  writeFileSync(file(), INSIDE);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('${file:...} against a file swapped while it is read', () => {
  it('swapped for a symlink out right after the path is resolved: refused (O_NOFOLLOW), nothing outside read', () => {
    const reader = createSecretFileReader([secrets]);
    race.armed = { after: 'realpath', path: file(), target: join(root, 'outside') };
    const result = reader.read(file());
    expect(race.armed).toBeUndefined(); // the swap happened
    expect(JSON.stringify(result)).not.toContain(OUTSIDE);
    expect(result).toEqual({ ok: false, message: `cannot read \${file:${file()}}: it became a symbolic link while being read` });
  });

  it('swapped for a symlink out right after the file is checked: the checked file is what is read', () => {
    const reader = createSecretFileReader([secrets]);
    race.armed = { after: 'stat', path: file(), target: join(root, 'outside') };
    const result = reader.read(file());
    expect(race.armed).toBeUndefined();
    expect(result).toEqual({ ok: true, text: INSIDE });
  });

  it('refuses a FIFO without blocking on it', () => {
    expect(createSecretFileReader([secrets]).read(join(secrets, 'fifo'))).toEqual({
      ok: false,
      message: `cannot read \${file:${join(secrets, 'fifo')}}: not a regular file (a FIFO)`,
    });
  });
});
