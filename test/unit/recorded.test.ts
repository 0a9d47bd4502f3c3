/**
 * The recorded API answers kept in src/recorded/ are the vendored recordings (vendor/fixtures/
 * supabase-cli-recorded/), with exactly the changes src/recorded/SOURCE.md lists.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AUTH_CONFIG_DEFAULTS } from '../../src/recorded/auth-config-defaults.js';
import { BILLING_ADDONS } from '../../src/recorded/billing-addons.js';
import { STORAGE_CONFIG_DEFAULTS } from '../../src/recorded/storage-config.js';

const RECORDED = new URL('../../vendor/fixtures/supabase-cli-recorded/recorded/', import.meta.url);
const KEPT = new URL('../../src/recorded/', import.meta.url);
const recording = (path: string): Record<string, unknown> =>
  (JSON.parse(readFileSync(new URL(path, RECORDED), 'utf8')) as { body: Record<string, unknown> }).body;

/** Every JSON file of src/recorded/: its recording, and the documented changes applied to it. */
const CASES: Record<string, { recording: string; changed: (body: Record<string, unknown>) => Record<string, unknown> }> = {
  'auth-config.json': {
    recording: 'GET_v1_projects___PROJECT_REF___config_auth/3.response.json',
    changed: (body) => ({ ...body, site_url: 'http://localhost:3000', nimbus_oauth_email_optional: false }),
  },
  'billing-addons.json': { recording: 'GET_v1_projects___PROJECT_REF___billing_addons/default.response.json', changed: (body) => body },
  'storage-config.json': { recording: 'GET_v1_projects___PROJECT_REF___config_storage/3.response.json', changed: (body) => body },
};

describe('recorded API answers (src/recorded/)', () => {
  it('every JSON file there has its recording here, and SOURCE.md names each', () => {
    const files = readdirSync(KEPT).filter((f) => f.endsWith('.json')).sort();
    expect(files).toEqual(Object.keys(CASES).sort());
    const source = readFileSync(new URL('SOURCE.md', KEPT), 'utf8');
    for (const [file, { recording: path }] of Object.entries(CASES)) {
      expect(source).toContain(`\`${file}\``);
      expect(source).toContain(path);
    }
  });

  it.each(Object.entries(CASES))('%s equals its recording, with only the documented changes', (file, { recording: path, changed }) => {
    const kept = JSON.parse(readFileSync(new URL(file, KEPT), 'utf8')) as unknown;
    expect(kept).toEqual(changed(recording(path)));
  });

  it('the modules answer exactly those files', () => {
    const kept = (file: string) => JSON.parse(readFileSync(new URL(file, KEPT), 'utf8')) as unknown;
    expect(AUTH_CONFIG_DEFAULTS).toEqual(kept('auth-config.json'));
    expect(BILLING_ADDONS).toEqual(kept('billing-addons.json'));
    expect(STORAGE_CONFIG_DEFAULTS).toEqual(kept('storage-config.json'));
  });
});
