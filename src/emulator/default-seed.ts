/**
 * The state the emulator starts with when given no seed: the projects of `examples/`, on plan pro,
 * so that the README's main command works without any setup, in one named organisation (the
 * organisation every seeded project belongs to unless it names another). Any well-formed token is accepted.
 */
import type { SeedDocument } from './seed.js';

export const DEFAULT_SEED: SeedDocument = {
  projects: [
    { ref: 'abcdefghijklmnopqrst', name: 'production', plan: 'pro' },
    { ref: 'zyxwvutsrqponmlkjihg', name: 'staging', plan: 'pro' },
  ],
  organizations: [{ slug: 'emulatororganisation', name: 'Emulator organisation' }],
};
