import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ClientSource } from '../../../src/daemon/client-source.js';
import { UsageError } from '../../../src/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'supasync-client-source-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ClientSource', () => {
  it('keeps one client while the token stays, makes a new one when the token file changes, and fails while it cannot be read', () => {
    const tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, `sbp_${'a'.repeat(40)}\n`);
    const source = new ClientSource({ env: { SUPABASE_API_URL: 'http://127.0.0.1:9' }, tokenFile, limiter: false });
    source.refresh();
    const first = source.lease();
    source.refresh(); // the same token: the same client (one pool of sockets, one limiter)
    const again = source.lease();
    expect(again.client).toBe(first.client);

    writeFileSync(tokenFile, `sbp_${'b'.repeat(40)}\n`); // a rotated Secret
    source.refresh();
    const rotated = source.lease();
    expect(rotated.client).not.toBe(first.client);
    first.release();
    again.release();

    unlinkSync(tokenFile);
    source.refresh();
    expect(() => source.lease()).toThrow(UsageError);
    expect(() => source.lease()).toThrow(/cannot read token file .*: no such file/);
    writeFileSync(tokenFile, `sbp_${'b'.repeat(40)}\n`);
    source.refresh();
    expect(source.lease().client).toBe(rotated.client); // back, and the same token as before the failure
    rotated.release();
    source.close();
  });
});
