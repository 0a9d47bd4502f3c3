/** Storage config of a new project: GET /v1/projects/{ref}/config/storage as recorded (./SOURCE.md). */
import { readRecorded } from './load.js';

export const STORAGE_CONFIG_DEFAULTS = readRecorded('storage-config.json');
