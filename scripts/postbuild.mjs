// After tsc: makes the built CLI executable (`npm link`/bin shims need the mode bit on some systems),
// and copies the recorded API answers (src/recorded/*.json, read at run time) next to their modules.
import { chmodSync, copyFileSync, mkdirSync, readdirSync } from 'node:fs';

chmodSync(new URL('../dist/cli.js', import.meta.url), 0o755);
const recorded = new URL('../src/recorded/', import.meta.url);
const built = new URL('../dist/recorded/', import.meta.url);
mkdirSync(built, { recursive: true });
for (const name of readdirSync(recorded)) if (name.endsWith('.json')) copyFileSync(new URL(name, recorded), new URL(name, built));
