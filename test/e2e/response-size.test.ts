/**
 * Issue 13 item 7, end to end: `supasync plan` against an API that answers with an endless body
 * fails that project with a clear error (exit 1) instead of eating the process's memory, and the
 * download is cut short.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { REF, TOKEN } from '../helpers/emulator.js';
import { FULL_BODY, startStreamingServer, type StreamingServer } from '../helpers/streaming-server.js';
import { workspace, type Workspace } from '../helpers/workspace.js';

let server: StreamingServer | undefined;
let ws: Workspace | undefined;
afterEach(async () => {
  await server?.close();
  ws?.remove();
  server = ws = undefined;
});

describe('plan against an API whose answers never end', () => {
  for (const mode of ['chunked', 'content-length'] as const) {
    it(`fails with "response larger than 8 MiB" (${mode}) and reads a bounded amount`, async () => {
      server = await startStreamingServer(mode);
      ws = workspace({ 'auth.yaml': `project: ${REF}\nauth:\n  site_url: https://app.example.com\n` });
      const result = await runCli(['plan', '-c', ws.dir, '--format', 'json'], {
        env: { SUPABASE_API_URL: server.url, SUPABASE_ACCESS_TOKEN: TOKEN, NODE_OPTIONS: '--max-old-space-size=96' },
        timeoutMs: 60_000,
      });
      expect(result.signal).toBeNull();
      expect(result.code, result.stderr).toBe(1);
      expect(result.stdout).toContain('response larger than 8 MiB');
      expect(result.stderr).not.toMatch(/Internal error|heap/i);
      // Not retried (the same answer would come again), and cut short on every request.
      expect(server.requests).toBeGreaterThan(0);
      const written = await Promise.all(server.finished);
      for (const bytes of written) expect(bytes).toBeLessThan(FULL_BODY / 4);
    });
  }
});
