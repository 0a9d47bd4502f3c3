/** Where things are: the built CLI, the repository (the official Supabase CLI: ./peer-cli.ts). */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = join(ROOT, 'dist/cli.js');
/** `node --import` preload that lists the modules a command loads (bench only). */
export const TRACE_LOADS = join(ROOT, 'bench/lib/trace-loads.mjs');
