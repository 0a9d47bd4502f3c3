/**
 * Builds dist/ once per test run, so end-to-end tests exercise the real CLI artefact
 * (`node dist/cli.js`) exactly as users run it.
 */
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  if (process.env.SUPASYNC_SKIP_BUILD === '1') return;
  execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
}
