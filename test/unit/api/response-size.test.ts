/**
 * Issue 13 item 7: an answer larger than MAX_RESPONSE_BYTES fails that request with a clear
 * E_API_RESPONSE, and the download is cut short: the server below streams a huge body (chunked, or
 * announced by content-length) and counts the bytes it managed to hand to its socket before the
 * client closed the connection.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { createApiClient, MAX_RESPONSE_BYTES, type ManagedApiClient } from '../../../src/api/client.js';
import { ApiError } from '../../../src/errors.js';
import { startStreamingServer, type StreamingServer } from '../../helpers/streaming-server.js';

const TOKEN = 'sbp_test_token_0123456789';
const AUTH = '/v1/projects/abcdefghijklmnopqrst/config/auth';
const MiB = 1024 * 1024;

let server: StreamingServer | undefined;
let client: ManagedApiClient | undefined;
afterEach(async () => {
  client?.close();
  await server?.close();
  server = client = undefined;
});

async function failure(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(ApiError);
    return err as ApiError;
  }
  throw new Error('expected an ApiError');
}

describe('response size cap', () => {
  it('is 8 MiB', () => {
    expect(MAX_RESPONSE_BYTES).toBe(8 * MiB);
  });

  for (const mode of ['chunked', 'content-length'] as const) {
    it(`fails a ${mode} answer larger than the cap with E_API_RESPONSE, not retried, and stops the download early`, async () => {
      server = await startStreamingServer(mode);
      client = createApiClient({ baseUrl: server.url, token: TOKEN, limiter: false, retry: { limit: 3, baseDelayMs: 1 } });
      const err = await failure(client.get(AUTH));
      expect(err).toMatchObject({ code: 'E_API_RESPONSE', retryable: false, attempts: 1 });
      expect(err.message).toBe(`GET ${AUTH} failed 200: response larger than 8 MiB`);
      expect(server.requests).toBe(1);
      const written = await server.finished[0]!;
      // Announced as 4 GiB: refused before the cap was read (what was written sat in socket buffers,
      // ~4 MiB here). Chunked: cut at the cap plus those buffers (~12 MiB here), far below the 96 MiB.
      expect(written).toBeLessThan(mode === 'content-length' ? MAX_RESPONSE_BYTES : MAX_RESPONSE_BYTES + 16 * MiB);
    });
  }

  it('refuses a compressed answer it did not ask for, clearly, instead of crashing', async () => {
    const gzipped = gzipSync(JSON.stringify({ site_url: 'https://example.com' }));
    const seen: http.IncomingHttpHeaders[] = [];
    const s = http.createServer((req, res) => {
      seen.push(req.headers);
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' }).end(gzipped);
    });
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
    try {
      client = createApiClient({ baseUrl: `http://127.0.0.1:${(s.address() as AddressInfo).port}`, token: TOKEN, limiter: false });
      const err = await failure(client.get(AUTH));
      expect(err).toMatchObject({ code: 'E_API_RESPONSE', retryable: false });
      expect(err.message).toMatch(/content-encoding gzip/);
      // It asked for an uncompressed answer: the bytes counted are the bytes held.
      expect(seen[0]?.['accept-encoding']).toBe('identity');
    } finally {
      await new Promise<void>((resolve) => s.close(() => resolve()).closeAllConnections());
    }
  });
});
