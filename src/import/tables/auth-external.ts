/**
 * [auth.external.<provider>] → `auth`, as the CLI 2.99 sends them (auth.go `external.toAuthConfigBody`):
 * `external_<p>_enabled` always; while enabled, the client ID, the secret when set, the URL for the
 * providers that take one, Google's nonce check and `email_optional` (WorkOS has none). The
 * deprecated `linkedin` and `slack` are dropped by the CLI (config.go `external.validate`).
 */
import type { FieldRule, TableRule } from '../model.js';
import { field } from './field.js';

/** The providers config push sends, by their config.toml names. */
export const OAUTH_PROVIDERS = [
  'apple', 'azure', 'bitbucket', 'discord', 'facebook', 'figma', 'github', 'gitlab', 'google', 'kakao',
  'keycloak', 'linkedin_oidc', 'notion', 'slack_oidc', 'spotify', 'twitch', 'twitter', 'x', 'workos', 'zoom',
] as const;

/** The providers whose `url` config push sends; Google alone gets `skip_nonce_check`, WorkOS no `email_optional`. */
export const WITH_URL: ReadonlySet<string> = new Set(['azure', 'gitlab', 'keycloak', 'workos']);

function providerFields(p: string): FieldRule[] {
  const fields = [
    field('client_id', `external_${p}_client_id`, 'string'),
    field('secret', `external_${p}_secret`, 'string', { secret: true, onlyIfSet: true }),
  ];
  if (WITH_URL.has(p)) fields.push(field('url', `external_${p}_url`, 'string'));
  if (p === 'google') fields.push(field('skip_nonce_check', 'external_google_skip_nonce_check', 'boolean'));
  if (p !== 'workos') fields.push(field('email_optional', `external_${p}_email_optional`, 'boolean'));
  return fields;
}

export const AUTH_EXTERNAL_TABLES: readonly TableRule[] = OAUTH_PROVIDERS.map((p) => ({
  table: `auth.external.${p}`,
  section: 'auth',
  switch: { key: 'enabled', to: `external_${p}_enabled`, default: false, offNote: `the provider is disabled: only external_${p}_enabled is sent` },
  fields: providerFields(p),
}));
