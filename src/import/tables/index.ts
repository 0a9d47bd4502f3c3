/** Every mapping table, in the order the CLI builds its request bodies. */
import type { TableRule } from '../model.js';
import { AUTH_TABLES } from './auth.js';
import { AUTH_EMAIL_TABLES } from './auth-email.js';
import { AUTH_EXTERNAL_TABLES } from './auth-external.js';
import { AUTH_SMS_TABLES } from './auth-sms.js';
import { DATA_TABLES } from './data.js';

export const ALL_TABLES: readonly TableRule[] = [...DATA_TABLES, ...AUTH_TABLES, ...AUTH_EMAIL_TABLES, ...AUTH_SMS_TABLES, ...AUTH_EXTERNAL_TABLES];
