/**
 * docs/reliability.md is written only when a run asks for it (`npm run report`): `npm test` must
 * leave the tracked file, and the working tree, as they were.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeReportSection } from '../../reliability/support/report.js';

const dir = mkdtempSync(join(tmpdir(), 'supasync-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the reliability report', () => {
  it('is not written by a test run that was not asked to write it', async () => {
    const path = join(dir, 'not-asked.md');
    await writeReportSection('fault-matrix', 'measured', { path, write: false, soak: false });
    expect(existsSync(path)).toBe(false);
  });

  it('is written, section by section, when asked; a soak run writes only the long soak', async () => {
    const path = join(dir, 'asked.md');
    await writeReportSection('fault-matrix', 'fault figures', { path, write: true, soak: false });
    await writeReportSection('soak-long', 'not in a quick run', { path, write: true, soak: false });
    await writeReportSection('soak-long', 'long soak figures', { path, write: true, soak: true });
    await writeReportSection('invariants', 'not in a soak run', { path, write: true, soak: true });
    const text = readFileSync(path, 'utf8');
    expect(text).toContain('<!-- reliability:fault-matrix -->\nfault figures\n<!-- /reliability:fault-matrix -->');
    expect(text).toContain('<!-- reliability:soak-long -->\nlong soak figures\n<!-- /reliability:soak-long -->');
    expect(text).toContain('<!-- reliability:invariants -->\n_Not measured yet._\n');
    expect(text).not.toContain('not in a');
  });

  it('the test configuration does not ask for it (SUPASYNC_WRITE_REPORT is set only by npm run report)', () => {
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '../../../package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.test).not.toContain('SUPASYNC_WRITE_REPORT');
    expect(pkg.scripts.report).toContain('SUPASYNC_WRITE_REPORT=1');
  });
});
