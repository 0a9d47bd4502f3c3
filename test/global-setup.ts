/**
 * Builds dist/ once per test run, so end-to-end tests exercise the real CLI artefact
 * (`node dist/cli.js`) exactly as users run it.
 */
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  if (process.env.SUPASYNC_SKIP_BUILD === '1') return;
  execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
  // As `npm run build` does after tsc: the recorded API answers (JSON) go next to their modules.
  execFileSync('node', ['scripts/postbuild.mjs'], { stdio: 'inherit' });
  // The standalone schema validator, as `npm run build` makes it: the CLI under test uses it.
  execFileSync('node', ['scripts/build-validator.mjs'], { stdio: 'inherit' });
}
