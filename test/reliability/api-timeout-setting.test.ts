/**
 * SUPASYNC_API_TIMEOUT_MS: the client timeout is configurable (the fault matrix needs a short one to
 * test slow answers quickly); the default stays 30 s, and a bad value is a usage error before any
 * request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TIMEOUT_MS } from '../../src/api/client.js';
import { TIMEOUT_ENV, timeoutFromEnv } from '../../src/api/from-env.js';
import { UsageError } from '../../src/errors.js';
import { runCli } from '../helpers/cli.js';
import { REF, TOKEN, startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { workspace, type Workspace } from '../helpers/workspace.js';

describe(`${TIMEOUT_ENV}`, () => {
  it('is optional; the default timeout stays 30 s', () => {
    expect(DEFAULT_TIMEOUT_MS).toBe(30_000);
    expect(timeoutFromEnv({})).toBeUndefined();
    expect(timeoutFromEnv({ [TIMEOUT_ENV]: '' })).toBeUndefined();
    expect(timeoutFromEnv({ [TIMEOUT_ENV]: ' 250 ' })).toBe(250);
    expect(timeoutFromEnv({ [TIMEOUT_ENV]: '600000' })).toBe(600_000);
  });

  it.each(['0', '-5', '1.5', 'abc', '600001', '1e3', '99999999'])('refuses %j with a usage error', (value) => {
    expect(() => timeoutFromEnv({ [TIMEOUT_ENV]: value })).toThrow(UsageError);
    expect(() => timeoutFromEnv({ [TIMEOUT_ENV]: value })).toThrow(/SUPASYNC_API_TIMEOUT_MS must be a whole number of milliseconds/);
  });

  describe('through the built CLI', () => {
    let emu: TestEmulator;
    let ws: Workspace;
    beforeAll(async () => {
      emu = await startTestEmulator();
      ws = workspace({ 'p.yaml': `project: ${REF}\nauth:\n  site_url: https://app.example.com\n` });
    });
    afterAll(async () => {
      ws.remove();
      await emu.close();
    });

    it('a bad value exits 3 before any request', async () => {
      emu.clearRequests();
      const r = await runCli(['plan', '-c', ws.dir], { env: { SUPABASE_API_URL: emu.url, SUPABASE_ACCESS_TOKEN: TOKEN, [TIMEOUT_ENV]: 'soon' } });
      expect(r.code).toBe(3);
      expect(r.stderr).toContain('Error: SUPASYNC_API_TIMEOUT_MS must be a whole number of milliseconds from 1 to 600000 (got "soon")');
      expect(emu.requests()).toHaveLength(0);
    });

    it('a slow answer fails after the configured timeout, not 30 s', async () => {
      emu.clearRequests();
      emu.addFaults({ method: 'GET', path: '/config/auth$', delay_ms: 1_000 });
      const started = Date.now();
      const r = await runCli(['plan', '-c', ws.dir], {
        env: { SUPABASE_API_URL: emu.url, SUPABASE_ACCESS_TOKEN: TOKEN, [TIMEOUT_ENV]: '200' },
      });
      emu.clearFaults();
      expect(r.code).toBe(1);
      expect(r.stdout).toContain(`GET /v1/projects/${REF}/config/auth failed: no answer within 200 ms`);
      expect(Date.now() - started).toBeLessThan(20_000);
    });
  });
});
