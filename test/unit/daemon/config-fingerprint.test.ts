import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { configFingerprint } from '../../../src/daemon/config-fingerprint.js';

const root = mkdtempSync(join(tmpdir(), 'supasync-fingerprint-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('configFingerprint', () => {
  it('stays the same while nothing changes, and changes when a file, a new file or a swapped ..data volume does', async () => {
    const config = join(root, 'config');
    mkdirSync(config);
    writeFileSync(join(config, 'a.yaml'), 'project: aaaaaaaaaaaaaaaaaaaa\n');
    const f0 = await configFingerprint([config]);
    expect(f0).toMatch(/^[0-9a-f]{64}$/);
    expect(await configFingerprint([config])).toBe(f0);

    writeFileSync(join(config, 'a.yaml'), 'project: bbbbbbbbbbbbbbbbbbbb\n'); // same size: the times tell
    utimesSync(join(config, 'a.yaml'), new Date(), new Date(Date.now() + 5_000));
    const f1 = await configFingerprint([config]);
    expect(f1).not.toBe(f0);
    writeFileSync(join(config, 'b.yaml'), 'x: 1\n');
    const f2 = await configFingerprint([config]);
    expect(f2).not.toBe(f1);

    // A Kubernetes volume: files are links through ..data, which is swapped to a new directory.
    const volume = join(root, 'volume');
    mkdirSync(join(volume, '..v1'), { recursive: true });
    writeFileSync(join(volume, '..v1', 'secret'), 'one');
    symlinkSync('..v1', join(volume, '..data'));
    symlinkSync('..data/secret', join(volume, 'secret'));
    const v1 = await configFingerprint([config, volume]);
    mkdirSync(join(volume, '..v2'));
    writeFileSync(join(volume, '..v2', 'secret'), 'two');
    symlinkSync('..v2', join(volume, '..data_tmp'));
    renameSync(join(volume, '..data_tmp'), join(volume, '..data'));
    expect(await configFingerprint([config, volume])).not.toBe(v1);
  });

  it('is undefined (reload to be safe) when a path cannot be read, and survives a symlink loop', async () => {
    expect(await configFingerprint([join(root, 'missing')])).toBeUndefined();
    const loop = join(root, 'loop');
    mkdirSync(loop);
    symlinkSync('.', join(loop, 'self'));
    writeFileSync(join(loop, 'a.yaml'), 'x: 1\n');
    expect(await configFingerprint([loop])).toMatch(/^[0-9a-f]{64}$/);
  });

  it('does not walk a symlink that leads out of its root (p -> /proc), but notices the link itself', async () => {
    const dir = join(root, 'outward');
    mkdirSync(dir);
    writeFileSync(join(dir, 'a.yaml'), 'x: 1\n');
    const outside = join(root, 'outside');
    mkdirSync(outside);
    writeFileSync(join(outside, 'b.yaml'), 'y: 1\n');
    symlinkSync('/proc', join(dir, 'p'));
    symlinkSync(outside, join(dir, 'o'));
    const f0 = await configFingerprint([dir]);
    expect(f0).toMatch(/^[0-9a-f]{64}$/); // walking /proc would have failed (unreadable, vanishing entries, too many)
    writeFileSync(join(outside, 'b.yaml'), 'y: 2 — longer\n'); // not read by the loader either
    expect(await configFingerprint([dir])).toBe(f0);
    rmSync(join(dir, 'o'));
    symlinkSync(join(root, 'config'), join(dir, 'o'));
    expect(await configFingerprint([dir])).not.toBe(f0);
  });
});
