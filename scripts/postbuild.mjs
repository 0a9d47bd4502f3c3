// Makes the built CLI executable: `npm link`/bin shims need the mode bit on some systems.
import { chmodSync } from 'node:fs';
chmodSync(new URL('../dist/cli.js', import.meta.url), 0o755);
