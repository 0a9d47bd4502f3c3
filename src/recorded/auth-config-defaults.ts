/**
 * Auth config of a new project — a fact recorded from the real API, shared by the emulator (its
 * new-project state) and `supasync export` (which leaves defaults out). The recording, and the two
 * changes made to it: ./SOURCE.md. Secret fields are null here (unset); see
 * ../emulator/resources/auth.ts for how set ones are answered.
 */
import { readRecorded } from './load.js';

export const AUTH_CONFIG_DEFAULTS = readRecorded('auth-config.json');
