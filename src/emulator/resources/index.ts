/** Every emulated operation and every section of project state, in one table. */
import type { AccountRouteDef, RouteDef, Section } from '../types.js';
import { authRoutes, authSection } from './auth.js';
import { networkRestrictionsRoutes, networkRestrictionsSection } from './network-restrictions.js';
import { poolerRoutes, poolerSection } from './pooler.js';
import { postgresRoutes, postgresSection } from './postgres.js';
import { postgrestRoutes, postgrestSection } from './postgrest.js';
import { accountRoutes, projectRoutes } from './project.js';
import { secretsRoutes, secretsSection } from './secrets.js';
import { sslEnforcementRoutes, sslEnforcementSection } from './ssl-enforcement.js';
import { ssoRoutes, ssoSection } from './sso.js';
import { storageRoutes, storageSection } from './storage.js';

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
];

export const ACCOUNT_ROUTES: readonly AccountRouteDef[] = accountRoutes;

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
] as Section<unknown>[];

export const SECTIONS_BY_NAME: ReadonlyMap<string, Section<unknown>> = new Map(SECTIONS.map((s) => [s.name, s]));
