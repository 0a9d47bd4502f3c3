import { describe, expect, it } from 'vitest';
import type { ConfigIssue } from '../../../src/errors.js';
import { renderConfigErrors } from '../../../src/reconcile/render/config-errors.js';
import { MARKDOWN_LIMIT, MARKDOWN_MARKER } from '../../../src/reconcile/render/markdown.js';

const issue = (message: string, line = 3): ConfigIssue => ({ location: { file: 'cfg/auth.yaml', line, col: 5 }, path: 'auth.site_url', message });

describe('renderConfigErrors', () => {
  it('markdown: fences the errors with more backticks than any run inside, so a message cannot close the block', () => {
    const md = renderConfigErrors({ kind: 'configuration', issues: [issue('bad ``` value <img src=x onerror=alert(1)>')] }, 'markdown');
    expect(md.startsWith(`${MARKDOWN_MARKER}\n`)).toBe(true);
    expect(md).toContain('\n````text\ncfg/auth.yaml:3:5: auth.site_url: bad ``` value <img src=x onerror=alert(1)>\n````\n');
  });

  it('markdown: stays inside a comment with thousands of errors, and says how many were left out', () => {
    const issues = Array.from({ length: 5_000 }, (_, i) => issue(`value ${'x'.repeat(40)} is not allowed`, i + 1));
    const md = renderConfigErrors({ kind: 'configuration', issues }, 'markdown');
    expect(md.length).toBeLessThan(MARKDOWN_LIMIT);
    expect(md).toContain('Configuration invalid: 5000 errors; nothing was planned.');
    expect(md).toMatch(/… and \d+ more errors\n```\n$/);
  });

  it('json and text, with and without a location', () => {
    const issues: ConfigIssue[] = [issue('wrong'), { path: '', message: 'no access token: set SUPABASE_ACCESS_TOKEN' }];
    expect(JSON.parse(renderConfigErrors({ kind: 'usage', issues }, 'json'))).toEqual({
      format_version: expect.any(String),
      errors: [
        { file: 'cfg/auth.yaml', line: 3, col: 5, path: 'auth.site_url', message: 'wrong' },
        { file: null, line: null, col: null, path: '', message: 'no access token: set SUPABASE_ACCESS_TOKEN' },
      ],
    });
    expect(renderConfigErrors({ kind: 'usage', issues }, 'text')).toBe(
      'No plan: the command was refused.\n\nError: cfg/auth.yaml:3:5: auth.site_url: wrong\nError: no access token: set SUPABASE_ACCESS_TOKEN\n',
    );
  });
});
