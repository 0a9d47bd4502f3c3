/**
 * Configuration directories come from pull requests (issue 13, item 9): symlinks may point anywhere
 * (`p -> /proc`), entries may be FIFOs or sockets, links may loop. Inside a `-c` directory only
 * symlinks that resolve inside it are followed, nothing blocks, and every problem is one located
 * issue, never a thrown error.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverConfigFiles } from '../../../src/config/files.js';
import { newReadBudget, readConfigFile } from '../../../src/config/read.js';

const VALID = 'project: abcdefghijklmnopqrst\n';
let root: string;
let server: Server | undefined;
const at = (rel: string) => join(root, rel);
const write = (rel: string, content = VALID) => {
  mkdirSync(join(at(rel), '..'), { recursive: true });
  writeFileSync(at(rel), content);
};
const fifo = (rel: string) => execFileSync('mkfifo', [at(rel)]);
const located = (file: string, message: string) => ({ location: { file, line: 1, col: 1 }, path: '', message });

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'supasync-files-hostile-'));
  write('outside/secret.yaml');
  write('cfg/ok.yaml');
  mkdirSync(at('cfg/sub'));
  symlinkSync(at('outside'), at('cfg/out-dir'));
  symlinkSync(at('outside/secret.yaml'), at('cfg/out-file.yaml'));
  symlinkSync('/proc', at('cfg/p'));
  symlinkSync('../ok.yaml', at('cfg/sub/inside.yaml')); // inside: followed, read once
  symlinkSync('loop.yaml', at('cfg/loop.yaml'));
  fifo('cfg/pipe.yaml');
  fifo('cfg/pipe.txt'); // not a configuration file name: skipped
  write('socket/ok.yaml');
  server = createServer();
  await new Promise<void>((resolve) => server!.listen(at('socket/sock.yaml'), resolve));
  write('ignored/ok.yaml');
  fifo('ignored/.supasyncignore');
});
afterAll(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  rmSync(root, { recursive: true, force: true });
});

describe('discoverConfigFiles on a hostile directory', () => {
  it('follows only symlinks that stay inside the -c directory, and reports the others, FIFOs and loops', async () => {
    const { files, issues } = await discoverConfigFiles([at('cfg')]);
    expect(files).toEqual([at('cfg/ok.yaml')]);
    expect(issues).toEqual([
      located(at('cfg/loop.yaml'), 'cannot be read (too many levels of symbolic links)'),
      located(at('cfg/out-dir'), `a symbolic link to a path outside ${at('cfg')}: not followed (give that path with its own -c)`),
      located(at('cfg/out-file.yaml'), `a symbolic link to a path outside ${at('cfg')}: not followed (give that path with its own -c)`),
      located(at('cfg/p'), `a symbolic link to a path outside ${at('cfg')}: not followed (give that path with its own -c)`),
      located(at('cfg/pipe.yaml'), 'not a regular file (a FIFO): not read'),
    ]);
  });

  it('reports a socket named like a configuration file, without opening it', async () => {
    const { files, issues } = await discoverConfigFiles([at('socket')]);
    expect(files).toEqual([at('socket/ok.yaml')]);
    expect(issues).toEqual([located(at('socket/sock.yaml'), 'not a regular file (a socket): not read')]);
  });

  it('does not block on a FIFO in place of .supasyncignore', async () => {
    const { files, issues } = await discoverConfigFiles([at('ignored')]);
    expect(files).toEqual([at('ignored/ok.yaml')]);
    expect(issues).toEqual([located(at('ignored/.supasyncignore'), 'not a regular file (a FIFO): not read')]);
  });
});

describe('readConfigFile on what is not a regular file', () => {
  it('refuses a FIFO without blocking', async () => {
    expect(await readConfigFile(at('cfg/pipe.yaml'), newReadBudget())).toEqual({
      ok: false,
      issue: located(at('cfg/pipe.yaml'), 'not a regular file (a FIFO): not read'),
    });
  });

  it('refuses a directory and a character device', async () => {
    expect(await readConfigFile(at('cfg/sub'), newReadBudget())).toMatchObject({ ok: false, issue: { message: 'not a regular file (a directory): not read' } });
    expect(await readConfigFile('/dev/zero', newReadBudget())).toMatchObject({ ok: false, issue: { message: 'not a regular file (a character device): not read' } });
  });
});
