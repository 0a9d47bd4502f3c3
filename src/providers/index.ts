/**
 * The registry: every provider, in the order sections are planned, applied and rendered, and the
 * guardrail table their risk rules make up together (the plan's and the README's).
 */
import { apiKeysProvider } from './api-keys.js';
import { authProvider } from './auth.js';
import { backupsProvider } from './backups.js';
import { customDomainProvider } from './custom-domain.js';
import { networkRestrictionsProvider } from './network-restrictions.js';
import { poolerProvider } from './pooler.js';
import { postgrestProvider } from './postgrest.js';
import { realtimeProvider } from './realtime.js';
import type { RiskRule } from './risk.js';
import { secretsProvider } from './secrets.js';
import { signingKeysProvider } from './signing-keys.js';
import { sslEnforcementProvider } from './ssl-enforcement.js';
import { postgresProvider } from './postgres.js';
import { ssoProvider } from './sso.js';
import { storageProvider } from './storage.js';
import { thirdPartyAuthProvider } from './third-party-auth.js';
import type { AnyProvider } from './types.js';

export const providers: readonly AnyProvider[] = [
  authProvider,
  postgresProvider,
  poolerProvider,
  networkRestrictionsProvider,
  ssoProvider,
  thirdPartyAuthProvider,
  apiKeysProvider,
  signingKeysProvider,
  postgrestProvider,
  storageProvider,
  realtimeProvider,
  customDomainProvider,
  sslEnforcementProvider,
  backupsProvider,
  secretsProvider,
];

export const providerBySection: ReadonlyMap<string, AnyProvider> = new Map(providers.map((p) => [p.section, p]));

/** Every provider's risk rules, in registry order. */
export const riskRules: readonly RiskRule[] = providers.flatMap((p) => p.risks ?? []);
