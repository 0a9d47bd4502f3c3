/**
 * The state the emulator starts with when given no seed: the projects of `examples/`, on plan pro,
 * so that the README's main command works without any setup. Any well-formed token is accepted.
 */
import type { SeedDocument } from './seed.js';

export const DEFAULT_SEED: SeedDocument = {
  projects: [
    { ref: 'abcdefghijklmnopqrst', name: 'production', plan: 'pro' },
    { ref: 'zyxwvutsrqponmlkjihg', name: 'staging', plan: 'pro' },
  ],
};
