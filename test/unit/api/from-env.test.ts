import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createClientFromEnv } from '../../../src/api/from-env.js';
import type { ManagedApiClient } from '../../../src/api/client.js';
import { UsageError } from '../../../src/errors.js';
import { startFakeServer, type FakeServer } from './fake-server.js';

let server: FakeServer | undefined;
let client: ManagedApiClient | undefined;
afterEach(async () => {
  client?.close();
  await server?.close();
});

describe('createClientFromEnv', () => {
  it('talks to SUPABASE_API_URL with the token from --token-file', async () => {
    server = await startFakeServer([{ status: 200, body: [{ ref: 'x' }] }]);
    const file = join(mkdtempSync(join(tmpdir(), 'supasync-env-')), 'token');
    writeFileSync(file, `sbp_${'f1'.repeat(20)}\n`);
    client = createClientFromEnv({ env: { SUPABASE_API_URL: server.url, SUPABASE_ACCESS_TOKEN: `sbp_${'e0'.repeat(20)}` }, tokenFile: file });
    await expect(client.get('/v1/projects')).resolves.toEqual([{ ref: 'x' }]);
    expect(server.seen[0]?.headers.authorization).toBe(`Bearer sbp_${'f1'.repeat(20)}`);
    expect(client.baseUrl).toBe(server.url);
  });

  it('fails with a UsageError before any request when the token is missing', () => {
    expect(() => createClientFromEnv({ env: {} })).toThrow(UsageError);
    expect(() => createClientFromEnv({ env: { SUPABASE_ACCESS_TOKEN: `sbp_${'0'.repeat(40)}`, SUPABASE_API_URL: 'http://api.supabase.com' } })).toThrow(/plain http/);
  });
});
