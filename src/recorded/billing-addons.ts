/** GET /v1/projects/{ref}/billing/addons as recorded (./SOURCE.md): the emulator answers it for every project. */
import { readRecorded } from './load.js';

export const BILLING_ADDONS = readRecorded('billing-addons.json');
