/** Every emulated operation and every section of project state, in one table. */
import type { AccountRouteDef, RouteDef, Section } from '../types.js';
import { apiKeysRoutes, apiKeysSection } from './api-keys.js';
import { authRoutes, authSection } from './auth.js';
import { backupScheduleSection, backupsRoutes } from './backups.js';
import { customHostnameRoutes, customHostnameSection } from './custom-hostname.js';
import { databaseWebhooksRoutes, databaseWebhooksSection } from './database-webhooks.js';
import { networkRestrictionsRoutes, networkRestrictionsSection } from './network-restrictions.js';
import { poolerRoutes, poolerSection } from './pooler.js';
import { postgresRoutes, postgresSection } from './postgres.js';
import { pgsodiumRoutes, pgsodiumSection } from './pgsodium.js';
import { postgrestRoutes, postgrestSection } from './postgrest.js';
import { organizationRoutes } from './organizations.js';
import { accountRoutes, projectRoutes } from './project.js';
import { realtimeRoutes, realtimeSection } from './realtime.js';
import { secretsRoutes, secretsSection } from './secrets.js';
import { signingKeysRoutes, signingKeysSection } from './signing-keys.js';
import { sslEnforcementRoutes, sslEnforcementSection } from './ssl-enforcement.js';
import { ssoRoutes, ssoSection } from './sso.js';
import { storageRoutes, storageSection } from './storage.js';
import { thirdPartyAuthRoutes, thirdPartyAuthSection } from './third-party-auth.js';
import { vanitySubdomainSection } from './vanity-state.js';
import { vanitySubdomainRoutes } from './vanity-subdomain.js';

export const PROJECT_ROUTES: readonly RouteDef[] = [
  ...projectRoutes,
  ...authRoutes,
  ...postgresRoutes,
  ...poolerRoutes,
  ...networkRestrictionsRoutes,
  ...ssoRoutes,
  ...postgrestRoutes,
  ...storageRoutes,
  ...sslEnforcementRoutes,
  ...secretsRoutes,
  ...realtimeRoutes,
  ...thirdPartyAuthRoutes,
  ...apiKeysRoutes,
  ...signingKeysRoutes,
  ...customHostnameRoutes,
  ...vanitySubdomainRoutes,
  ...backupsRoutes,
  ...databaseWebhooksRoutes,
  ...pgsodiumRoutes,
];

export const ACCOUNT_ROUTES: readonly AccountRouteDef[] = [...accountRoutes, ...organizationRoutes];

export const SECTIONS: readonly Section<unknown>[] = [
  authSection,
  postgresSection,
  poolerSection,
  networkRestrictionsSection,
  ssoSection,
  postgrestSection,
  storageSection,
  sslEnforcementSection,
  secretsSection,
  realtimeSection,
  thirdPartyAuthSection,
  apiKeysSection,
  signingKeysSection,
  customHostnameSection,
  vanitySubdomainSection,
  backupScheduleSection,
  databaseWebhooksSection,
  pgsodiumSection,
] as Section<unknown>[];

export const SECTIONS_BY_NAME: ReadonlyMap<string, Section<unknown>> = new Map(SECTIONS.map((s) => [s.name, s]));
