/**
 * `--secrets-dir ''` once meant the current directory (issue 13, item 11): `${file:...}` could then
 * read anything below wherever the command ran. Every command that takes the option refuses an
 * empty or blank value as a usage error (exit 3) before reading anything; `-c ''` likewise.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const COMMANDS = [['validate'], ['plan'], ['apply', '--yes'], ['run', '--listen', '127.0.0.1:0']];
// Nothing may be contacted: an address where nothing listens, and a token that is no secret.
const env = { SUPABASE_API_URL: 'http://127.0.0.1:9', SUPABASE_ACCESS_TOKEN: 'sbp_0000000000000000000000000000000000000000' };

describe('--secrets-dir and -c refuse an empty value', () => {
  for (const command of COMMANDS) {
    for (const value of ['', ' ']) {
      it(`${command[0]} --secrets-dir ${JSON.stringify(value)}: exit 3, one clear line`, async () => {
        const r = await runCli([...command, '-c', 'examples/', '--secrets-dir', value], { env });
        expect(r.stdout).toBe('');
        expect(r.stderr.trim()).toBe(
          "error: option '--secrets-dir <dir>' argument '" + value + "' is invalid. expected a directory; an empty value would mean the current directory",
        );
        expect(r.code).toBe(3);
      });
    }
  }

  it('-c "": exit 3, one clear line', async () => {
    const r = await runCli(['validate', '-c', ''], { env });
    expect(r.stderr.trim()).toBe("error: option '-c, --config <path>' argument '' is invalid. expected a file or directory; an empty value would mean the current directory");
    expect(r.code).toBe(3);
  });
});
