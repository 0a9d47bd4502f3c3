/**
 * What each plan entitles an organisation to (GET /v1/organizations/{slug}/entitlements), and the
 * limits the emulator enforces from it (storage file size and image transformations, Realtime
 * limits, custom domains, vanity subdomains, the backup schedule).
 *
 * Assumption: no recording of this endpoint exists. The feature keys are the spec's enum, every one
 * answered; the values are those of Supabase's public pricing page where it gives them (file size
 * 50 MB on free, 500 GB on paid plans; Realtime quotas per plan; log and backup retention) and a
 * plausible reading where it does not (which boolean features start at which plan).
 */
import type { Plan } from '../types.js';

type Per<T> = Record<Plan, T>;
type Spec =
  | { type: 'boolean'; from: Plan }
  | { type: 'numeric'; unit: string; values: Per<number | 'unlimited'> }
  | { type: 'set'; values: Per<string[]> };

const ORDER: readonly Plan[] = ['free', 'pro', 'team', 'enterprise'];
const atLeast = (plan: Plan, from: Plan): boolean => ORDER.indexOf(plan) >= ORDER.indexOf(from);

const COMPUTE = ['micro', 'small', 'medium', 'large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge'];

/** Feature key → how it grows with the plan (key order: the spec's enum). */
const FEATURES: Record<string, Spec> = {
  'instances.compute_update_available_sizes': {
    type: 'set',
    values: { free: [], pro: COMPUTE, team: COMPUTE, enterprise: [...COMPUTE, '24xlarge', '48xlarge'] },
  },
  'instances.read_replicas': { type: 'boolean', from: 'pro' },
  'instances.disk_modifications': { type: 'boolean', from: 'pro' },
  'instances.high_availability': { type: 'boolean', from: 'enterprise' },
  'instances.orioledb': { type: 'boolean', from: 'enterprise' },
  'replication.etl': { type: 'boolean', from: 'pro' },
  'storage.max_file_size': { type: 'numeric', unit: 'bytes', values: { free: 52_428_800, pro: 536_870_912_000, team: 536_870_912_000, enterprise: 536_870_912_000 } },
  'storage.max_file_size.configurable': { type: 'boolean', from: 'pro' },
  'storage.image_transformations': { type: 'boolean', from: 'pro' },
  'storage.vector_buckets': { type: 'boolean', from: 'free' },
  'storage.iceberg_catalog': { type: 'boolean', from: 'free' },
  'security.audit_logs_days': { type: 'numeric', unit: 'days', values: { free: 1, pro: 7, team: 28, enterprise: 90 } },
  'security.questionnaire': { type: 'boolean', from: 'team' },
  'security.soc2_report': { type: 'boolean', from: 'team' },
  'security.iso27001_certificate': { type: 'boolean', from: 'team' },
  'security.private_link': { type: 'boolean', from: 'enterprise' },
  'security.enforce_mfa': { type: 'boolean', from: 'team' },
  'log.retention_days': { type: 'numeric', unit: 'days', values: { free: 1, pro: 7, team: 28, enterprise: 90 } },
  custom_domain: { type: 'boolean', from: 'pro' },
  vanity_subdomain: { type: 'boolean', from: 'pro' },
  ipv4: { type: 'boolean', from: 'pro' },
  'pitr.available_variants': { type: 'set', values: { free: [], pro: ['7', '14', '28'], team: ['7', '14', '28'], enterprise: ['7', '14', '28'] } },
  log_drains: { type: 'boolean', from: 'team' },
  audit_log_drains: { type: 'boolean', from: 'enterprise' },
  branching_limit: { type: 'numeric', unit: 'branches', values: { free: 0, pro: 'unlimited', team: 'unlimited', enterprise: 'unlimited' } },
  branching_persistent: { type: 'boolean', from: 'pro' },
  'auth.mfa_phone': { type: 'boolean', from: 'pro' },
  'auth.mfa_web_authn': { type: 'boolean', from: 'pro' },
  'auth.mfa_enhanced_security': { type: 'boolean', from: 'team' },
  'auth.hooks': { type: 'boolean', from: 'free' },
  'auth.platform.sso': { type: 'boolean', from: 'team' },
  'auth.custom_jwt_template': { type: 'boolean', from: 'pro' },
  'auth.saml_2': { type: 'boolean', from: 'pro' },
  'auth.user_sessions': { type: 'boolean', from: 'pro' },
  'auth.leaked_password_protection': { type: 'boolean', from: 'pro' },
  'auth.advanced_auth_settings': { type: 'boolean', from: 'pro' },
  'auth.performance_settings': { type: 'boolean', from: 'pro' },
  'auth.password_hibp': { type: 'boolean', from: 'pro' },
  'auth.custom_oauth.max_providers': { type: 'numeric', unit: 'providers', values: { free: 0, pro: 10, team: 10, enterprise: 'unlimited' } },
  'backup.retention_days': { type: 'numeric', unit: 'days', values: { free: 0, pro: 7, team: 14, enterprise: 30 } },
  'backup.restore_to_new_project': { type: 'boolean', from: 'pro' },
  'backup.schedule': { type: 'boolean', from: 'pro' },
  'function.max_count': { type: 'numeric', unit: 'functions', values: { free: 100, pro: 500, team: 1000, enterprise: 'unlimited' } },
  'function.size_limit_mb': { type: 'numeric', unit: 'MB', values: { free: 20, pro: 20, team: 20, enterprise: 20 } },
  'realtime.max_concurrent_users': { type: 'numeric', unit: 'connections', values: { free: 200, pro: 500, team: 10_000, enterprise: 50_000 } },
  'realtime.max_events_per_second': { type: 'numeric', unit: 'messages', values: { free: 100, pro: 500, team: 2_500, enterprise: 50_000 } },
  'realtime.max_joins_per_second': { type: 'numeric', unit: 'joins', values: { free: 100, pro: 500, team: 2_500, enterprise: 5_000 } },
  'realtime.max_channels_per_client': { type: 'numeric', unit: 'channels', values: { free: 100, pro: 100, team: 100, enterprise: 10_000 } },
  'realtime.max_bytes_per_second': { type: 'numeric', unit: 'bytes', values: { free: 100_000, pro: 1_000_000, team: 10_000_000, enterprise: 10_000_000 } },
  'realtime.max_presence_events_per_second': { type: 'numeric', unit: 'messages', values: { free: 20, pro: 50, team: 1_000, enterprise: 5_000 } },
  'realtime.max_payload_size_in_kb': { type: 'numeric', unit: 'KB', values: { free: 256, pro: 3_000, team: 3_000, enterprise: 10_000 } },
  project_scoped_roles: { type: 'boolean', from: 'team' },
  'security.member_roles': { type: 'boolean', from: 'team' },
  project_pausing: { type: 'boolean', from: 'free' },
  project_cloning: { type: 'boolean', from: 'pro' },
  project_restore_after_expiry: { type: 'boolean', from: 'pro' },
  'assistant.advance_model': { type: 'boolean', from: 'pro' },
  'integrations.github_connections': { type: 'boolean', from: 'free' },
  dedicated_pooler: { type: 'boolean', from: 'pro' },
  'observability.dashboard_advanced_metrics': { type: 'boolean', from: 'team' },
};

