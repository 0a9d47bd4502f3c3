/**
 * Keys of config.toml that are not imported, and why: they configure the local development stack
 * (no Management API counterpart), or they have a hosted counterpart that `supabase config push`
 * does not send. Every key of the file that no mapping table takes is matched here; whatever
 * matches nothing is reported as unknown. A pattern names a table or key; `*` matches one segment.
 */
import type { NoteKind } from '../model.js';
import { WITH_URL } from './auth-external.js';

export interface UnmappedRule {
  pattern: string;
  kind: Extract<NoteKind, 'local' | 'not-pushed'>;
  reason: string;
}

const local = (pattern: string, reason = 'local development only'): UnmappedRule => ({ pattern, kind: 'local', reason });
const notPushed = (pattern: string, reason: string): UnmappedRule => ({ pattern, kind: 'not-pushed', reason });

export const UNMAPPED: readonly UnmappedRule[] = [
  local('project_id', 'the local project name (the project ref is given with --project or [remotes])'),
  local('api.port'),
  local('api.tls'),
  local('api.external_url'),
  local('db.port'),
  local('db.shadow_port'),
  local('db.health_timeout'),
  local('db.major_version', 'the local database version'),
  local('db.root_key'),
  local('db.migrations', 'read by db push / db reset, not a project setting'),
  local('db.seed', 'read by db reset, not a project setting'),
  local('db.vault', 'seeded into the local database only'),
  local('db.pooler.port'),
  local('db.pooler.max_client_conn', 'the local pooler only (the hosted limit follows the compute size)'),
  notPushed('realtime', 'configures the local Realtime server; supasync\'s `realtime` section manages the hosted one'),
  local('studio'),
  local('inbucket', 'the local email testing server'),
  local('analytics', 'the local log collection'),
  notPushed('edge_runtime.secrets', 'Edge Function secrets are set with `supabase secrets set`; supasync manages them in its `secrets` section'),
  local('edge_runtime'),
  local('functions', 'deployed with `supabase functions deploy`, not a project setting'),
  notPushed('experimental.webhooks', 'config push enables database webhooks; supasync does not manage them'),
  local('experimental'),
  local('storage.buckets', 'bucket objects, seeded with `supabase seed buckets`'),
  local('storage.analytics.buckets', 'buckets, not project settings'),
  local('storage.vector.buckets', 'buckets, not project settings'),
  local('auth.external_url'),
  local('auth.jwt_issuer'),
  notPushed('auth.signing_keys_path', 'config push does not send signing keys'),
  local('auth.jwt_secret'),
  local('auth.anon_key'),
  local('auth.service_role_key'),
  local('auth.publishable_key'),
  local('auth.secret_key'),
  local('auth.external.*.redirect_uri', 'the local callback URL'),
  notPushed('auth.external.linkedin', 'deprecated: the CLI drops it (use linkedin_oidc)'),
  notPushed('auth.external.slack', 'deprecated: the CLI drops it (use slack_oidc)'),
  // Every provider table has these keys (the CLI's init writes them for apple), but config push
  // sends them for some providers only; for those they are taken by the mapping table first.
  notPushed('auth.external.*.url', `config push sends a provider URL only for ${[...WITH_URL].join(', ')}`),
  notPushed('auth.external.*.skip_nonce_check', 'config push sends skip_nonce_check only for google'),
  notPushed('auth.external.*.email_optional', 'config push does not send email_optional for workos'),
  notPushed('auth.third_party', 'configures the local Auth server; supasync manages third-party auth in its `third_party_auth` section'),
  notPushed('auth.oauth_server', 'the CLI does not send it yet'),
];

/** The first rule matching a dotted path (a pattern matches the path and everything below it). */
export function unmappedRule(path: string): UnmappedRule | undefined {
  const parts = path.split('.');
  return UNMAPPED.find((rule) => {
    const want = rule.pattern.split('.');
    return want.length <= parts.length && want.every((segment, i) => segment === '*' || segment === parts[i]);
  });
}