export interface Entitlement {
  feature: { key: string; type: 'boolean' | 'numeric' | 'set' };
  hasAccess: boolean;
  type: 'boolean' | 'numeric' | 'set';
  config: Record<string, unknown>;
}

function entitlement(key: string, spec: Spec, plan: Plan): Entitlement {
  // Key order as the spec lists the properties: feature, hasAccess, type, config.
  const feature = { key, type: spec.type };
  if (spec.type === 'boolean') {
    const enabled = atLeast(plan, spec.from);
    return { feature, hasAccess: enabled, type: spec.type, config: { enabled } };
  }
  if (spec.type === 'set') {
    const set = spec.values[plan];
    return { feature, hasAccess: set.length > 0, type: spec.type, config: { enabled: set.length > 0, set } };
  }
  const value = spec.values[plan];
  const unlimited = value === 'unlimited';
  const enabled = unlimited || value > 0;
  return { feature, hasAccess: enabled, type: spec.type, config: { enabled, value: unlimited ? 0 : value, unlimited, unit: spec.unit } };
}

/** Every entitlement of a plan, in the spec's key order. */
export function entitlementsFor(plan: Plan): Entitlement[] {
  return Object.entries(FEATURES).map(([key, spec]) => entitlement(key, spec, plan));
}

/** A numeric limit of a plan (undefined: unlimited). */
export function numericLimit(plan: Plan, key: string): number | undefined {
  const spec = FEATURES[key];
  if (spec?.type !== 'numeric') throw new Error(`${key} is not a numeric entitlement`);
  const value = spec.values[plan];
  return value === 'unlimited' ? undefined : value;
}

/** Whether a plan has a boolean feature. */
export function hasFeature(plan: Plan, key: string): boolean {
  const spec = FEATURES[key];
  if (spec?.type !== 'boolean') throw new Error(`${key} is not a boolean entitlement`);
  return atLeast(plan, spec.from);
}

/** The organisation's plan: the highest plan among its projects (the emulator keeps plans per project). */
export function organizationPlan(plans: readonly Plan[]): Plan {
  return plans.reduce<Plan>((best, p) => (atLeast(p, best) ? p : best), 'free');
}

export const ENTITLEMENT_KEYS: readonly string[] = Object.keys(FEATURES);
